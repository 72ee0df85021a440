package com.closeout.propagation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.bench.CountingDataSource;
import com.closeout.testsupport.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class WritesWithCommitIntegrationTests {
  private IsolatedSchema schema;
  private CountingDataSource counted;
  private SpringTransactionRunner transactions;
  private JdbcClient sql;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema("held");
    counted = new CountingDataSource(schema.dataSource());
    transactions = new SpringTransactionRunner(counted);
    sql = JdbcClient.create(counted);
    sql.sql("CREATE TABLE held_rows (id integer PRIMARY KEY, what text NOT NULL)").update();
  }

  @AfterEach
  void dropSchema() {
    schema.close();
  }

  @Test
  void aHeldWriteCommitsWithTheTransactionInTheSameExecution() {
    CountingDataSource.Counts before = counted.counts();

    transactions.inTransaction(
        () -> {
          insertNow(1, "at once");
          WritesWithCommit.hold(counted, write(2, "with the commit"));
        });

    CountingDataSource.Counts spent = counted.counts().minus(before);
    assertThat(ids()).containsExactly(1, 2);
    // The insert, then the held insert and COMMIT as one execution; the manager's commit() call
    // after it finds the transaction over.
    assertThat(spent.roundTrips()).isEqualTo(2);
    assertThat(spent.commits()).isEqualTo(1);
    assertThat(spent.commitRoundTrips()).isZero();
  }

  @Test
  void withNothingHeldTheCommitIsARoundTripOfItsOwn() {
    CountingDataSource.Counts before = counted.counts();

    transactions.inTransaction(() -> insertNow(1, "at once"));

    CountingDataSource.Counts spent = counted.counts().minus(before);
    assertThat(ids()).containsExactly(1);
    assertThat(spent.roundTrips()).isEqualTo(1);
    assertThat(spent.commitRoundTrips()).isEqualTo(1);
  }

  @Test
  void aHeldWriteThatFailsLeavesNothingOfItsTransaction() {
    insertNow(7, "there before");

    assertThatThrownBy(
            () ->
                transactions.inTransaction(
                    () -> {
                      insertNow(1, "at once");
                      WritesWithCommit.hold(counted, write(7, "a key already taken"));
                    }))
        .isInstanceOf(DataAccessException.class);

    assertThat(ids()).containsExactly(7);
    // The connection went back to the pool fit for the next transaction.
    transactions.inTransaction(() -> WritesWithCommit.hold(counted, write(8, "next")));
    assertThat(ids()).containsExactly(7, 8);
  }

  @Test
  void aTransactionThatRollsBackDropsWhatItHeld() {
    assertThatThrownBy(
            () ->
                transactions.inTransaction(
                    () -> {
                      WritesWithCommit.hold(counted, write(1, "dropped"));
                      throw new IllegalStateException("the work failed");
                    }))
        .isInstanceOf(IllegalStateException.class);

    transactions.inTransaction(() -> insertNow(2, "later"));
    assertThat(ids()).containsExactly(2);
  }

  @Test
  void aJoinedTransactionDoesNotCommitTheOneItJoined() {
    assertThatThrownBy(
            () ->
                transactions.inTransaction(
                    () -> {
                      transactions.inTransaction(
                          () -> WritesWithCommit.hold(counted, write(1, "inner")));
                      insertNow(2, "outer");
                      throw new IllegalStateException("the outer work failed");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(ids()).isEmpty();
  }

  @Test
  void aTransactionTheRunnerDidNotBeginSendsWhatItHeldBeforeItsCommit() {
    new TransactionTemplate(new DataSourceTransactionManager(counted))
        .executeWithoutResult(
            status -> {
              WritesWithCommit.hold(counted, write(1, "held"));
              insertNow(2, "after it");
            });

    assertThat(ids()).containsExactly(1, 2);
  }

  @Test
  void whatATransactionHeldIsSentFirstWhenItsHolderAsks() {
    transactions.inTransaction(
        () -> {
          WritesWithCommit.hold(counted, write(1, "held"));
          WritesWithCommit.sendHeld(counted, "test");
          assertThat(ids()).containsExactly(1);
          insertNow(2, "after it");
        });

    assertThat(ids()).containsExactly(1, 2);
  }

  @Test
  void aHolderAskingSendsOnlyItsOwnWritesAndTheOthersStillRideTheCommit() {
    CountingDataSource.Counts before = counted.counts();

    transactions.inTransaction(
        () -> {
          WritesWithCommit.hold(counted, write("other", 1, "rides the commit"));
          WritesWithCommit.hold(counted, write("test", 2, "sent when asked"));
          WritesWithCommit.hold(counted, write("other", 3, "rides the commit too"));
          WritesWithCommit.sendHeld(counted, "test");
          assertThat(ids()).containsExactly(2);
        });

    CountingDataSource.Counts spent = counted.counts().minus(before);
    assertThat(ids()).containsExactly(1, 2, 3);
    // The asked-for write, the read, then the other two with the COMMIT.
    assertThat(spent.roundTrips()).isEqualTo(3);
    assertThat(spent.commitRoundTrips()).isZero();
  }

  @Test
  void outsideATransactionAHeldWriteRunsAtOnce() {
    WritesWithCommit.hold(counted, write(1, "alone"));

    assertThat(ids()).containsExactly(1);
  }

  private static WritesWithCommit.Write write(int id, String what) {
    return write("test", id, what);
  }

  private static WritesWithCommit.Write write(String holder, int id, String what) {
    return new WritesWithCommit.Write(
        holder,
        "INSERT INTO held_rows (id, what) VALUES (:id, :what)",
        Map.of("id", id, "what", what));
  }

  private void insertNow(int id, String what) {
    sql.sql("INSERT INTO held_rows (id, what) VALUES (:id, :what)")
        .param("id", id)
        .param("what", what)
        .update();
  }

  private List<Integer> ids() {
    return sql.sql("SELECT id FROM held_rows ORDER BY id").query(Integer.class).list();
  }
}
