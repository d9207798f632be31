package org.fangxian.checkpoint.internal;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * Group commit for the gate's scans (issue 17). A scan that brings its own time is
 * written by one of a few writer threads; the scans that arrive while a writer is busy go
 * to the database together, in one statement and one commit, when the writer comes back.
 * Nothing waits for company: an idle writer takes a lone scan at once, with the
 * single-row statement, so a quiet gate sees no delay and a busy one shares the cost of a
 * statement and a commit (the executor's start over the partitioned table, the fsync)
 * among the scans that came together.
 *
 * <p>
 * A scan is answered only after the statement that wrote it has committed, so every
 * answer is still one durable row. The statement is all or nothing: a crash leaves no
 * part of a batch. When a batch fails, each of its scans is written again alone, so a row
 * that cannot be written fails its own request and no other.
 */
final class ScanWriter implements AutoCloseable {

	/**
	 * The scans of a batch, one array per column, and their alerts. A key given twice in
	 * one batch is sent once (the caller finds the first one's answer), so the join back
	 * to the rows is one to one.
	 */
	private static final String BATCH = """
			with batch as (
			    select * from unnest(cast(? as bigint[]), cast(? as bigint[]), cast(? as varchar[]), cast(? as timestamptz[]),
			        cast(? as varchar[]), cast(? as varchar[]), cast(? as bigint[]), cast(? as numeric[]), cast(? as varchar[]),
			        cast(? as varchar[]), cast(? as varchar[]), cast(? as bigint[]), cast(? as text[]), cast(? as text[]))
			        with ordinality as b(district_id, checkpoint_id, idempotency_key, scanned_at, direction, method, resident_id,
			            temperature, plate, decision, reason, account_id, path, alert, n)
			),
			scan as (
			    insert into gate_scan (district_id, checkpoint_id, idempotency_key, scanned_at, direction, method,
			        resident_id, temperature, plate, decision, reason, account_id)
			    select district_id, checkpoint_id, idempotency_key, scanned_at, direction, method, resident_id, temperature,
			        plate, decision, reason, account_id
			    from batch order by n
			    on conflict (district_id, checkpoint_id, idempotency_key, scanned_at) do nothing
			    returning id, district_id, checkpoint_id, idempotency_key, scanned_at
			),
			written as (
			    select batch.n, batch.path, batch.alert, scan.id, scan.checkpoint_id, scan.scanned_at
			    from scan join batch using (district_id, checkpoint_id, idempotency_key, scanned_at)
			),
			alert as (
			    insert into checkpoint_alert (checkpoint_id, path, scan_id, scan_at, kind)
			    select checkpoint_id, path, id, scanned_at, alert from written where alert is not null
			)
			select n, id from written""";

	/**
	 * A scan to record. {@code at} is its time as bound to the single-row statement; a
	 * batch takes only times bound as text (ISO, rounded to the microsecond), so a retry
	 * finds the row whichever way it was written.
	 */
	record Row(long district, long checkpoint, String key, Object at, String direction, String method, Long resident,
			BigDecimal temperature, String plate, String decision, String reason, long account, String path,
			String alert) {

		private static String text(Object at) {
			if (at instanceof SqlParameterValue value && value.getValue() instanceof String text) {
				return text;
			}
			throw new IllegalArgumentException("A batch takes times bound as text");
		}

		private List<Object> identity() {
			return List.of(this.district, this.checkpoint, this.key, text(this.at));
		}

	}

	private static final Comparator<Row> IN_KEY_ORDER = Comparator.comparingLong(Row::district)
		.thenComparingLong(Row::checkpoint)
		.thenComparing(Row::key)
		.thenComparing(row -> Row.text(row.at()));

	private final JdbcTemplate jdbc;

	private final Function<Row, Long> single;

	/** Null: no writers of its own, {@link #writeAll} only ({@link ScanPipeline}). */
	private final Batcher<Row, Long> batcher;

	/**
	 * @param single the single-row statement: a lone scan, and each scan of a batch that
	 * failed
	 * @param writers how many batches may be in flight at once: with two, one is
	 * committing (waiting for the disk) while the other is written; none: each
	 * {@link #write} alone, batches only through {@link #writeAll}
	 * @param batchSize the most scans in one statement
	 */
	ScanWriter(JdbcTemplate jdbc, Function<Row, Long> single, int writers, int batchSize) {
		this.jdbc = jdbc;
		this.single = single;
		this.batcher = writers == 0 ? null
				: new Batcher<>("gate-scan-writer", this::writeAll, single, writers, batchSize);
	}

	/**
	 * Records a scan and returns its id once it is committed, or null when its key and
	 * time were recorded before (the caller finds the first answer). A failure to write
	 * it is thrown here, on the caller's thread.
	 */
	Long write(Row row) {
		return this.batcher == null ? this.single.apply(row) : this.batcher.submit(row);
	}

	/** How many batches failed and were written again row by row (tests). */
	long failed() {
		return this.batcher == null ? 0 : this.batcher.failed();
	}

	/** How many scans wait for a writer (tests). */
	int queued() {
		return this.batcher == null ? 0 : this.batcher.queued();
	}

	/**
	 * Writes the rows in one statement and one commit: each row's id, or null when its
	 * key and time were recorded before or come twice in {@code rows}.
	 */
	List<Long> writeAll(List<Row> rows) {
		List<Row> batch = new ArrayList<>(rows.size());
		Set<List<Object>> keys = new HashSet<>();
		for (Row row : rows) {
			if (keys.add(row.identity())) {
				batch.add(row);
			}
		}
		// In one order for every writer: two batches that each hold a key the other is
		// inserting wait for each other's commit; in the same order that is a queue, in
		// opposite orders a deadlock (a second lost before the database breaks it).
		batch.sort(IN_KEY_ORDER);
		Map<List<Object>, Long> ids = this.jdbc.query(connection -> statement(connection, batch), rs -> {
			Map<List<Object>, Long> found = new HashMap<>();
			while (rs.next()) {
				found.put(batch.get(rs.getInt(1) - 1).identity(), rs.getLong(2));
			}
			return found;
		});
		// The same key twice in one batch: the second is a retry of the first.
		List<Long> written = new ArrayList<>(rows.size());
		keys.clear();
		for (Row row : rows) {
			written.add(keys.add(row.identity()) ? ids.get(row.identity()) : null);
		}
		return written;
	}

	private static PreparedStatement statement(Connection connection, List<Row> batch) throws SQLException {
		int n = batch.size();
		String[][] columns = new String[14][n];
		for (int i = 0; i < n; i++) {
			Row row = batch.get(i);
			columns[0][i] = Long.toString(row.district());
			columns[1][i] = Long.toString(row.checkpoint());
			columns[2][i] = row.key();
			columns[3][i] = Row.text(row.at());
			columns[4][i] = row.direction();
			columns[5][i] = row.method();
			columns[6][i] = row.resident() == null ? null : row.resident().toString();
			columns[7][i] = row.temperature() == null ? null : row.temperature().toPlainString();
			columns[8][i] = row.plate();
			columns[9][i] = row.decision();
			columns[10][i] = row.reason();
			columns[11][i] = Long.toString(row.account());
			columns[12][i] = row.path();
			columns[13][i] = row.alert();
		}
		PreparedStatement statement = connection.prepareStatement(BATCH);
		for (int c = 0; c < columns.length; c++) {
			Array array = connection.createArrayOf("text", columns[c]);
			statement.setArray(c + 1, array);
		}
		return statement;
	}

	/**
	 * Stops the writers; a scan still queued is written alone by the thread that stops,
	 * and a scan that comes later by its own caller.
	 */
	@Override
	public void close() {
		if (this.batcher != null) {
			this.batcher.close();
		}
	}

}
