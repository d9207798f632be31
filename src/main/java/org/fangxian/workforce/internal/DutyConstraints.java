package org.fangxian.workforce.internal;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoft.HardMediumSoftScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintCollectors;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.Joiners;

/**
 * The roster's rules for the solver. Hard: what must never happen (the same rules
 * {@link HardRules} checks independently on the result). Medium: every seat filled. Soft:
 * nights and weekends spread evenly, people kept at one post and with their team, their
 * preferred posts and times honoured.
 */
public class DutyConstraints implements ConstraintProvider {

	@Override
	public Constraint[] defineConstraints(ConstraintFactory factory) {
		return new Constraint[] { requiredSkills(factory), availability(factory), overlappingShifts(factory),
				minimumRest(factory), maxShiftsPerWeek(factory), fillEverySeat(factory), spreadUnsocialShifts(factory),
				keepPeopleAtOnePost(factory), keepPeopleWithTheirTeam(factory), honourPreferences(factory) };
	}

	Constraint requiredSkills(ConstraintFactory factory) {
		return factory.forEach(DutySeat.class)
			.filter(seat -> !seat.getPerson().hasSkills(seat.getSkills()))
			.penalize(HardMediumSoftScore.ONE_HARD)
			.asConstraint(HardRules.Rule.REQUIRED_SKILLS.name());
	}

	Constraint availability(ConstraintFactory factory) {
		return factory.forEach(DutySeat.class)
			.filter(seat -> !seat.getPerson().availableFor(seat))
			.penalize(HardMediumSoftScore.ONE_HARD)
			.asConstraint(HardRules.Rule.AVAILABILITY.name());
	}

	/**
	 * Also "one post per shift": two seats at the same time are two overlapping shifts.
	 */
	Constraint overlappingShifts(ConstraintFactory factory) {
		return factory
			.forEachUniquePair(DutySeat.class, Joiners.equal(DutySeat::getPerson),
					Joiners.overlapping(DutySeat::getStart, DutySeat::getEnd))
			.penalize(HardMediumSoftScore.ONE_HARD)
			.asConstraint(HardRules.Rule.OVERLAPPING_SHIFT.name());
	}

	Constraint minimumRest(ConstraintFactory factory) {
		return factory
			.forEachUniquePair(DutySeat.class, Joiners.equal(DutySeat::getPerson),
					Joiners.overlapping(seat -> seat.getStart() - HardRules.REST_MINUTES,
							seat -> seat.getEnd() + HardRules.REST_MINUTES, DutySeat::getStart, DutySeat::getEnd))
			.filter((a, b) -> a.getEnd() <= b.getStart() || b.getEnd() <= a.getStart())
			.penalize(HardMediumSoftScore.ONE_HARD)
			.asConstraint(HardRules.Rule.MIN_REST.name());
	}

	Constraint maxShiftsPerWeek(ConstraintFactory factory) {
		return factory.forEach(DutySeat.class)
			.groupBy(DutySeat::getPerson, DutySeat::getWeek, ConstraintCollectors.count())
			.filter((person, week, count) -> count > person.maxShiftsPerWeek())
			.penalize(HardMediumSoftScore.ONE_HARD, (person, week, count) -> count - person.maxShiftsPerWeek())
			.asConstraint(HardRules.Rule.MAX_SHIFTS_PER_WEEK.name());
	}

	Constraint fillEverySeat(ConstraintFactory factory) {
		return factory.forEachIncludingUnassigned(DutySeat.class)
			.filter(seat -> seat.getPerson() == null)
			.penalize(HardMediumSoftScore.ONE_MEDIUM)
			.asConstraint("FILL_HEADCOUNT");
	}

	/**
	 * The square of each person's night and weekend shifts: the sum is smallest when they
	 * are spread evenly.
	 */
	Constraint spreadUnsocialShifts(ConstraintFactory factory) {
		return factory.forEach(DutySeat.class)
			.filter(DutySeat::isUnsocial)
			.groupBy(DutySeat::getPerson, ConstraintCollectors.count())
			.penalize(HardMediumSoftScore.ONE_SOFT, (person, count) -> count * count)
			.asConstraint("SPREAD_NIGHTS_AND_WEEKENDS");
	}

	/**
	 * Every post beyond a person's first costs: people know their post and its regulars.
	 */
	Constraint keepPeopleAtOnePost(ConstraintFactory factory) {
		return factory.forEach(DutySeat.class)
			.groupBy(DutySeat::getPerson, ConstraintCollectors.countDistinct(DutySeat::getPostId))
			.filter((person, posts) -> posts > 1)
			.penalize(HardMediumSoftScore.ofSoft(3), (person, posts) -> posts - 1)
			.asConstraint("KEEP_AT_POST");
	}

	Constraint keepPeopleWithTheirTeam(ConstraintFactory factory) {
		return factory.forEach(DutySeat.class)
			.filter(seat -> seat.getTeamId() != null && seat.getPerson().teamId() != null
					&& !seat.getTeamId().equals(seat.getPerson().teamId()))
			.penalize(HardMediumSoftScore.ofSoft(2))
			.asConstraint("KEEP_WITH_TEAM");
	}

	/**
	 * Each wish a seat misses (the post's kind, the start time) costs like a seat away
	 * from the team: soft, so it never outweighs a filled seat or a hard rule.
	 */
	Constraint honourPreferences(ConstraintFactory factory) {
		return factory.forEach(DutySeat.class)
			.filter(seat -> seat.preferenceMisses() > 0)
			.penalize(HardMediumSoftScore.ofSoft(2), DutySeat::preferenceMisses)
			.asConstraint("HONOUR_PREFERENCES");
	}

}
