package org.fangxian.workforce.internal;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import org.fangxian.workforce.PostKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The solver on its own, without Spring: a small week it must fill completely and
 * legally.
 */
// Runs the solver for seconds a case: an integration test, in workforce's fast loop only.
@Tag("integration")
class RosterSolverTest {

	static final LocalDate MONDAY = LocalDate.of(2027, 1, 4);

	@Test
	void solverFillsAFeasibleWeekWithoutBreakingARule() {
		List<DutyPerson> people = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			people.add(new DutyPerson(i + 1, i < 6 ? Set.of("采样") : Set.of("驾驶"), 4, DutyPerson.EVERY_DAY, null));
		}
		List<DutyShape> shapes = List.of(
				new DutyShape(1, 1, null, LocalTime.of(7, 0), LocalTime.of(14, 0), 2, Set.of("采样")),
				new DutyShape(2, 2, null, LocalTime.of(21, 0), LocalTime.of(7, 0), 1, Set.of()),
				new DutyShape(3, 3, null, LocalTime.of(8, 0), LocalTime.of(12, 0), 1, Set.of("驾驶")));
		List<DutySeat> seats = Rosters.seats(people, shapes, MONDAY, MONDAY.plusDays(6));
		Solver<DutyPlan> solver = SolverFactory
			.<DutyPlan>create(
					RosterSolver.config().withTerminationConfig(RosterSolver.termination(Duration.ofSeconds(2))))
			.buildSolver();
		// As the service does: a first-fit seed in enrolment order (every seat to the
		// first who may take it,
		// which leaves the drivers on the nights and strands seats), then the search.
		List<DutySeat> ordered = new ArrayList<>(seats);
		ordered.sort(java.util.Comparator.comparingLong(DutySeat::getStart));
		new HardRules().fill(people, ordered, false);
		DutyPlan solved = solver.solve(new DutyPlan(people, seats));

