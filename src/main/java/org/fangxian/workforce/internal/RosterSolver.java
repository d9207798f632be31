package org.fangxian.workforce.internal;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

import ai.timefold.solver.core.api.solver.SolverConfigOverride;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.api.solver.SolverManager;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.SolverManagerConfig;
import ai.timefold.solver.core.config.solver.termination.DiminishedReturnsTerminationConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Timefold Solver behind one {@link SolverManager}: one roster solved at a time (the
 * server's cores serve requests too), each for its own time limit, ending early when the
 * score stops improving.
 */
@Component
public class RosterSolver implements DisposableBean {

	private final SolverManager<DutyPlan, Long> manager;

	RosterSolver() {
		this.manager = SolverManager.create(SolverFactory.create(config()),
				new SolverManagerConfig().withParallelSolverCount("1"));
	}

	/**
	 * The solver's configuration: the model, its rules and a time limit (each run sets
	 * its own). The plan comes seeded ({@link Rosters#seed}), so the whole time goes to
	 * local search: its own construction heuristic would weigh every candidate of every
	 * seat the seed left empty, which on a street's week took the whole limit without
	 * filling one (docs/benchmarks.md). Reproducible, without the default phase
	 * assertions.
	 */
	public static SolverConfig config() {
		return new SolverConfig().withSolutionClass(DutyPlan.class)
			.withEntityClasses(DutySeat.class)
			.withConstraintProviderClass(DutyConstraints.class)
			.withEnvironmentMode(EnvironmentMode.REPRODUCIBLE)
			.withPhases(new LocalSearchPhaseConfig())
			.withTerminationConfig(new TerminationConfig().withSpentLimit(Duration.ofSeconds(30)));
	}

	/**
	 * Stops within the limit, or sooner: when a fifth of it (at least a second) brought
	 * no better roster, or when the search only polishes the soft score ever more slowly
	 * (Timefold's diminished returns: once no seat was filled for a window of a tenth of
	 * the limit, the soft gain over the last such window fell below
	 * {@link #DIMINISHED_RATIO} of the gain of the first). A seat filled or a hard rule
	 * mended starts that count again, so the search never stops while it still fills
	 * seats.
	 */
	public static TerminationConfig termination(Duration limit) {
		return new TerminationConfig().withSpentLimit(limit)
			.withUnimprovedSpentLimit(atLeastASecond(limit.dividedBy(5)))
			.withDiminishedReturnsConfig(new DiminishedReturnsTerminationConfig()
				.withSlidingWindowDuration(atLeastASecond(limit.dividedBy(10)))
				.withMinimumImprovementRatio(DIMINISHED_RATIO));
	}

	/**
	 * The search's share of a roster's time budget. The user's {@code seconds} is for the
	 * whole job, so the search gets what the model and the seed left ({@code spent}),
	 * less a reserve for the solver's start and for settling and saving the result after
	 * it (a fortieth of the budget, at least 200 ms): a street's week otherwise ended
	 * some seconds after the limit it was given. Never less than 100 ms, so a tiny budget
	 * still searches a little.
	 */
	public static Duration searchBudget(Duration budget, Duration spent) {
		Duration reserve = budget.dividedBy(40);
		if (reserve.compareTo(MIN_RESERVE) < 0) {
			reserve = MIN_RESERVE;
		}
		// Whole milliseconds: Timefold refuses a spent limit with nanoseconds.
		Duration left = budget.minus(spent).minus(reserve).truncatedTo(ChronoUnit.MILLIS);
		return left.compareTo(MIN_SEARCH) < 0 ? MIN_SEARCH : left;
	}

	private static final Duration MIN_RESERVE = Duration.ofMillis(200);

	private static final Duration MIN_SEARCH = Duration.ofMillis(100);

	/** Soft gain per window, against the first window's, below which the search stops. */
	static final double DIMINISHED_RATIO = 0.01;

	private static Duration atLeastASecond(Duration duration) {
		return duration.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : duration;
	}

	/**
	 * The termination before diminished returns (the limit, or a fifth of it without a
	 * better roster): the benchmark's baseline.
	 */
	public static TerminationConfig withoutDiminishedReturns(Duration limit) {
		return new TerminationConfig().withSpentLimit(limit)
			.withUnimprovedSpentLimit(atLeastASecond(limit.dividedBy(5)));
	}

	void solve(long rosterId, DutyPlan plan, Duration limit, Consumer<DutyPlan> done, Consumer<Throwable> failed) {
		this.manager.solveBuilder()
			.withProblemId(rosterId)
			.withProblem(plan)
			.withConfigOverride(new SolverConfigOverride<DutyPlan>().withTerminationConfig(termination(limit)))
			.withFinalBestSolutionConsumer(done)
			.withExceptionHandler((id, ex) -> failed.accept(ex))
			.run();
	}

	@Override
	public void destroy() {
		this.manager.close();
	}

}
