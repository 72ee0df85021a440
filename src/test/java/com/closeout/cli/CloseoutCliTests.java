package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CloseoutCliTests {

  private final FakeCommandContext context = new FakeCommandContext();
  private final CloseoutCli cli = CloseoutCli.standard();

  @Test
  void noCommandPrintsUsageAndExitsTwo() {
    assertThat(cli.run(new String[0], context)).isEqualTo(2);
    assertThat(context.errors()).contains("a command is required").contains("usage: closeout");
    assertThat(context.oneShotStarts + context.serveStarts).isZero();
  }

  @Test
  void unknownCommandExitsTwoNamingIt() {
    assertThat(cli.run(new String[] {"frobnicate"}, context)).isEqualTo(2);
    assertThat(context.errors()).contains("unknown command 'frobnicate'");
  }

  @Test
  void helpListsEveryCommandOnStdout() {
    assertThat(cli.run(new String[] {"help"}, context)).isZero();
    assertThat(context.printed())
        .contains("serve")
        .contains("demo [--cases N] [--seed S] [--json] [--exit]")
        .contains("scenario FILE... [--json]")
        .contains("replay FILE")
        .contains("audit verify")
        .contains("follow-ups [--open]")
        .contains("follow-ups resolve ID --retry|--dismiss --comment TEXT")
        .contains("revert ESCALATION --version N")
        .contains("--server URL")
        .contains("CLOSEOUT_SERVER");
  }

  @Test
  void helpForOneCommandShowsItsUsage() {
    assertThat(cli.run(new String[] {"help", "revert"}, context)).isZero();
    assertThat(context.printed()).contains("usage: closeout revert ESCALATION --version N");
  }

  @Test
  void dashDashHelpIsHelp() {
    assertThat(cli.run(new String[] {"--help"}, context)).isZero();
    assertThat(context.printed()).contains("usage: closeout COMMAND");
  }

  @Test
  void badUsageExitsTwoWithTheCommandsUsageAndStartsNothing() {
    assertThat(cli.run(new String[] {"demo", "--cases", "many"}, context)).isEqualTo(2);
    assertThat(context.errors())
        .contains("--cases must be a whole number")
        .contains("usage: closeout demo");
    assertThat(context.oneShotStarts + context.serveStarts).isZero();
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(cli.run(new String[] {"audit", "verify", "--jsn"}, context)).isEqualTo(2);
    assertThat(context.errors()).contains("unknown option --jsn");
  }

  @Test
  void failureExitsOneWithTheRootCause() {
    when(context.stores.audit().verify())
        .thenThrow(new IllegalStateException("wrapped", new RuntimeException("store is down")));
    assertThat(cli.run(new String[] {"audit", "verify"}, context)).isEqualTo(1);
    assertThat(context.errors()).contains("closeout audit: failed: store is down");
  }

  @Test
  void oneShotCommandsDoNotServe() {
    when(context.stores.audit().verify()).thenReturn(Optional.empty());
    cli.run(new String[] {"audit", "verify"}, context);
    assertThat(context.oneShotStarts).isEqualTo(1);
    assertThat(context.serveStarts).isZero();
  }

  @Test
  void serveStartsTheServiceAndWaitsUntilStopped() {
    assertThat(cli.run(new String[] {"serve"}, context)).isZero();
    assertThat(context.serveStarts).isEqualTo(1);
    assertThat(context.servedWithWorkerNow).isTrue();
    assertThat(context.shutdownWaits).isEqualTo(1);
  }

  @Test
  void serveTakesNoArguments() {
    assertThat(cli.run(new String[] {"serve", "now"}, context)).isEqualTo(2);
    assertThat(context.serveStarts).isZero();
  }

  @Test
  void operatorCommandsSayHowToStartCloseoutWhenNothingServesAndStartNothingThemselves()
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;

    assertThat(
            cli.run(new String[] {"revert", "ESC-1", "--version", "1", "--server", url}, context))
        .isEqualTo(1);

    assertThat(context.errors())
        .isEqualTo(
            "closeout revert: no Closeout is serving at "
                + url
                + ": start `bin/closeout serve` (or `demo`), or pass --server URL;"
                + " the target systems live in the serving process\n");
    assertThat(context.oneShotStarts + context.serveStarts).isZero();
  }

  @Test
  void theDefaultServerIsLocalUnlessTheEnvironmentNamesOne() throws UsageException {
    Arguments none = Arguments.parse(List.of(), Set.of(), Set.of("--server"));
    assertThat(ServerClient.of(none, context).base()).hasToString("http://localhost:8080");
    context.environment.put("CLOSEOUT_SERVER", "https://closeout.internal:8443/");
    assertThat(ServerClient.of(none, context).base()).hasToString("https://closeout.internal:8443");
    Arguments given =
        Arguments.parse(List.of("--server", "http://10.0.0.5:9000"), Set.of(), Set.of("--server"));
    assertThat(ServerClient.of(given, context).base()).hasToString("http://10.0.0.5:9000");
  }

  @Test
  void aServerThatIsNotAnHttpUrlIsAUsageError() {
    assertThat(cli.run(new String[] {"reconcile", "--server", "localhost:8080"}, context))
        .isEqualTo(2);
    assertThat(cli.run(new String[] {"reconcile", "--server", "ftp://x"}, context)).isEqualTo(2);
    assertThat(context.errors()).contains("--server must be a URL like http://localhost:8080");
  }
}
