package org.fangxian.task.internal;

import java.time.Duration;

import org.fangxian.task.TaskType;
import org.fangxian.task.Urgency;

import org.springframework.stereotype.Component;

/**
 * The states of a supply request (生活保障): new → assigned → bought → delivered; failed
 * (with a reason) from any open state; cancelled by whoever asked, while open.
 */
public enum SupportState {

	NEW, ASSIGNED, BOUGHT, DELIVERED, FAILED, CANCELLED;

	/** The table: one step forward at a time; failed or cancelled from any open state. */
	static final Transitions<SupportState> MOVES = Transitions.of(SupportState.class)
		.from(NEW, ASSIGNED, FAILED, CANCELLED)
		.from(ASSIGNED, BOUGHT, FAILED, CANCELLED)
		.from(BOUGHT, DELIVERED, FAILED, CANCELLED);

	public boolean open() {
		return MOVES.isOpen(this);
	}

	/** Whether {@code to} may follow this state, by the table. */
	public boolean allows(SupportState to) {
		return MOVES.allows(this, to);
	}

	static SupportState parse(String raw) {
		return MOVES.parse(raw).orElse(null);
	}

	/** The supply request as a {@link TaskType} of the engine. */
	@Component
	static class Type extends TableTaskType<SupportState> {

		static final String CODE = "SUPPORT";

		Type() {
			super(CODE, NEW, MOVES);
		}

		/**
		 * Medicine for a sealed pensioner within 2 hours; a normal request within a day.
		 */
		@Override
		public Duration deadline(Urgency urgency) {
			return switch (urgency) {
				case URGENT -> Duration.ofHours(2);
				case HIGH -> Duration.ofHours(6);
				case NORMAL -> Duration.ofHours(24);
			};
		}

	}

}
