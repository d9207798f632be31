package org.fangxian.workforce.internal;

import java.time.DayOfWeek;
import java.util.Set;

/**
 * A person the solver may place (problem fact): what they can do and when.
 *
 * @param availableDays bit (1 << ISO day - 1) per day of the week they can serve
 * @param teamId their team, or null; the solver prefers to keep them at their team's
 * posts
 */
public record DutyPerson(long id, Set<String> skills, int maxShiftsPerWeek, int availableDays, Long teamId) {

	public static final int EVERY_DAY = 0b111_1111;

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
