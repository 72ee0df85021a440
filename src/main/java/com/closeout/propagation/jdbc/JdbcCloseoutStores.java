package com.closeout.propagation.jdbc;

import com.closeout.audit.jdbc.JdbcAuditTrail;
import com.closeout.audit.jdbc.JdbcCompletionRecords;
import com.closeout.followup.jdbc.JdbcFollowUpStore;
import com.closeout.intake.jdbc.JdbcInbox;
import com.closeout.propagation.CloseoutStores;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Builds every JDBC store adapter over one DataSource, sharing one transaction manager. */
public final class JdbcCloseoutStores {
  private JdbcCloseoutStores() {}

  /** Audit times and claim stamps from the system clock. */
  public static CloseoutStores create(DataSource dataSource) {
    return create(dataSource, Clock.systemUTC());
  }

  /**
   * @param clock the time of audit entries and of claims; pass the engine's clock so a simulated
   *     run stamps simulated times
   */
  public static CloseoutStores create(DataSource dataSource, Clock clock) {
    DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
    return new CloseoutStores(
        new JdbcInbox(dataSource),
        new JdbcClosureStore(dataSource, transactions, clock),
        new JdbcAuditTrail(dataSource, transactions, clock),
        new JdbcCompletionRecords(dataSource),
        new JdbcFollowUpStore(dataSource),
        new SpringTransactionRunner(transactions));
  }
}
