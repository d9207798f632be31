package org.fangxian.workforce.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Set;

import org.fangxian.workforce.PostKind;

/**
 * A post's daily shift template as the solver needs it: a shift whose end is not after
 * its start runs past midnight (21:30-07:00). The post's kind (or null) is weighed
 * against people's preferences.
 */
public record DutyShape(long shiftId, long postId, Long teamId, LocalTime starts, LocalTime ends, int headcount,
		Set<String> skills, PostKind kind) {

	public DutyShape(long shiftId, long postId, Long teamId, LocalTime starts, LocalTime ends, int headcount,
			Set<String> skills) {
		this(shiftId, postId, teamId, starts, ends, headcount, skills, null);
	}

	public LocalDateTime endsAt(LocalDate day) {
		return this.ends.isAfter(this.starts) ? day.atTime(this.ends) : day.plusDays(1).atTime(this.ends);
	}

	/** Runs into the night (any part between 22:00 and 06:00). */
	public boolean night() {
		return !this.ends.isAfter(this.starts) || this.ends.isAfter(LocalTime.of(22, 0))
				|| this.starts.isBefore(LocalTime.of(6, 0));
	}

}