		// 28 seats, 48 shifts of capacity: a good roster fills all of them with no hard
		// penalty.
		assertThat(solved.getScore().hardScore()).isZero();
		assertThat(solved.getScore().mediumScore()).isZero();
		HardRules.Settled settled = HardRules.settle(people, solved.getSeats());
		assertThat(settled.dropped()).isZero();
		assertThat(settled.empty()).isEmpty();
	}

	/**
	 * A week a first pass already fills has nothing left to improve: the solve ends long
	 * before its limit instead of idling up to it (the margin tests the termination, not
	 * speed).
	 */
	@Test
	void aSolveThatStopsImprovingEndsWellBeforeItsLimit() {
		List<DutyPerson> people = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			people.add(new DutyPerson(i + 1, Set.of(), 7, DutyPerson.EVERY_DAY, null));
		}
		List<DutyShape> shapes = List
			.of(new DutyShape(1, 1, null, LocalTime.of(8, 0), LocalTime.of(12, 0), 1, Set.of()));
		List<DutySeat> seats = Rosters.seats(people, shapes, MONDAY, MONDAY.plusDays(1));
		Duration limit = Duration.ofSeconds(60);
		TerminationConfig termination = RosterSolver.termination(limit);
		assertThat(termination.getDiminishedReturnsConfig().getSlidingWindowDuration())
			.isEqualTo(Duration.ofSeconds(6));
		Solver<DutyPlan> solver = SolverFactory
			.<DutyPlan>create(RosterSolver.config().withTerminationConfig(termination))
			.buildSolver();
		Rosters.seed(people, seats);
		long started = System.nanoTime();
		DutyPlan solved = solver.solve(new DutyPlan(people, seats));
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(took).as("solve of a finished roster with a %s limit", limit).isLessThan(Duration.ofSeconds(30));
		assertThat(solved.getScore().hardScore()).isZero();
		assertThat(solved.getScore().mediumScore()).isZero();
	}

	@Test
	void settlingDropsABrokenAssignmentAndExplainsTheSeat() {
		DutyPerson sampler = new DutyPerson(1, Set.of("采样"), 1, DutyPerson.EVERY_DAY, null);
		DutyPerson driver = new DutyPerson(2, Set.of("驾驶"), 5, DutyPerson.EVERY_DAY, null);
		List<DutyPerson> people = List.of(sampler, driver);
		List<DutySeat> seats = Rosters.seats(people,
				List.of(new DutyShape(1, 1, null, LocalTime.of(7, 0), LocalTime.of(14, 0), 1, Set.of("采样"))), MONDAY,
				MONDAY.plusDays(1));
		// As a broken solver might leave it: the sampler twice in a week they may serve
		// once, the driver sampling.
		seats.get(0).setPerson(sampler);
		seats.get(1).setPerson(driver);
		HardRules.Settled settled = HardRules.settle(people, seats);
		assertThat(settled.dropped()).isEqualTo(1);
		assertThat(seats.get(0).getPerson()).isEqualTo(sampler);
		assertThat(seats.get(1).getPerson()).isNull();
		assertThat(settled.empty()).singleElement().satisfies(gap -> {
			assertThat(gap.reason()).isEqualTo(HardRules.Rule.MAX_SHIFTS_PER_WEEK);
			assertThat(gap.blocked()).containsEntry(HardRules.Rule.REQUIRED_SKILLS, 1)
				.containsEntry(HardRules.Rule.MAX_SHIFTS_PER_WEEK, 1);
		});
	}

	@Test
	void restAndOverlapAreCheckedAcrossMidnight() {
		DutyPerson person = new DutyPerson(1, Set.of(), 7, DutyPerson.EVERY_DAY, null);
		List<DutySeat> seats = Rosters.seats(List.of(person),
				List.of(new DutyShape(1, 1, null, LocalTime.of(22, 0), LocalTime.of(6, 0), 1, Set.of()),
						new DutyShape(2, 2, null, LocalTime.of(14, 0), LocalTime.of(20, 0), 1, Set.of())),
				MONDAY, MONDAY.plusDays(1));
		HardRules rules = new HardRules();
		// Monday night 22:00-06:00, then Tuesday 14:00-20:00: 8 hours of rest is too
		// little.
		DutySeat night = seats.get(0);
		DutySeat tuesdayAfternoon = seats.get(3);
		rules.place(person, night);
		assertThat(rules.check(person, tuesdayAfternoon)).isEqualTo(HardRules.Rule.MIN_REST);
		assertThat(rules.check(person, seats.get(1))).isEqualTo(HardRules.Rule.MIN_REST);
		assertThat(rules.check(person, night)).isEqualTo(HardRules.Rule.OVERLAPPING_SHIFT);
		assertThat(new HardRules().check(new DutyPerson(2, Set.of(), 7, 0b001_1111, null), seats.get(0)))
			.as("Monday is a weekday")
			.isNull();
		assertThat(new HardRules().check(new DutyPerson(2, Set.of(), 7, 0b110_0000, null), seats.get(0)))
			.isEqualTo(HardRules.Rule.AVAILABILITY);
	}

	@Test
	void hoursAreAHardRuleTheSolverAndTheCheckerBothKeep() {
		// Evening people (18:00-22:00 on weekdays), a night owl (22:00-06:00) and
		// someone free all day.
		List<DutyPerson> people = List.of(new DutyPerson(1, Set.of(), 7, 0b001_1111, null, 18 * 60, 22 * 60),
				new DutyPerson(2, Set.of(), 7, 0b001_1111, null, 18 * 60, 22 * 60),
				new DutyPerson(3, Set.of(), 7, DutyPerson.EVERY_DAY, null, 22 * 60, 6 * 60),
				new DutyPerson(4, Set.of(), 3, DutyPerson.EVERY_DAY, null));
		List<DutyShape> shapes = List.of(
				new DutyShape(1, 1, null, LocalTime.of(18, 0), LocalTime.of(22, 0), 1, Set.of()),
				new DutyShape(2, 2, null, LocalTime.of(23, 0), LocalTime.of(5, 0), 1, Set.of()),
				new DutyShape(3, 3, null, LocalTime.of(8, 0), LocalTime.of(12, 0), 1, Set.of()));
		List<DutySeat> seats = Rosters.seats(people, shapes, MONDAY, MONDAY.plusDays(6));
		// The candidates already honour the hours: nobody of 18:00-22:00 for the night or
		// the morning.
		for (DutySeat seat : seats) {
			if (seat.getStart() % (24 * 60) != 18 * 60) {
				assertThat(seat.getCandidates()).extracting(DutyPerson::id).doesNotContain(1L, 2L);
			}
		}
		Rosters.seed(people, seats);
		DutyPlan solved = SolverFactory
			.<DutyPlan>create(
					RosterSolver.config().withTerminationConfig(RosterSolver.termination(Duration.ofSeconds(2))))
			.buildSolver()
			.solve(new DutyPlan(people, seats));
		assertThat(solved.getScore().hardScore()).isZero();
		assertThat(HardRules.settle(people, solved.getSeats()).dropped()).isZero();
		for (DutySeat seat : solved.getSeats()) {
			if (seat.getPerson() == null) {
				continue;
			}
			long start = seat.getStart() % (24 * 60);
			long person = seat.getPerson().id();
			if (person == 1 || person == 2) {
				assertThat(start).as("evening people only at 18:00").isEqualTo(18 * 60);
				assertThat(seat.getDay().getDayOfWeek().getValue()).isLessThanOrEqualTo(5);
			}
			if (person == 3) {
				assertThat(start).as("the night owl only at 23:00").isEqualTo(23 * 60);
			}
		}
		// The checker refuses the evening person at the morning post, by the hours.
		DutySeat morning = seats.stream().filter(s -> s.getStart() % (24 * 60) == 8 * 60).findFirst().orElseThrow();
		assertThat(new HardRules().check(people.get(0), morning)).isEqualTo(HardRules.Rule.AVAILABILITY);
		DutySeat night = seats.stream().filter(s -> s.getStart() % (24 * 60) == 23 * 60).findFirst().orElseThrow();
		assertThat(new HardRules().check(people.get(2), night)).isNull();
		assertThat(new HardRules().check(people.get(0), night)).isEqualTo(HardRules.Rule.AVAILABILITY);
	}

	@Test
	void preferencesSwapTwoOtherwiseEqualPeopleWithoutBreakingARule() {
		// Two people alike in all but their wishes: the first would rather patrol in the
		// evening, the second staff the checkpoint in the morning.
		DutyPerson evening = new DutyPerson(1, Set.of(), 7, DutyPerson.EVERY_DAY, null, 0, DutyPerson.ALL_DAY,
				new DutyPreference(Set.of(PostKind.PATROL), 17 * 60, 22 * 60));
		DutyPerson morning = new DutyPerson(2, Set.of(), 7, DutyPerson.EVERY_DAY, null, 0, DutyPerson.ALL_DAY,
				new DutyPreference(Set.of(PostKind.CHECKPOINT), 5 * 60, 12 * 60));
		List<DutyPerson> people = List.of(evening, morning);
		List<DutySeat> seats = Rosters.seats(people, List.of(
				new DutyShape(1, 1, null, LocalTime.of(7, 0), LocalTime.of(14, 0), 1, Set.of(), PostKind.CHECKPOINT),
				new DutyShape(2, 2, null, LocalTime.of(18, 0), LocalTime.of(22, 0), 1, Set.of(), PostKind.PATROL)),
				MONDAY, MONDAY);
		// Seeded against their wishes (4 misses); the rest between the two shifts is too
		// short for one person to take both.
		seats.get(0).setPerson(evening);
		seats.get(1).setPerson(morning);
		assertThat(seats.get(0).preferenceMisses() + seats.get(1).preferenceMisses()).isEqualTo(4);
		DutyPlan solved = SolverFactory
			.<DutyPlan>create(
					RosterSolver.config().withTerminationConfig(RosterSolver.termination(Duration.ofSeconds(2))))
			.buildSolver()
			.solve(new DutyPlan(people, seats));
		assertThat(solved.getSeats().get(0).getPerson()).isEqualTo(morning);
		assertThat(solved.getSeats().get(1).getPerson()).isEqualTo(evening);
		assertThat(solved.getScore().hardScore()).isZero();
		assertThat(solved.getScore().mediumScore()).isZero();
		assertThat(solved.getScore().softScore()).isZero();
		assertThat(HardRules.settle(people, solved.getSeats()).dropped()).isZero();
	}

	@Test
	void aPreferenceNeverLeavesASeatEmptyNorBreaksARule() {
		// Only one person, who would rather not work mornings: the morning seat is still
		// filled, at a soft cost; their evening window is a wish, not availability.
		DutyPerson person = new DutyPerson(1, Set.of(), 7, DutyPerson.EVERY_DAY, null, 0, DutyPerson.ALL_DAY,
				new DutyPreference(Set.of(PostKind.PATROL), 17 * 60, 22 * 60));
		DutyPerson daysOnly = new DutyPerson(2, Set.of(), 1, 0b001_1111, null);
		List<DutyPerson> people = List.of(person, daysOnly);
		List<DutySeat> seats = Rosters.seats(people, List
			.of(new DutyShape(1, 1, null, LocalTime.of(7, 0), LocalTime.of(14, 0), 1, Set.of(), PostKind.CHECKPOINT)),
				MONDAY, MONDAY.plusDays(2));
		Rosters.seed(people, seats);
		DutyPlan solved = SolverFactory
			.<DutyPlan>create(
					RosterSolver.config().withTerminationConfig(RosterSolver.termination(Duration.ofSeconds(2))))
			.buildSolver()
			.solve(new DutyPlan(people, seats));
		assertThat(solved.getScore().hardScore()).isZero();
		assertThat(solved.getScore().mediumScore()).isZero();
		assertThat(solved.getSeats()).allSatisfy(seat -> assertThat(seat.getPerson()).isNotNull());
		assertThat(solved.getScore().softScore()).isNegative();
		HardRules.Settled settled = HardRules.settle(people, solved.getSeats());
		assertThat(settled.dropped()).isZero();
		assertThat(settled.empty()).isEmpty();
	}

	@Test
	void preferenceCellsAreReadOrRefused() {
		assertThat(DutyPreference.kinds("卡点、巡逻")).containsExactlyInAnyOrder(PostKind.CHECKPOINT, PostKind.PATROL);
		assertThat(DutyPreference.kinds("")).isEmpty();
		assertThat(DutyPreference.hours("晚班")).containsExactly(17 * 60, 22 * 60);
		assertThat(DutyPreference.hours("22:00-06:00")).containsExactly(22 * 60, 6 * 60);
		assertThat(DutyPreference.hours(" ")).containsExactly(-1, -1);
		org.junit.jupiter.api.Assertions.assertThrows(org.fangxian.shared.InvalidInput.class,
				() -> DutyPreference.kinds("卡点、游泳"));
		org.junit.jupiter.api.Assertions.assertThrows(org.fangxian.shared.InvalidInput.class,
				() -> DutyPreference.hours("下午茶"));
		org.junit.jupiter.api.Assertions.assertThrows(org.fangxian.shared.InvalidInput.class,
				() -> DutyPreference.hours("25:00-26:00"));
		DutyPreference overnight = new DutyPreference(Set.of(), 22 * 60, 6 * 60);
		assertThat(overnight.misses(null, 23 * 60)).isZero();
		assertThat(overnight.misses(null, 5 * 60)).isZero();
		assertThat(overnight.misses(null, 7 * 60)).isEqualTo(1);
		assertThat(DutyPreference.NONE.misses(PostKind.HOTLINE, 0)).isZero();
	}

	@Test
	void theSearchGetsWhatTheModelAndSeedLeftOfTheBudgetLessAReserve() {
		// A street's week: 3 s of model and seed out of 120 s, a fortieth (3 s) kept for
		// the solver's start and the settling after it.
		assertThat(RosterSolver.searchBudget(Duration.ofSeconds(120), Duration.ofSeconds(3)))
			.isEqualTo(Duration.ofSeconds(114));
		// A small budget keeps at least 200 ms in reserve.
		assertThat(RosterSolver.searchBudget(Duration.ofSeconds(2), Duration.ofMillis(300)))
			.isEqualTo(Duration.ofMillis(1500));
		// Whole milliseconds, which is all Timefold takes.
		assertThat(RosterSolver.searchBudget(Duration.ofSeconds(10), Duration.ofNanos(1_234_567_891)))
			.isEqualTo(Duration.ofMillis(8515));
		// A budget already spent still searches a little rather than not at all.
		assertThat(RosterSolver.searchBudget(Duration.ofSeconds(1), Duration.ofSeconds(5)))
			.isEqualTo(Duration.ofMillis(100));
	}

}
