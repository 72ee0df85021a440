package com.closeout.sandbox.http;

import java.util.List;
import java.util.Map;

/** One request as it reached the sandbox server: what a canary test searches for leaks. */
public record RecordedRequest(
    String method, String uri, Map<String, List<String>> headers, String body) {
  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  /** Everything the client sent, as one text. */
  public String text() {
    StringBuilder text = new StringBuilder(method).append(' ').append(uri).append('\n');
    headers.forEach((name, values) -> text.append(name).append(": ").append(values).append('\n'));
    return text.append('\n').append(body).toString();
  }
}
