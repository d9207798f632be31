package org.fangxian.checkpoint.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.fangxian.checkpoint.internal.ScanReads.Ask;
import org.fangxian.checkpoint.internal.ScanReads.Read;

/**
 * The gate's scans read, decided and written by one hand-over (issue 17). A scan that
 * brings its time is handed to one of a few pipeline threads with what it must read, how
 * to decide on it and how to make its row; a thread takes the scans that queued while it
 * was busy and does them together: one read ({@link ScanReads#readAll}), each scan's own
 * decision, one write and one commit ({@link ScanWriter#writeAll}). The request thread
 * hands over once and waits once, where separate readers and writers cost two of each; a
 * batch spans the whole read-decide-write cycle, so more scans share its statements.
 *
 * <p>
 * Nothing waits for company: an idle thread takes a lone scan at once. Every answer is
 * still one committed row: a scan is answered after the commit that wrote it. A scan
 * whose decision fails fails alone and is not written; when the batch's read or write
 * fails, each scan is done again alone ({@link Batcher}), so a row that cannot be written
 * fails its own request and no other.
 *
 * @param <D> the decision a scan's row is made from
 */
final class ScanPipeline<D> implements AutoCloseable {

	/**
	 * A scan handed over: what to read (null: decided without reading, e.g. an unreadable
	 * direction, which is still recorded), the decision on what was read (given
	 * {@code Optional.empty()} when nothing was asked or found), and the row to write.
	 */
	record Scan<D>(Ask ask, Function<Optional<Read>, D> decide, Function<D, ScanWriter.Row> row) {
	}

	/**
	 * What became of a scan: its decision and row id (null: the key and time were
	 * recorded before, so the caller finds the first answer), or the failure to throw on
	 * the caller's thread.
	 */
	record Done<D>(D decision, Long scanId, RuntimeException failure) {

		private static <D> Done<D> failed(RuntimeException failure) {
			return new Done<>(null, null, failure);
		}

	}

	private final ScanReads reads;

	private final ScanWriter writer;

	private final Function<ScanWriter.Row, Long> single;

	private final Batcher<Scan<D>, Done<D>> batcher;

	/**
	 * @param single the single-row statement: a lone scan, and each scan of a batch that
	 * failed
	 * @param threads how many batches may be in flight at once: with two, one waits for
	 * its commit while the other reads
	 * @param size the most scans in one batch
	 */
	ScanPipeline(ScanReads reads, ScanWriter writer, Function<ScanWriter.Row, Long> single, int threads, int size) {
		this.reads = reads;
		this.writer = writer;
		this.single = single;
		this.batcher = new Batcher<>("gate-scan-pipeline", this::all, this::alone, threads, size);
	}

	/** Reads, decides and writes the scan, alone or with others. */
	Done<D> submit(Scan<D> scan) {
		return this.batcher.submit(scan);
	}

	/** How many scans wait for a thread (tests). */
	int queued() {
		return this.batcher.queued();
	}

	/** How many batches failed and were done again scan by scan (tests). */
	long failed() {
		return this.batcher.failed();
	}

	private List<Done<D>> all(List<Scan<D>> scans) {
		List<Ask> asks = new ArrayList<>(scans.size());
		for (Scan<D> scan : scans) {
			if (scan.ask() != null) {
				asks.add(scan.ask());
			}
		}
		List<Optional<Read>> found = asks.isEmpty() ? List.of() : this.reads.readAll(asks);
		// Each scan's decision (its id still to come) or failure, in the scans' order.
		List<Done<D>> done = new ArrayList<>(scans.size());
		List<ScanWriter.Row> rows = new ArrayList<>(scans.size());
		int asked = 0;
		for (Scan<D> scan : scans) {
			Optional<Read> read = scan.ask() == null ? Optional.empty() : found.get(asked++);
			try {
				D decision = scan.decide().apply(read);
				rows.add(scan.row().apply(decision));
				done.add(new Done<>(decision, null, null));
			}
			catch (RuntimeException ex) {
				done.add(Done.failed(ex));
			}
		}
		List<Long> ids = rows.isEmpty() ? List.of() : this.writer.writeAll(rows);
		int written = 0;
		for (int i = 0; i < done.size(); i++) {
			if (done.get(i).failure() == null) {
				done.set(i, new Done<>(done.get(i).decision(), ids.get(written++), null));
			}
		}
		return done;
	}

	private Done<D> alone(Scan<D> scan) {
		try {
			D decision = scan.decide().apply(scan.ask() == null ? Optional.empty() : this.reads.readAlone(scan.ask()));
			return new Done<>(decision, this.single.apply(scan.row().apply(decision)), null);
		}
		catch (RuntimeException ex) {
			return Done.failed(ex);
		}
	}

	/**
	 * Stops the threads; a scan still queued is done alone by the thread that stops, and
	 * a scan handed over later by its own caller.
	 */
	@Override
	public void close() {
		this.batcher.close();
	}

}
