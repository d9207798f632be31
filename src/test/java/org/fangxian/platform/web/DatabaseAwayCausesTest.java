package org.fangxian.platform.web;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures are "the database is away" (503, retry with the same key) rather than a
 * server error (500).
 */
class DatabaseAwayCausesTest {

	@Test
	void aRollbackOnTheClosedConnectionOfACutCommitIsTheDatabaseAway() {
		// What DataSourceTransactionManager throws when the commit was cut off and its
		// rollback then met Hikari's closed connection (seen in DatabaseRestartTest).
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
				new SQLException("Connection is closed"));
		assertThat(ApiErrors.databaseAway(rollback)).isTrue();
	}

	@Test
	void aConnectionExceptionIsTheDatabaseAway() {
		assertThat(ApiErrors.databaseAway(new IllegalStateException(new SQLException("gone", "08006")))).isTrue();
	}

	@Test
	void otherTransactionFailuresAreNot() {
		assertThat(ApiErrors.databaseAway(
				new TransactionSystemException("JDBC commit failed", new SQLException("deferred check", "23514"))))
			.isFalse();
		assertThat(ApiErrors
			.databaseAway(new TransactionSystemException("JDBC rollback failed", new SQLException("something else"))))
			.isFalse();
	}

}
