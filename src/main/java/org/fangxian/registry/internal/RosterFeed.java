package org.fangxian.registry.internal;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a roster and prepares its rows on a thread of its own, a chunk or two ahead of
 * the import's transaction: parsing a row, checking its ID number and making its keyed
 * hashes is pure CPU work that need not wait while the database writes the chunk before
 * (a quarter of a million-row import's time was the database waiting for the
 * application). Only work without the database or the request's locale belongs here; the
 * importer keeps everything else on its own thread, in file order.
 *
 * <p>
 * Memory stays bounded: at most {@value #AHEAD} chunks wait. The reader's failure (a file
 * that is no roster) is thrown by {@link #next()}; {@link #close()} stops the reader when
 * the import ends early, so the caller's stream is not read after the import returns.
 *
 * @param <T> a prepared row
 */
final class RosterFeed<T> implements AutoCloseable {

	/** Chunks prepared ahead of the one being written. */
	static final int AHEAD = 2;

	private static final Object END = new Object();

	private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(AHEAD);

	private final Thread reader;

	private volatile boolean closed;

	private boolean ended;

	private record Failure(RuntimeException exception) {
	}

	/** Thrown inside the reader's thread to unwind it once the import stopped. */
	private static final class Stopped extends RuntimeException {

		Stopped() {
			super(null, null, false, false);
		}

	}

	private RosterFeed(InputStream in, String filename, Map<String, RosterField> overrides,
			Consumer<RosterSheet> onHeader, int chunkSize, Function<RosterRow, T> prepare) {
		this.reader = new Thread(() -> {
			List<T> chunk = new ArrayList<>(chunkSize);
			try {
				new RosterReader().stream(in, filename, overrides, onHeader, row -> {
					if (this.closed) {
						throw new Stopped();
					}
					chunk.add(prepare.apply(row));
					if (chunk.size() == chunkSize) {
						hand(new ArrayList<>(chunk));
						chunk.clear();
					}
				});
				if (!chunk.isEmpty()) {
					hand(chunk);
				}
				hand(END);
			}
			catch (Stopped ex) {
				// The import ended first; nobody waits for the rest.
			}
			catch (RuntimeException | Error ex) {
				try {
					hand(new Failure(ex instanceof RuntimeException runtime ? runtime
							: new IllegalStateException("the roster's reader failed", ex)));
				}
				catch (Stopped stopped) {
					// As above.
				}
			}
		}, "roster-reader");
		this.reader.setDaemon(true);
	}

	/**
	 * Starts reading.
	 * @param prepare what is done to each row on the reader's thread; must not touch the
	 * database or anything bound to the caller's thread
	 */
	static <T> RosterFeed<T> start(InputStream in, String filename, Map<String, RosterField> overrides,
			Consumer<RosterSheet> onHeader, int chunkSize, Function<RosterRow, T> prepare) {
		RosterFeed<T> feed = new RosterFeed<>(in, filename, overrides, onHeader, chunkSize, prepare);
		feed.reader.start();
		return feed;
	}

	/**
	 * The next chunk of prepared rows in file order, or null after the last.
	 * @throws RosterFormatException (or any other failure of the reader) where the file
	 * stopped being readable; the chunks before it were delivered
	 */
	@SuppressWarnings("unchecked")
	List<T> next() {
		if (this.closed) {
			throw new IllegalStateException("the roster feed is closed");
		}
		if (this.ended) {
			return null;
		}
		Object taken;
		try {
			taken = this.chunks.take();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the roster's rows", ex);
		}
		if (taken == END) {
			this.ended = true;
			return null;
		}
		if (taken instanceof Failure failure) {
			this.ended = true;
			throw failure.exception();
		}
		return (List<T>) taken;
	}

	private void hand(Object item) {
		try {
			while (!this.chunks.offer(item, 100, TimeUnit.MILLISECONDS)) {
				if (this.closed) {
					throw new Stopped();
				}
			}
		}
		catch (InterruptedException ex) {
			throw new Stopped();
		}
	}

	/**
	 * Stops the reader (if it is still going) and waits for it to let go of the stream.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.chunks.clear();
		try {
			this.reader.join(TimeUnit.SECONDS.toMillis(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
