package com.closeout.config;

import com.closeout.audit.DriftReconciliation;
import com.closeout.cli.DemoLauncher;
import com.closeout.cli.EvaluationLauncher;
import com.closeout.cli.ScenarioLauncher;
import com.closeout.evaluation.Evaluation;
import com.closeout.evaluation.ScenarioBatch;
import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.StepCommitListener;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.notice.jdbc.JdbcNoticeDeliveries;
import com.closeout.targets.resilience.ConfiguredTargets;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** Assembles the Spring-free engine from its ports; the only place the service is wired. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  EngineProperties.class,
  WorkerProperties.class,
  IntakeProperties.class,
  ReconciliationProperties.class,
  AuditProperties.class,
  ApiProperties.class,
  TargetsProperties.class,
  JiraProperties.class,
  ServiceNowProperties.class,
  SlackTeamsS3Properties.class,
  KafkaIntakeProperties.class
})
public class CloseoutConfiguration {

  /** The store's session settings on every Hikari pool of the context (decision 0014). */
  @Bean
  static StoreSessionSettings storeSessionSettings() {
    return new StoreSessionSettings();
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  CloseoutStores closeoutStores(DataSource dataSource, Clock clock) {
    return JdbcCloseoutStores.create(dataSource, clock);
  }

  /** The in-memory systems: every target of kind {@code sandbox}, and the demo's systems. */
  @Bean
  SandboxSystems sandboxSystems() {
    return new SandboxSystems();
  }

  /** {@code closeout.targets.*}: each system's adapter behind its breaker and rate limiter. */
  @Bean
  ConfiguredTargets configuredTargets(
      TargetsProperties targets,
      JiraProperties jira,
      ServiceNowProperties serviceNow,
      SlackTeamsS3Properties chatAndArchive,
      SandboxSystems sandbox,
      DataSource dataSource,
      CloseoutStores stores,
      Clock clock) {
    return TargetsAssembly.assemble(
        targets,
        new VendorSettings(
            jira,
            serviceNow,
            chatAndArchive,
            new JdbcNoticeDeliveries(dataSource, stores.audit(), clock)),
        sandbox,
        clock,
        System.getenv());
  }

  @Bean
  TargetPorts targetPorts(ConfiguredTargets targets) {
    return targets.ports();
  }

  @Bean
  CloseoutEngine closeoutEngine(
      TargetPorts ports,
      CloseoutStores stores,
      Clock clock,
      EngineProperties engine,
      WorkerProperties worker,
      ExecutorService closureExecutor) {
    return new CloseoutEngine(
        ports,
        stores,
        clock,
        engine.toSettings(),
        worker.workerId(),
        StepCommitListener.NONE,
        // java.util.Random is safe to share between the web threads and the worker.
        new Random(),
        worker.parallelism() > 1 ? closureExecutor : null);
  }

  /** Works the closures of one claimed batch at once, so a slow target's latency overlaps. */
  @Bean(destroyMethod = "shutdown")
  ExecutorService closureExecutor(WorkerProperties worker) {
    AtomicInteger threads = new AtomicInteger();
    return Executors.newFixedThreadPool(
        worker.parallelism(),
        task -> {
          Thread thread = new Thread(task, "closeout-closure-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /** The {@code scenario} command: each file on fresh sandbox systems and a throw-away schema. */
  @Bean
  ScenarioLauncher scenarioLauncher(DataSource dataSource) {
    return new ScenarioBatch(dataSource)::run;
  }

  /** The {@code demo} command: a generated campaign on this store and this sandbox. */
  @Bean
  DemoLauncher demoLauncher(
      DataSource dataSource,
      SandboxSystems sandbox,
      EngineProperties engine,
      TargetsProperties targets,
      Clock clock) {
    return new DemoCampaignLauncher(dataSource, sandbox, engine.toSettings(), targets, clock);
  }

  /** The {@code evaluate} command: seeded campaigns, each on a throw-away schema of this store. */
  @Bean
  EvaluationLauncher evaluationLauncher(DataSource dataSource, EngineProperties engine) {
    return new EvaluationCampaignLauncher(new Evaluation(dataSource, engine.toSettings()));
  }

  @Bean
  CloudEventJsonReader cloudEventJsonReader() {
    return new CloudEventJsonReader();
  }

  @Bean
  FilterRegistrationBean<OperatorAccessFilter> operatorAccessFilter(ApiProperties api) {
    FilterRegistrationBean<OperatorAccessFilter> registration =
        new FilterRegistrationBean<>(new OperatorAccessFilter(api));
    registration.addUrlPatterns("/api/v1/*");
    return registration;
  }

  @Bean
  DriftReconciliation driftReconciliation(TargetPorts ports, CloseoutStores stores, Clock clock) {
    return new DriftReconciliation(
        ports, stores.closures(), stores.audit(), stores.transactions(), clock);
  }

  @Bean
  ReconciliationLoop reconciliationLoop(
      DriftReconciliation reconciliation,
      ReconciliationProperties properties,
      WorkerProperties worker,
      Clock clock) {
    ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    scheduler.setPoolSize(1);
    scheduler.setThreadNamePrefix("closeout-reconciliation-");
    scheduler.initialize();
    return new ReconciliationLoop(reconciliation, scheduler, properties, worker, clock);
  }

  @Bean
  AuditChainLoop auditChainLoop(
      CloseoutStores stores, AuditProperties audit, WorkerProperties worker) {
    return new AuditChainLoop(
        stores.audit(), audit.chainInterval(), audit.chaining() && worker.enabled());
  }

  @Bean
  WorkerLoop workerLoop(CloseoutEngine engine, WorkerProperties worker) {
    return new WorkerLoop(engine, worker);
  }
}
