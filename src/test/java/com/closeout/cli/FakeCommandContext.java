package com.closeout.cli;

import static org.mockito.Mockito.mock;

import com.closeout.audit.AuditTrail;
import com.closeout.audit.CompletionRecords;
import com.closeout.followup.FollowUpStore;
import com.closeout.intake.Inbox;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.TransactionRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A command context over mocks, recording what a command printed and how it started. */
final class FakeCommandContext implements CommandContext, Services {

  final CloseoutStores stores =
      new CloseoutStores(
          mock(Inbox.class),
          mock(ClosureStore.class),
          mock(AuditTrail.class),
          mock(CompletionRecords.class),
          mock(FollowUpStore.class),
          mock(TransactionRunner.class));
  final Map<Class<?>, Object> beans = new HashMap<>();

  /** The environment commands see; empty unless a test sets a variable. */
  final Map<String, String> environment = new HashMap<>();

  int oneShotStarts;
  int serveStarts;
  int workerStarts;
  boolean servedWithWorkerNow;
  int shutdownWaits;

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  String printed() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  String errors() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public PrintStream out() {
    return out;
  }

  @Override
  public PrintStream err() {
    return err;
  }

  @Override
  public Services services() {
    oneShotStarts++;
    return this;
  }

  @Override
  public Services serve(boolean workerNow) {
    serveStarts++;
    servedWithWorkerNow = workerNow;
    return this;
  }

  @Override
  public void awaitShutdown() {
    shutdownWaits++;
  }

  @Override
  public void startWorker() {
    workerStarts++;
  }

  @Override
  public CloseoutStores stores() {
    return stores;
  }

  @Override
  public String environment(String name) {
    return environment.get(name);
  }

  @Override
  public <T> Optional<T> find(Class<T> type) {
    return Optional.ofNullable(type.cast(beans.get(type)));
  }
}
