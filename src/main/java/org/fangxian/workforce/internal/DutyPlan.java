package org.fangxian.workforce.internal;

import java.util.List;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoft.HardMediumSoftScore;

/**
 * The roster being solved (planning solution): the people and every seat of the period.
 */
@PlanningSolution
public class DutyPlan {

	@ProblemFactCollectionProperty
	private List<DutyPerson> people;

	@PlanningEntityCollectionProperty
	private List<DutySeat> seats;

	@PlanningScore
	private HardMediumSoftScore score;

	public DutyPlan() {
	}

	public DutyPlan(List<DutyPerson> people, List<DutySeat> seats) {
		this.people = people;
		this.seats = seats;
	}

	public List<DutyPerson> getPeople() {
		return this.people;
	}

	public List<DutySeat> getSeats() {
		return this.seats;
	}

	public HardMediumSoftScore getScore() {
		return this.score;
	}

	public void setScore(HardMediumSoftScore score) {
		this.score = score;
	}

}
