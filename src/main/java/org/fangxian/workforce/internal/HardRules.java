package org.fangxian.workforce.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hard rules of a roster, checked in plain code seat by seat, apart from the solver's
 * score: the guard that keeps a broken assignment out of a published roster, the greedy
 * fill that completes what the solver left, and the explanation of every seat that stays
 * empty.
 */
public final class HardRules {

	/** Minimum rest between two shifts of one person: 10 hours. */
	public static final int REST_MINUTES = 600;

	/** What can keep a person from a seat, in the order they are checked and reported. */
	public enum Rule {

		REQUIRED_SKILLS, AVAILABILITY, OVERLAPPING_SHIFT, MIN_REST, MAX_SHIFTS_PER_WEEK,
		/** Nobody is enrolled where the post is. */
		NO_PEOPLE

	}

	private final Map<Long, List<DutySeat>> seatsByPerson = new HashMap<>();

	private final Map<Long, Map<Long, Integer>> weekCounts = new HashMap<>();

	/**
	 * The first rule that keeps the person from the seat given the seats already placed,
	 * or null if none.
	 */
	public Rule check(DutyPerson person, DutySeat seat) {
		if (!person.hasSkills(seat.getSkills())) {
			return Rule.REQUIRED_SKILLS;
		}
		if (!person.availableFor(seat)) {
			return Rule.AVAILABILITY;
		}
		Rule rest = null;
		for (DutySeat other : this.seatsByPerson.getOrDefault(person.id(), List.of())) {
			if (other.getStart() < seat.getEnd() && seat.getStart() < other.getEnd()) {
				return Rule.OVERLAPPING_SHIFT;
			}
			if (other.getStart() < seat.getEnd() + REST_MINUTES && seat.getStart() < other.getEnd() + REST_MINUTES) {
				rest = Rule.MIN_REST;
			}
		}
		if (rest != null) {
			return rest;
		}
		int thisWeek = this.weekCounts.getOrDefault(person.id(), Map.of()).getOrDefault(seat.getWeek(), 0);
		if (thisWeek + 1 > person.maxShiftsPerWeek()) {
			return Rule.MAX_SHIFTS_PER_WEEK;
		}
		return null;
	}

	public void place(DutyPerson person, DutySeat seat) {
		this.seatsByPerson.computeIfAbsent(person.id(), id -> new ArrayList<>()).add(seat);
		this.weekCounts.computeIfAbsent(person.id(), id -> new HashMap<>()).merge(seat.getWeek(), 1, Integer::sum);
		seat.setPerson(person);
	}

	public int load(DutyPerson person) {
		return this.seatsByPerson.getOrDefault(person.id(), List.of()).size();
	}

	/** An empty seat and why nobody could take it. */
	public record Explained(DutySeat seat, Rule reason, Map<Rule, Integer> blocked) {
	}

	/** The roster as published: every hard rule kept, every empty seat explained. */
	public record Settled(int dropped, int repaired, List<Explained> empty) {
	}

	/**
	 * Settles a solved plan in place: keeps the solver's assignments that break no rule
	 * (in time order), drops the others, fills each empty seat with the least loaded
	 * person who may take it, and explains the seats still empty by counting, over
	 * everyone enrolled, the rule that keeps each person away.
	 */
	public static Settled settle(List<DutyPerson> people, List<DutySeat> seats) {
		HardRules rules = new HardRules();
		List<DutySeat> ordered = new ArrayList<>(seats);
		ordered.sort(Comparator.comparingLong(DutySeat::getStart).thenComparingLong(DutySeat::getId));
		int dropped = 0;
		for (DutySeat seat : ordered) {
			DutyPerson person = seat.getPerson();
			if (person == null) {
				continue;
			}
			if (rules.check(person, seat) == null) {
				rules.place(person, seat);
			}
			else {
				seat.setPerson(null);
				dropped++;
			}
		}
		int repaired = rules.fill(people, ordered, true);
		List<Explained> empty = new ArrayList<>();
		for (DutySeat seat : ordered) {
			if (seat.getPerson() == null) {
				empty.add(rules.explain(people, seat));
			}
		}
		return new Settled(dropped, repaired, empty);
	}

	/**
	 * Puts a person on every empty seat that someone may take, in time order.
	 * @param leastLoaded take the person with the fewest shifts so far; otherwise the
	 * first in the list
	 * @return how many seats were filled
	 */
	public int fill(List<DutyPerson> people, List<DutySeat> ordered, boolean leastLoaded) {
		int filled = 0;
		for (DutySeat seat : ordered) {
			if (seat.getPerson() != null) {
				continue;
			}
			DutyPerson best = null;
			for (DutyPerson person : people) {
				if (check(person, seat) == null && (best == null || (leastLoaded && load(person) < load(best)))) {
					best = person;
					if (!leastLoaded) {
						break;
					}
				}
			}
			if (best != null) {
				place(best, seat);
				filled++;
			}
		}
		return filled;
	}

	/**
	 * Why nobody may take the seat: the filter that leaves nobody. Nobody has the skills
	 * → REQUIRED_SKILLS; of those who have, nobody serves that day → AVAILABILITY; else
	 * the rule that keeps most of the people who have the skills and serve that day away
	 * (another shift at the time, too little rest, a full week). {@code blocked} counts
	 * everyone enrolled by the first rule that keeps them away.
	 */
	Explained explain(List<DutyPerson> people, DutySeat seat) {
		Map<Rule, Integer> blocked = new EnumMap<>(Rule.class);
		Map<Rule, Integer> fit = new EnumMap<>(Rule.class);
		for (DutyPerson person : people) {
			Rule rule = check(person, seat);
			if (rule != null) {
				blocked.merge(rule, 1, Integer::sum);
				if (rule != Rule.REQUIRED_SKILLS && rule != Rule.AVAILABILITY) {
					fit.merge(rule, 1, Integer::sum);
				}
			}
		}
		Rule reason;
		if (people.isEmpty()) {
			reason = Rule.NO_PEOPLE;
		}
		else if (fit.isEmpty()) {
			reason = blocked.getOrDefault(Rule.AVAILABILITY, 0) > 0
					&& people.stream().anyMatch(p -> p.hasSkills(seat.getSkills())) ? Rule.AVAILABILITY
							: Rule.REQUIRED_SKILLS;
		}
		else {
			reason = fit.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
		}
		return new Explained(seat, reason, blocked);
	}

}
