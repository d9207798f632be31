package org.fangxian.checkpoint.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that callers hand to a few threads of its own, which take whatever has queued up
 * while they were busy and do it together (issue 17: the gate's reads and writes, one
 * statement for many scans). Nothing waits for company: an idle thread takes a lone item
 * at once and does it with {@code single}, so a quiet gate sees no delay and a busy one
 * shares a statement's fixed cost among the scans that came together.
 *
 * <p>
 * When {@code all} fails, each of its items is done again with {@code single}, so an item
 * that cannot be done fails its own caller only. A caller gets its own result or its own
 * exception, on its own thread.
 *
 * @param <I> what a caller hands over
 * @param <O> what it gets back
 */
final class Batcher<I, O> implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Batcher.class);

	private record Pending<I, O>(I input, CompletableFuture<O> done) {
	}

	private final Function<List<I>, List<O>> all;

	private final Function<I, O> single;

	private final int size;

	private final BlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean closed;

	private final String name;

	/**
	 * Items done, and the statements (batches or lone items) they took: the batch size.
	 */
	private final LongAdder items = new LongAdder();

	private final LongAdder rounds = new LongAdder();

	/** Batches that failed and were done again item by item. */
	private final LongAdder failed = new LongAdder();

	/**
	 * @param all does a batch: one result per item, in the items' order
	 * @param threads how many batches may be in flight at once (with two, one waits for
	 * the database while the other is sent)
	 * @param size the most items in one batch
	 */
	Batcher(String name, Function<List<I>, List<O>> all, Function<I, O> single, int threads, int size) {
		if (threads < 1 || size < 1) {
			throw new IllegalArgumentException("threads and size must be at least 1");
		}
		this.name = name;
		this.all = all;
		this.single = single;
		this.size = size;
		for (int i = 0; i < threads; i++) {
			Thread thread = new Thread(this::run, name + "-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	/** Does {@code input} alone or with others, and returns its result once done. */
	O submit(I input) {
		if (this.closed) {
			return this.single.apply(input);
		}
		Pending<I, O> pending = new Pending<>(input, new CompletableFuture<>());
		this.queue.add(pending);
		if (this.closed && this.queue.remove(pending)) {
			return this.single.apply(input);
		}
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return pending.done().get();
				}
				catch (InterruptedException ex) {
					// The item is in a worker's hands: its result is what the caller
					// needs.
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

	/** How many batches failed and were done again item by item (tests). */
	long failed() {
		return this.failed.sum();
	}

	/** How many items wait for a thread (tests). */
	int queued() {
		return this.queue.size();
	}

	private void run() {
		List<Pending<I, O>> taken = new ArrayList<>(this.size);
		while (!this.closed) {
			try {
				Pending<I, O> first = this.queue.poll(1, TimeUnit.SECONDS);
				if (first == null) {
					continue;
				}
				taken.add(first);
				this.queue.drainTo(taken, this.size - 1);
				this.items.add(taken.size());
				this.rounds.increment();
				work(taken);
			}
			catch (InterruptedException ex) {
				break;
			}
			catch (RuntimeException | Error ex) {
				taken.forEach(p -> p.done().completeExceptionally(ex));
			}
			finally {
				taken.clear();
			}
		}
		// Closed: what is left is done here, so no caller waits for ever.
		List<Pending<I, O>> left = new ArrayList<>();
		this.queue.drainTo(left);
		left.forEach(this::alone);
	}

	private void work(List<Pending<I, O>> taken) {
		if (taken.size() == 1) {
			alone(taken.get(0));
			return;
		}
		List<O> results;
		try {
			results = this.all.apply(taken.stream().map(Pending::input).toList());
		}
		catch (RuntimeException ex) {
			this.failed.increment();
			log.debug("A batch of {} failed; each is done alone", taken.size(), ex);
			taken.forEach(this::alone);
			return;
		}
		for (int i = 0; i < taken.size(); i++) {
			taken.get(i).done().complete(results.get(i));
		}
	}

	private void alone(Pending<I, O> pending) {
		try {
			pending.done().complete(this.single.apply(pending.input()));
		}
		catch (RuntimeException | Error ex) {
			pending.done().completeExceptionally(ex);
		}
	}

	/**
	 * Stops the threads; an item still queued is done alone by the thread that stops, and
	 * an item handed over later by its own caller.
	 */
	@Override
	public void close() {
		this.closed = true;
		long rounds = this.rounds.sum();
		if (rounds > 0) {
			log.info("{}: {} items in {} rounds, {} per round", this.name, this.items.sum(), rounds,
					String.format("%.2f", this.items.sum() / (double) rounds));
		}
		for (Thread thread : this.threads) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
