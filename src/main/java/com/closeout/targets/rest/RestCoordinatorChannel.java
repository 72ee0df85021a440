package com.closeout.targets.rest;

import com.closeout.domain.IdempotencyKey;
import com.closeout.targets.CoordinatorChannel;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.WriteResult;
import com.closeout.targets.rest.ContractBodies.NoticeBody;
import java.util.Objects;

/** The ops notification channel over the reference contract: one notice per post. */
public final class RestCoordinatorChannel implements CoordinatorChannel {
  private final ContractClient client;
  private final String name;

  public RestCoordinatorChannel(ContractClient client, String name) {
    this.client = client;
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WriteResult post(CoordinatorNotice notice, IdempotencyKey key) {
    return client
        .write(
            "POST", "/notification/notices", ContractBodies.write(NoticeBody.of(notice)), null, key)
        .writeResult();
  }
}
