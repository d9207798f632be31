package org.fangxian.task.internal;

import java.time.Duration;

import org.fangxian.task.TaskType;
import org.fangxian.task.Urgency;

import org.springframework.stereotype.Component;

/**
 * The states of a 12345 work order (工单): received → dispatched (转派) → replied to the
 * caller → closed with their satisfaction. Nothing is skipped, nothing goes back.
 */
public enum WorkOrderState {

	NEW, DISPATCHED, REPLIED, CLOSED;

	/** The table: each state to the next, none back, none skipped. */
	static final Transitions<WorkOrderState> MOVES = Transitions.of(WorkOrderState.class)
		.from(NEW, DISPATCHED)
		.from(DISPATCHED, REPLIED)
		.from(REPLIED, CLOSED);

	public boolean allows(WorkOrderState to) {
		return MOVES.allows(this, to);
	}

	static WorkOrderState parse(String raw) {
		return MOVES.parse(raw).orElse(null);
	}

	/** The work order as a {@link TaskType} of the engine. */
	@Component
	static class Type extends TableTaskType<WorkOrderState> {

		static final String CODE = "WORK_ORDER";

		Type() {
			super(CODE, NEW, MOVES);
		}

		/**
		 * Until dispatch: a day for an ordinary order (the dispatch then sets the unit's
		 * own deadline).
		 */
		@Override
		public Duration deadline(Urgency urgency) {
			return switch (urgency) {
				case URGENT -> Duration.ofHours(2);
				case HIGH -> Duration.ofHours(8);
				case NORMAL -> Duration.ofHours(24);
			};
		}

	}

}
