package org.fangxian.notification.internal;

import java.time.Duration;

/**
 * Spaces out submits to the account's rate: at most one every 1/rate seconds, without
 * bursts, because operators count per second and answer a burst with ESME_RTHROTTLED.
 */
final class Throttle {

	private final long intervalNanos;

	private long next = System.nanoTime();

	Throttle(double perSecond) {
		this.intervalNanos = (long) (Duration.ofSeconds(1).toNanos() / perSecond);
	}

	/** Waits for the next free slot and takes it. */
	void acquire() throws InterruptedException {
		long wait;
		synchronized (this) {
			long now = System.nanoTime();
			long slot = Math.max(now, this.next);
			this.next = slot + this.intervalNanos;
			wait = slot - now;
		}
		if (wait > 0) {
			Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
		}
	}

}
