package org.fangxian.workforce.internal;

import java.time.DayOfWeek;
import java.util.Set;

/**
 * A person the solver may place (problem fact): what they can do and when.
 *
 * @param availableDays bit (1 << ISO day - 1) per day of the week they can serve
 * @param teamId their team, or null; the solver prefers to keep them at their team's
 * posts
 * @param fromMinute start of the hours they can serve on those days, minutes after
 * midnight (0: from midnight)
 * @param toMinute end of those hours (1440: until midnight); before {@code fromMinute}
 * the hours run overnight (22:00-06:00)
 * @param preference the posts and times they would rather have (soft, never a rule)
 */
public record DutyPerson(long id, Set<String> skills, int maxShiftsPerWeek, int availableDays, Long teamId,
		int fromMinute, int toMinute, DutyPreference preference) {

	public static final int EVERY_DAY = 0b111_1111;

	public static final int ALL_DAY = 24 * 60;

	/** Someone who can serve at any hour of their days. */
	public DutyPerson(long id, Set<String> skills, int maxShiftsPerWeek, int availableDays, Long teamId) {
		this(id, skills, maxShiftsPerWeek, availableDays, teamId, 0, ALL_DAY);
	}

	/** Someone without preferences. */
	public DutyPerson(long id, Set<String> skills, int maxShiftsPerWeek, int availableDays, Long teamId, int fromMinute,
			int toMinute) {
		this(id, skills, maxShiftsPerWeek, availableDays, teamId, fromMinute, toMinute, DutyPreference.NONE);
	}

	/**
	 * Whether the seat falls on one of their days and wholly within their hours (a seat
	 * that starts at 21:00 and ends at 07:00 fits 21:00-07:00, not 18:00-22:00).
	 */
	public boolean availableFor(DutySeat seat) {
		if (!availableOn(seat.getDay().getDayOfWeek())) {
			return false;
		}
		if (this.fromMinute == 0 && this.toMinute == ALL_DAY) {
			return true;
		}
		long start = Math.floorMod(seat.getStart(), ALL_DAY);
		long end = start + (seat.getEnd() - seat.getStart());
		long windowEnd = this.toMinute > this.fromMinute ? this.toMinute : this.toMinute + ALL_DAY;
		if (start >= this.fromMinute && end <= windowEnd) {
			return true;
		}
		// The morning part of an overnight window (05:00-06:00 within 22:00-06:00).
		return this.toMinute < this.fromMinute && end <= this.toMinute;
	}

	public boolean hasSkills(Set<String> required) {
		return this.skills.containsAll(required);
	}

	public boolean availableOn(DayOfWeek day) {
		return (this.availableDays & (1 << (day.getValue() - 1))) != 0;
	}

	@Override
	public String toString() {
		return "person " + this.id;
	}

}
