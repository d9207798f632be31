package org.fangxian.task.internal;

import java.time.Duration;

import org.fangxian.task.TaskType;
import org.fangxian.task.Urgency;

import org.springframework.stereotype.Component;

/**
 * The states of a rectification (整改) ordered by an inspection's failed item: open until a
 * re-inspection (复查) finds it put right (closed), or finds it still wrong (reopened, with
 * a new deadline, as often as it takes).
 */
public enum RectificationState {

	OPEN, REOPENED, CLOSED;

	static final Transitions<RectificationState> MOVES = Transitions.of(RectificationState.class)
		.from(OPEN, CLOSED, REOPENED)
		.from(REOPENED, CLOSED, REOPENED);

	/** The rectification as a {@link TaskType} of the engine. */
	@Component
	static class Type extends TableTaskType<RectificationState> {

		static final String CODE = "RECTIFICATION";

		Type() {
			super(CODE, OPEN, MOVES);
		}

		/**
		 * The inspector sets the deadline in days; these are the engine's defaults when
		 * none is given (an urgent hazard within a day).
		 */
		@Override
		public Duration deadline(Urgency urgency) {
			return switch (urgency) {
				case URGENT -> Duration.ofDays(1);
				case HIGH -> Duration.ofDays(3);
				case NORMAL -> Duration.ofDays(7);
			};
		}

	}

}
