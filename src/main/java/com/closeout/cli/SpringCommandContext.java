package com.closeout.cli;

import com.closeout.CloseoutApplication;
import com.closeout.config.AuditChainLoop;
import com.closeout.config.AuditProperties;
import com.closeout.config.WorkerLoop;
import com.closeout.propagation.CloseoutStores;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/** Starts the Spring application the way each kind of command needs it, at most once. */
final class SpringCommandContext implements CommandContext, AutoCloseable {

  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch closed = new CountDownLatch(1);
  private ConfigurableApplicationContext context;
  private boolean serving;

  SpringCommandContext(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
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
    if (context == null) {
      context = start(WebApplicationType.NONE, false, false);
    }
    return new SpringServices(context);
  }

  @Override
  public Services serve(boolean workerNow) {
    if (context != null && !serving) {
      throw new IllegalStateException("a one-shot context is already running");
    }
    if (context == null) {
      context = start(WebApplicationType.SERVLET, true, workerNow);
      serving = true;
    }
    return new SpringServices(context);
  }

  @Override
  public void awaitShutdown() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ConfigurableApplicationContext start(
      WebApplicationType type, boolean serve, boolean workerNow) {
    SpringApplication application = new SpringApplication(CloseoutApplication.class);
    application.setWebApplicationType(type);
    application.setBannerMode(Banner.Mode.OFF);
    application.setLogStartupInfo(serve);
    // Lowest precedence: the operator's environment and arguments still win.
    application.setDefaultProperties(
        serve
            ? Map.of("closeout.worker.enabled", "true")
            // Quiet console, but loggers keep their levels: scenario runs search the logs.
            : Map.of("logging.threshold.console", "WARN"));
    application.addListeners((ApplicationListener<ContextClosedEvent>) event -> closed.countDown());
    return application.run(overrides(serve, workerNow).toArray(String[]::new));
  }

  /**
   * Command-line properties outrank the environment: a one-shot command never works closures in the
   * background nor consumes the event topic, and a deferred worker waits for startWorker(),
   * whatever is configured.
   */
  static List<String> overrides(boolean serve, boolean workerNow) {
    List<String> args = new ArrayList<>();
    if (!workerNow) {
      args.add("--closeout.worker.enabled=false");
    }
    if (!serve) {
      args.add("--closeout.intake.kafka.enabled=false");
    }
    return List.copyOf(args);
  }

  @Override
  public void close() {
    if (context != null && context.isActive()) {
      context.close();
    }
  }

  private record SpringServices(ConfigurableApplicationContext context) implements Services {
    @Override
    public CloseoutStores stores() {
      return context.getBean(CloseoutStores.class);
    }

    @Override
    public void startWorker() {
      // The chainer goes with the worker, as it would have started with it.
      if (context.getBean(AuditProperties.class).chaining()) {
        context.getBean(AuditChainLoop.class).start();
      }
      context.getBean(WorkerLoop.class).start();
    }

    @Override
    public <T> Optional<T> find(Class<T> type) {
      return Optional.ofNullable(context.getBeanProvider(type).getIfAvailable());
    }
  }
}
