package org.fangxian.checkpoint.internal;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	private static final Logger log = LoggerFactory.getLogger(ScanWriter.class);

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

	private record Pending(Row row, CompletableFuture<Long> written) {
	}

	private final JdbcTemplate jdbc;

	/** The single-row statement: a lone scan, and each scan of a batch that failed. */
	private final Function<Row, Long> single;

	private final int batchSize;

	private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

	private final List<Thread> writers = new ArrayList<>();

	private volatile boolean closed;

	/**
	 * @param writers how many batches may be in flight at once: with two, one is
	 * committing (waiting for the disk) while the other is written
	 * @param batchSize the most scans in one statement
	 */
	ScanWriter(JdbcTemplate jdbc, Function<Row, Long> single, int writers, int batchSize) {
		if (writers < 1 || batchSize < 1) {
			throw new IllegalArgumentException("writers and batchSize must be at least 1");
		}
		this.jdbc = jdbc;
		this.single = single;
		this.batchSize = batchSize;
		for (int i = 0; i < writers; i++) {
			Thread thread = new Thread(this::run, "gate-scan-writer-" + i);
			thread.setDaemon(true);
			this.writers.add(thread);
			thread.start();
		}
	}

	/**
	 * Records a scan and returns its id once it is committed, or null when its key and
	 * time were recorded before (the caller finds the first answer). A failure to write
	 * it is thrown here, on the caller's thread.
	 */
	Long write(Row row) {
		if (this.closed) {
			return this.single.apply(row);
		}
		Pending pending = new Pending(row, new CompletableFuture<>());
		this.queue.add(pending);
		if (this.closed && this.queue.remove(pending)) {
			return this.single.apply(row);
		}
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return pending.written().get();
				}
				catch (InterruptedException ex) {
					// The row is in a writer's hands: its answer is what the guard needs.
					interrupted = true;
				}
				catch (ExecutionException ex) {
					if (ex.getCause() instanceof RuntimeException runtime) {
						throw runtime;
					}
					if (ex.getCause() instanceof Error error) {
						throw error;
					}
					throw new IllegalStateException(ex.getCause());
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void run() {
		List<Pending> taken = new ArrayList<>(this.batchSize);
		while (!this.closed) {
			try {
				Pending first = this.queue.poll(1, TimeUnit.SECONDS);
				if (first == null) {
					continue;
				}
				taken.add(first);
				this.queue.drainTo(taken, this.batchSize - 1);
				write(taken);
			}
			catch (InterruptedException ex) {
				break;
			}
			catch (RuntimeException | Error ex) {
				taken.forEach(p -> p.written().completeExceptionally(ex));
			}
			finally {
				taken.clear();
			}
		}
		// Closed: what is left is written here, so no caller waits for ever.
		List<Pending> left = new ArrayList<>();
		this.queue.drainTo(left);
		left.forEach(this::alone);
	}

	private void write(List<Pending> taken) {
		if (taken.size() == 1) {
			alone(taken.get(0));
			return;
		}
		List<Pending> batch = new ArrayList<>(taken.size());
		List<Pending> again = new ArrayList<>();
		Set<List<Object>> keys = new HashSet<>();
		for (Pending pending : taken) {
			(keys.add(pending.row().identity()) ? batch : again).add(pending);
		}
		Map<Integer, Long> ids;
		try {
			ids = this.jdbc.query(connection -> statement(connection, batch), rs -> {
				Map<Integer, Long> found = new HashMap<>();
				while (rs.next()) {
					found.put(rs.getInt(1), rs.getLong(2));
				}
				return found;
			});
		}
		catch (RuntimeException ex) {
			log.debug("A batch of {} scans failed; each is written alone", batch.size(), ex);
			batch.forEach(this::alone);
			again.forEach(p -> p.written().complete(null));
			return;
		}
		for (int i = 0; i < batch.size(); i++) {
			batch.get(i).written().complete(ids.get(i + 1));
		}
		// The same key twice in one batch: the second is a retry of the first.
		again.forEach(p -> p.written().complete(null));
	}

	private void alone(Pending pending) {
		try {
			pending.written().complete(this.single.apply(pending.row()));
		}
		catch (RuntimeException | Error ex) {
			pending.written().completeExceptionally(ex);
		}
	}

	private static PreparedStatement statement(Connection connection, List<Pending> batch) throws SQLException {
		int n = batch.size();
		String[][] columns = new String[14][n];
		for (int i = 0; i < n; i++) {
			Row row = batch.get(i).row();
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
		this.closed = true;
		for (Thread writer : this.writers) {
			try {
				writer.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
