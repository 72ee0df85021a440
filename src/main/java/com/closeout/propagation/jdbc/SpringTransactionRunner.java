package com.closeout.propagation.jdbc;

import com.closeout.propagation.TransactionRunner;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Store transactions without a Spring context. Work joins a transaction already open on this thread
 * (propagation REQUIRED); JdbcClient and JdbcTemplate over the same DataSource take part.
 */
public final class SpringTransactionRunner implements TransactionRunner {
  private final TransactionTemplate template;

  public SpringTransactionRunner(PlatformTransactionManager transactionManager) {
    this.template = new TransactionTemplate(transactionManager);
  }

  public SpringTransactionRunner(DataSource dataSource) {
    this(new DataSourceTransactionManager(dataSource));
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    return template.execute(status -> work.get());
  }
}
