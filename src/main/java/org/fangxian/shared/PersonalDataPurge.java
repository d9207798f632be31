package org.fangxian.shared;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A module's part of the purge at the end of an emergency (清除个人信息): each module deletes
 * its own records that hold personal data (scans, check-ins, reports, door visits…) made
 * before a cut-off within a subtree, and keeps its anonymous daily statistics (the
 * dashboard's read models), which no purge touches. Implemented by each module for its
 * own tables, run by reporting's purge for an HQ administrator.
 *
 * <p>
 * Deletes go in small batches, each committed on its own, children before parents, so a
 * crash or a restart leaves no half state and a rerun carries on where it stopped.
 */
public interface PersonalDataPurge {

	/** The module whose tables this purges, for the purge's account. */
	String module();

	/**
	 * Deletes the module's personal records made before {@code before} whose place lies
	 * in the subtree {@code [path, end)} (a node's path and {@code Node.subtreeEnd()}).
	 * @return rows deleted, by table
	 */
	Map<String, Long> purge(Instant before, String path, String end);

	/** Rows a batch deletes: small enough to keep locks and WAL short. */
	int BATCH = 5_000;

	/**
	 * Runs {@code delete … limit BATCH}-style statement {@code batch} until it deletes
	 * nothing, each run its own transaction (the caller holds none); the total.
	 */
	static long inBatches(java.util.function.IntSupplier batch) {
		long total = 0;
		int n;
		do {
			n = batch.getAsInt();
			total += n;
		}
		while (n > 0);
		return total;
	}

	/**
	 * Runs the purge statement {@code sql} ({@code delete … limit BATCH}) in batches with
	 * the purge's parameters {@code :before} (the cut-off), {@code :lastDay} (the day
	 * before it), {@code :path} and {@code :end} (the subtree); the rows deleted.
	 */
	default long batches(JdbcClient jdbc, String sql, Timestamp before, Date lastDay, String path, String end) {
		return inBatches(() -> jdbc.sql(sql)
			.param("before", before)
			.param("lastDay", lastDay)
			.param("path", path)
			.param("end", end)
			.update());
	}

}
