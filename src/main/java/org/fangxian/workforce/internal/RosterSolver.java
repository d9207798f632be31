package org.fangxian.workforce.internal;

import java.time.Duration;
import java.util.function.Consumer;

import ai.timefold.solver.core.api.solver.SolverConfigOverride;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.api.solver.SolverManager;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.SolverManagerConfig;
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
	 * Stops within the limit, or sooner when a fifth of it (at least a second) brought no
	 * better roster.
	 */
	public static TerminationConfig termination(Duration limit) {
		Duration unimproved = limit.dividedBy(5).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
				: limit.dividedBy(5);
		return new TerminationConfig().withSpentLimit(limit).withUnimprovedSpentLimit(unimproved);
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
