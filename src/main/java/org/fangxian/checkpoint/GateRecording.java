package org.fangxian.checkpoint;

import java.time.Instant;

import org.fangxian.security.CurrentUser;

/**
 * Recording at a gate from another module (the demo, a device bridge): the same rules,
 * permissions and idempotency as the guard's scan page, without reaching into the
 * module's internals.
 */
public interface GateRecording {

	/** A pass scanned at the gate; the temperature as read ("36.4"), or null. */
	record Passage(String qr, Direction direction, String temperature, String idempotencyKey, Instant at) {
	}

	/**
	 * A visitor, delivery or turn-back registered by the guard ({@code kind} VISITOR,
	 * DELIVERY, TURN_BACK).
	 */
	record Visit(String kind, String name, String purpose, String visiting, String reason, String idempotencyKey,
			Instant at) {
	}

	void scan(CurrentUser guard, long checkpointId, Passage passage);

	long register(CurrentUser guard, long checkpointId, Visit visit);

}
