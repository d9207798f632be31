package org.fangxian.task.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one guard of every task type's transition table, and the three tables read through
 * it: work orders never skip or go back, rectifications reopen until a re-inspection
 * closes them.
 */
class TransitionsTest {

	@Test
	void theGuardAllowsOnlyListedMovesAndRefusesUnknownNames() {
		assertThat(WorkOrderState.MOVES.allows("new", " DISPATCHED ")).isTrue();
		assertThat(WorkOrderState.MOVES.allows("NEW", "REPLIED")).isFalse();
		assertThat(WorkOrderState.MOVES.allows("REPLIED", "DISPATCHED")).isFalse();
		assertThat(WorkOrderState.MOVES.allows("CLOSED", "NEW")).isFalse();
		assertThat(WorkOrderState.MOVES.allows("NEW", "LOST")).isFalse();
		assertThat(WorkOrderState.MOVES.allows((String) null, "NEW")).isFalse();
		assertThat(WorkOrderState.MOVES.isOpen("CLOSED")).isFalse();
		assertThat(WorkOrderState.MOVES.isOpen("REPLIED")).isTrue();
		assertThat(WorkOrderState.MOVES.isOpen("LOST")).isFalse();
	}

	@Test
	void aRectificationReopensAsOftenAsItFailsAndClosesOnce() {
		RectificationState.Type type = new RectificationState.Type();
		assertThat(type.initialState()).isEqualTo("OPEN");
		assertThat(type.allows("OPEN", "REOPENED")).isTrue();
		assertThat(type.allows("REOPENED", "REOPENED")).isTrue();
		assertThat(type.allows("REOPENED", "CLOSED")).isTrue();
		assertThat(type.allows("OPEN", "OPEN")).isFalse();
		assertThat(type.allows("CLOSED", "REOPENED")).isFalse();
		assertThat(type.allows("CLOSED", "OPEN")).isFalse();
		assertThat(type.isOpen("REOPENED")).isTrue();
		assertThat(type.isOpen("CLOSED")).isFalse();
	}

	@Test
	void everyTypeReadsItsTableThroughTheSameGuard() {
		for (SupportState from : SupportState.values()) {
			for (SupportState to : SupportState.values()) {
				assertThat(new SupportState.Type().allows(from.name(), to.name())).as(from + " → " + to)
					.isEqualTo(SupportState.MOVES.allows(from, to))
					.isEqualTo(from.allows(to));
			}
		}
	}

}
