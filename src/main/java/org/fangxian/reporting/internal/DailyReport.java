package org.fangxian.reporting.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The daily report (日报) of a street or district for one day: the figures the modules
 * recorded (a snapshot, refreshed while a draft, frozen on submission) and three
 * free-text sections the street writes. A submitted report is locked until an HQ
 * administrator reopens it with a reason.
 *
 * @param streets for a district's report, its streets' reports of the same day (who has
 * not submitted)
 */
public record DailyReport(long id, String code, String name, String kind, LocalDate date, State state,
		Dashboard figures, String workDone, String problems, String plans, Instant submittedAt, String reopenReason,
		List<Street> streets) {

	public enum State {

		DRAFT, SUBMITTED

	}

	/**
	 * A street's standing in its district's report; {@code state} null when it has no
	 * report that day.
	 */
	public record Street(String code, String name, State state, Long reportId, String workDone, String problems,
			String plans) {

		public boolean submitted() {
			return this.state == State.SUBMITTED;
		}

	}

	/** Editing is for drafts only. */
	public DailyReport edit(String workDone, String problems, String plans) {
		requireDraft();
		return new DailyReport(this.id, this.code, this.name, this.kind, this.date, this.state, this.figures, workDone,
				problems, plans, this.submittedAt, this.reopenReason, this.streets);
	}

	/** Submitting locks the report; its figures are those of this moment. */
	public DailyReport submit(Dashboard figures, Instant at) {
		requireDraft();
		return new DailyReport(this.id, this.code, this.name, this.kind, this.date, State.SUBMITTED, figures,
				this.workDone, this.problems, this.plans, at, this.reopenReason, this.streets);
	}

	/** Only a submitted report can be reopened, and only with a reason. */
	public DailyReport reopen(String reason) {
		if (this.state != State.SUBMITTED) {
			throw new org.fangxian.shared.InvalidInput("state", "report.reopen.notSubmitted");
		}
		if (reason == null || reason.isBlank()) {
			throw new org.fangxian.shared.InvalidInput("reason", "report.reopen.reasonRequired");
		}
		return new DailyReport(this.id, this.code, this.name, this.kind, this.date, State.DRAFT, this.figures,
				this.workDone, this.problems, this.plans, null, reason.trim(), this.streets);
	}

	public boolean draft() {
		return this.state == State.DRAFT;
	}

	private void requireDraft() {
		if (this.state != State.DRAFT) {
			throw new Locked();
		}
	}

	/** A change to a submitted report: answered 409. */
	public static class Locked extends RuntimeException {

		public Locked() {
			super("report.locked", null, false, false);
		}

	}

}
