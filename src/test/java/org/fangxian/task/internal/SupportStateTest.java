package org.fangxian.task.internal;

import java.time.Instant;
import java.util.List;

import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.Urgency;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every rule of a supply request's moves, without Spring. */
class SupportStateTest {

	final SupportState.Type type = new SupportState.Type();

	@Test
	void stepsForwardOneAtATime() {
		assertThat(this.type.allows("NEW", "ASSIGNED")).isTrue();
		assertThat(this.type.allows("ASSIGNED", "BOUGHT")).isTrue();
		assertThat(this.type.allows("BOUGHT", "DELIVERED")).isTrue();
	}

	@Test
	void refusesSkippedSteps() {
		assertThat(this.type.allows("NEW", "BOUGHT")).isFalse();
		assertThat(this.type.allows("NEW", "DELIVERED")).isFalse();
		assertThat(this.type.allows("ASSIGNED", "DELIVERED")).isFalse();
	}

	@Test
	void refusesBackwardStepsAndStandingStill() {
		assertThat(this.type.allows("ASSIGNED", "NEW")).isFalse();
		assertThat(this.type.allows("BOUGHT", "ASSIGNED")).isFalse();
		assertThat(this.type.allows("DELIVERED", "BOUGHT")).isFalse();
		assertThat(this.type.allows("ASSIGNED", "ASSIGNED")).isFalse();
	}

	@Test
	void failsOrIsCancelledFromEveryOpenStateOnly() {
		for (String open : List.of("NEW", "ASSIGNED", "BOUGHT")) {
			assertThat(this.type.allows(open, "FAILED")).as(open).isTrue();
			assertThat(this.type.allows(open, "CANCELLED")).as(open).isTrue();
			assertThat(this.type.isOpen(open)).isTrue();
		}
		for (String closed : List.of("DELIVERED", "FAILED", "CANCELLED")) {
			assertThat(this.type.isOpen(closed)).isFalse();
			for (SupportState to : SupportState.values()) {
				assertThat(this.type.allows(closed, to.name())).as(closed + " → " + to).isFalse();
			}
		}
	}

	@Test
	void refusesUnknownStates() {
		assertThat(this.type.allows("NEW", "LOST")).isFalse();
		assertThat(this.type.allows(null, "ASSIGNED")).isFalse();
	}

	@Test
	void theRecordRefusesAMoveTheTypeDoesNotAllowAndStaysAsItWas() {
		TaskRecord task = new TaskRecord(1, "SUPPORT", 7, "/1/7/", "RESIDENT", 9, "NEW", Urgency.HIGH, null,
				Instant.parse("2026-12-02T10:00:00Z"), 0, 3L, Instant.parse("2026-12-02T04:00:00Z"), null, 0);
		assertThatThrownBy(() -> task.moveTo(this.type, "DELIVERED", null, Instant.now()))
			.isInstanceOf(TransitionNotAllowed.class);
		assertThat(task.state()).isEqualTo("NEW");
		TaskRecord taken = task.moveTo(this.type, "ASSIGNED", 42L, Instant.parse("2026-12-02T05:00:00Z"));
		assertThat(taken.state()).isEqualTo("ASSIGNED");
		assertThat(taken.assigneeId()).isEqualTo(42L);
		assertThat(taken.closedAt()).isNull();
		TaskRecord failed = taken.moveTo(this.type, "FAILED", null, Instant.parse("2026-12-02T06:00:00Z"));
		assertThat(failed.closedAt()).isEqualTo(Instant.parse("2026-12-02T06:00:00Z"));
		assertThat(failed.assigneeId()).isEqualTo(42L);
	}

	@Test
	void deadlinesShortenWithUrgency() {
		assertThat(this.type.deadline(Urgency.URGENT)).isLessThan(this.type.deadline(Urgency.HIGH));
		assertThat(this.type.deadline(Urgency.HIGH)).isLessThan(this.type.deadline(Urgency.NORMAL));
	}

}
