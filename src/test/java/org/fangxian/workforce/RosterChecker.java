package org.fangxian.workforce;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Checks a published roster against the hard rules from the test's own knowledge of
 * people and posts, with nothing from the solver or its settling code: what a worker
 * would check by hand.
 */
final class RosterChecker {

	record Person(long id, Set<String> skills, int maxShiftsPerWeek, Set<DayOfWeek> days) {
	}

	record Shift(long postId, String start, String end, int headcount, Set<String> skills) {

		String key() {
			return this.postId + " " + this.start + "-" + this.end;
		}

	}

	private final Map<Long, Person> people = new HashMap<>();

	private final Map<String, Shift> shifts = new HashMap<>();

	void person(Person person) {
		this.people.put(person.id(), person);
	}

	void shift(Shift shift) {
		this.shifts.put(shift.key(), shift);
	}

	/** Every broken rule, in words; empty for a valid roster. */
	List<String> violations(JsonNode roster, LocalDate from, LocalDate to) {
		List<String> broken = new ArrayList<>();
		Map<Long, List<LocalDateTime[]>> byPerson = new HashMap<>();
		Map<String, Integer> filled = new HashMap<>();
		Map<String, Integer> perWeek = new HashMap<>();
		for (JsonNode a : roster.get("assignments")) {
			long personId = a.get("volunteerId").asLong();
			Person person = this.people.get(personId);
			String key = a.get("postId").asLong() + " " + a.get("start").asString() + "-" + a.get("end").asString();
			Shift shift = this.shifts.get(key);
			LocalDate day = LocalDate.parse(a.get("date").asString());
			if (person == null || shift == null) {
				broken.add("unknown person or shift: " + a);
				continue;
			}
			if (day.isBefore(from) || day.isAfter(to)) {
				broken.add("outside the period: " + a);
			}
			if (!person.skills().containsAll(shift.skills())) {
				broken.add("skills: " + a);
			}
			if (!person.days().contains(day.getDayOfWeek())) {
				broken.add("availability: " + a);
			}
			LocalTime start = LocalTime.parse(a.get("start").asString());
			LocalTime end = LocalTime.parse(a.get("end").asString());
			LocalDateTime startsAt = day.atTime(start);
			LocalDateTime endsAt = end.isAfter(start) ? day.atTime(end) : day.plusDays(1).atTime(end);
			byPerson.computeIfAbsent(personId, id -> new ArrayList<>()).add(new LocalDateTime[] { startsAt, endsAt });
			String seat = key + " " + day;
			if (filled.merge(seat, 1, Integer::sum) > shift.headcount()) {
				broken.add("more people than the headcount: " + seat);
			}
			String week = personId + " " + day.get(IsoFields.WEEK_BASED_YEAR) + "-"
					+ day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
			if (perWeek.merge(week, 1, Integer::sum) > person.maxShiftsPerWeek()) {
				broken.add("max shifts per week: " + week);
			}
		}
		byPerson.forEach((person, spans) -> {
			for (int i = 0; i < spans.size(); i++) {
				for (int j = i + 1; j < spans.size(); j++) {
					LocalDateTime[] a = spans.get(i);
					LocalDateTime[] b = spans.get(j);
					if (a[0].isBefore(b[1]) && b[0].isBefore(a[1])) {
						broken.add("overlapping shifts of " + person + ": " + a[0] + " and " + b[0]);
					}
					else {
						LocalDateTime[] first = a[0].isBefore(b[0]) ? a : b;
						LocalDateTime[] second = first == a ? b : a;
						if (Duration.between(first[1], second[0]).toMinutes() < 600) {
							broken.add(
									"less than 10 h rest for " + person + " between " + first[1] + " and " + second[0]);
						}
					}
				}
			}
		});
		// Each seat is either filled or reported missing, never both, never neither.
		for (JsonNode u : roster.get("unfilled")) {
			String seat = u.get("postId").asLong() + " " + u.get("start").asString() + "-" + u.get("end").asString()
					+ " " + u.get("date").asString();
			filled.merge(seat, u.get("missing").asInt(), Integer::sum);
		}
		for (Shift shift : this.shifts.values()) {
			for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
				int seats = filled.getOrDefault(shift.key() + " " + day, 0);
				if (seats != shift.headcount()) {
					broken.add(shift.key() + " " + day + ": " + seats + " filled or explained of " + shift.headcount());
				}
			}
		}
		return broken;
	}

}
