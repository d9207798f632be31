package org.fangxian.workforce.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Set;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;

import org.fangxian.workforce.PostKind;

/**
 * One seat of one shift on one day (planning entity): a shift of headcount 3 on Monday is
 * three seats. The solver chooses its person among the candidates, or leaves it empty
 * when nobody fits.
 *
 * <p>
 * Times are minutes from the period's first midnight, so comparing and subtracting them
 * is cheap in the solver's inner loop.
 */
@PlanningEntity
public class DutySeat {

	@PlanningId
	private long id;

	private long shiftId;

	private long postId;

	private Long teamId;

	private LocalDate day;

	private long start;

	private long end;

	private Set<String> skills;

	private PostKind kind;

	/** Night or weekend: spread fairly among people. */
	private boolean unsocial;

	private long week;

	private List<DutyPerson> candidates;

	@PlanningVariable(valueRangeProviderRefs = "candidates", allowsUnassigned = true)
	private DutyPerson person;

	public DutySeat() {
	}

	public DutySeat(long id, DutyShape shape, LocalDate day, LocalDate periodStart, List<DutyPerson> candidates) {
		this.id = id;
		this.shiftId = shape.shiftId();
		this.postId = shape.postId();
		this.teamId = shape.teamId();
		this.day = day;
		LocalDateTime startsAt = day.atTime(shape.starts());
		LocalDateTime endsAt = shape.endsAt(day);
		long base = periodStart.toEpochDay() * 1440;
		this.start = day.toEpochDay() * 1440 - base + shape.starts().toSecondOfDay() / 60;
		this.end = this.start + java.time.Duration.between(startsAt, endsAt).toMinutes();
		this.skills = shape.skills();
		this.kind = shape.kind();
		this.unsocial = shape.night() || day.getDayOfWeek() == DayOfWeek.SATURDAY
				|| day.getDayOfWeek() == DayOfWeek.SUNDAY;
		this.week = weekOf(day);
		this.candidates = candidates;
	}

	/**
	 * The ISO week a day belongs to, as the epoch day of its Monday: max shifts per week
	 * counts by it.
	 */
	public static long weekOf(LocalDate day) {
		return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toEpochDay();
	}

	@ValueRangeProvider(id = "candidates")
	public List<DutyPerson> getCandidates() {
		return this.candidates;
	}

	public long getId() {
		return this.id;
	}

	public long getShiftId() {
		return this.shiftId;
	}

	public long getPostId() {
		return this.postId;
	}

	public Long getTeamId() {
		return this.teamId;
	}

	public LocalDate getDay() {
		return this.day;
	}

	public long getStart() {
		return this.start;
	}

	public long getEnd() {
		return this.end;
	}

	public Set<String> getSkills() {
		return this.skills;
	}

	public PostKind getKind() {
		return this.kind;
	}

	/**
	 * How many of its person's preferences this seat misses: the post's kind, the start
	 * time of day.
	 */
	public int preferenceMisses() {
		return this.person == null ? 0
				: this.person.preference().misses(this.kind, Math.floorMod(this.start, DutyPerson.ALL_DAY));
	}

	public boolean isUnsocial() {
		return this.unsocial;
	}

	public long getWeek() {
		return this.week;
	}

	public DutyPerson getPerson() {
		return this.person;
	}

	public void setPerson(DutyPerson person) {
		this.person = person;
	}

	@Override
	public String toString() {
		return "seat " + this.id + " of shift " + this.shiftId + " on " + this.day;
	}

}
