package com.closeout.config;

import com.closeout.propagation.jdbc.StoreSessions;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives every Hikari pool of the context the store's session settings ({@link StoreSessions},
 * decision 0014) before it starts: the embedded store's and the one Boot builds from {@code
 * spring.datasource.*} alike. A pool already started, or of another kind, keeps what it has:
 * Closeout works the same on it, planning its statements more often.
 */
class StoreSessionSettings implements BeanPostProcessor {
  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof HikariDataSource pool && !pool.isRunning() && !pool.isClosed()) {
      StoreSessions.apply(pool);
    }
    return bean;
  }
}
