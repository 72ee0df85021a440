package com.closeout.propagation.jdbc;

import com.closeout.propagation.TransactionRunner;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Store transactions without a Spring context. Work joins a transaction already open on this thread
 * (propagation REQUIRED); JdbcClient and JdbcTemplate over the same DataSource take part. A
 * transaction this runner begins on a DataSource it knows sends the writes its work held for the
 * commit ({@link WritesWithCommit}) together with the {@code COMMIT}, in one round trip.
 */
public final class SpringTransactionRunner implements TransactionRunner {
  private final TransactionTemplate template;
  private final DataSource dataSource;

  public SpringTransactionRunner(PlatformTransactionManager transactionManager) {
    this.template = new TransactionTemplate(transactionManager);
    this.dataSource =
        transactionManager instanceof DataSourceTransactionManager manager
            ? manager.getDataSource()
            : null;
  }

  public SpringTransactionRunner(DataSource dataSource) {
    this(new DataSourceTransactionManager(dataSource));
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    return template.execute(
        status -> {
          T result = work.get();
          if (dataSource != null && status.isNewTransaction() && !status.isRollbackOnly()) {
            // Committed here when something was held; the manager's commit then finds the
            // transaction over and does nothing.
            WritesWithCommit.sendWithCommit(dataSource);
          }
          return result;
        });
  }
}
