package org.fangxian.returnee.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.fangxian.audit.AuditEvent;
import org.fangxian.checkpoint.RiskAreas;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.IdType;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.returnee.ReturneeDecision;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A community worker reads the returnees' reports of their jurisdiction and decides what
 * follows: nothing, home health monitoring or home quarantine, with the origin's risk
 * level on the arrival day (from the risk-area register) suggesting which. Every look at
 * a report is on the audit trail.
 */
@Service
public class ReturneeReviews {

	/** A line of the list: masked, and without the phone. */
	public record ReportRow(long id, String name, String idMasked, String communityName, String address,
			String originName, LocalDate arrivalDate, String transport, Instant reportedAt, ReturneeDecision decision,
			Long residentId) {
	}

	/**
	 * One report as a worker sees it; {@code idNumber} and {@code phone} are masked
	 * unless {@code revealed}.
	 *
	 * @param originLevel the origin's level on the arrival day, per the register now
	 * @param suggested what that level suggests
	 */
	public record ReportDetail(long id, String reference, long communityId, String communityName, String name,
			IdType idType, String idNumber, String phone, boolean revealed, String address, String originCode,
			String originName, LocalDate arrivalDate, String transport, String transportNumber, Instant reportedAt,
			Long residentId, RiskAreas.Level originLevel, ReturneeDecision suggested, ReturneeDecision decision,
			String decidedBy, Instant decidedAt, String decisionNote, boolean registeredElsewhere) {
	}

	public record Row(long id, long communityId, String path, String communityName, String name, String idType,
			byte[] idCipher, byte[] idHash, String idMasked, byte[] phoneCipher, String phoneMasked, String address,
			String originCode, String originName, LocalDate arrivalDate, String transport, String transportNumber,
			Instant reportedAt, Long residentId, String decision, String decidedBy, Instant decidedAt,
			String decisionNote) {
	}

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	private final ResidentDirectory directory;

	private final RiskAreas riskAreas;

	private final ReturneeReports reports;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	ReturneeReviews(JdbcClient jdbc, PersonalDataProtection protection, ResidentDirectory directory,
			RiskAreas riskAreas, ReturneeReports reports, ApplicationEventPublisher events, Clock clock,
			Quarantines quarantines) {
		this.quarantines = quarantines;
		this.jdbc = jdbc;
		this.protection = protection;
		this.directory = directory;
		this.riskAreas = riskAreas;
		this.reports = reports;
		this.events = events;
		this.clock = clock;
	}

	private final Quarantines quarantines;

	/**
	 * Reports in the jurisdiction: undecided first (oldest first, they have waited
	 * longest), then the latest decided.
	 */
	public List<ReportRow> list(CurrentUser user) {
		user.require(Permission.MANAGE_CONTAINMENT);
		List<ReportRow> rows = this.jdbc.sql("""
				select r.id, r.name, r.id_masked, n.name as community_name, r.address, r.origin_name, r.arrival_date,
				       r.transport, r.reported_at, r.decision, r.resident_id
				from returnee_report r join registry_division n on n.id = r.community_id
				where r.path like :scope
				order by r.decided_at is not null, case when r.decided_at is null then r.reported_at end,
				         r.decided_at desc, r.id
				limit 500""").param("scope", user.scopePattern()).query(ReportRow.class).list();
		// A match outside the jurisdiction is not this worker's to see (nor where it is):
		// registry says where.
		java.util.Set<Long> ours = new java.util.HashSet<>();
		this.directory.listings(rows.stream().map(ReportRow::residentId).filter(java.util.Objects::nonNull).toList())
			.stream()
			.filter(resident -> user.covers(resident.path()))
			.forEach(resident -> ours.add(resident.id()));
		return rows.stream()
			.map(r -> r.residentId() == null || ours.contains(r.residentId()) ? r
					: new ReportRow(r.id(), r.name(), r.idMasked(), r.communityName(), r.address(), r.originName(),
							r.arrivalDate(), r.transport(), r.reportedAt(), r.decision(), null))
			.toList();
	}

	/**
	 * One report, masked; the look is audited. A report filed before its person was
	 * registered is matched now.
	 */
	@Transactional
	public ReportDetail view(CurrentUser user, long id) {
		Row row = readable(user, id);
		this.events.publishEvent(AuditEvent.of(user, "RETURNEE_REPORT_VIEWED", "returnee_report", id, null));
		return detail(user, row, false);
	}

	/**
	 * One report with the full ID number and phone, for calling the returnee; needs the
	 * reveal right, audited.
	 */
	@Transactional
	public ReportDetail reveal(CurrentUser user, long id) {
		user.require(Permission.MANAGE_CONTAINMENT);
		user.require(Permission.REVEAL_PERSONAL_DATA);
		Row row = readable(user, id);
		this.events
			.publishEvent(AuditEvent.of(user, "RETURNEE_REPORT_REVEALED", "returnee_report", id, "idNumber, phone"));
		return detail(user, row, true);
	}

	/**
	 * Records the decision, once: what follows a decision (a quarantine started, a
	 * monitoring begun) cannot be silently re-decided; a correction is made there.
	 */
	@Transactional
	public ReportDetail decide(CurrentUser user, long id, String rawDecision, String rawNote) {
		Row row = readable(user, id);
		ReturneeDecision decision;
		try {
			decision = ReturneeDecision.valueOf(FullWidth.clean(rawDecision).toUpperCase(java.util.Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("decision", "returnee.decision.unknown");
		}
		String note = FullWidth.clean(rawNote);
		if (note.length() > 500) {
			throw new InvalidInput("note", "returnee.tooLong", 500);
		}
		RiskAreas.Level level = this.riskAreas.levelOn(row.originCode(), row.arrivalDate());
		int updated = this.jdbc
			.sql("""
					update returnee_report
					set decision = :decision, origin_level = :level, decided_by = :by, decided_at = :at, decision_note = :note
					where id = :id and decided_at is null""")
			.param("decision", decision.name())
			.param("level", level.name())
			.param("by", user.accountId())
			.param("at", java.sql.Timestamp.from(this.clock.instant()))
			.param("note", note.isEmpty() ? null : note)
			.param("id", id)
			.update();
		if (updated == 0) {
			throw new InvalidInput("decision", "returnee.decision.already");
		}
		Row decided = readable(user, id);
		this.events.publishEvent(AuditEvent.of(user, "RETURNEE_DECIDED", "returnee_report", id,
				decision.name() + " (origin " + level + ")"));
		startFollowUp(user, decided, decision);
		return detail(user, decided, false);
	}

	/**
	 * A registered returnee decided for monitoring or quarantine starts it at once,
	 * counted from the arrival day, unless that time is already over or they are under
	 * one already. An unregistered returnee is registered first (the report links to the
	 * form); the worker then starts it by hand.
	 */
	private void startFollowUp(CurrentUser user, Row report, ReturneeDecision decision) {
		// Registered in another jurisdiction: that one's workers act on it; here the
		// street is asked.
		if (!inJurisdiction(user, report.residentId()) || decision == ReturneeDecision.NO_ACTION) {
			return;
		}
		boolean quarantine = decision == ReturneeDecision.HOME_QUARANTINE;
		int days = quarantine ? 14 : 7;
		LocalDate today = LocalDate.now(this.clock);
		LocalDate starts = report.arrivalDate().isAfter(today) ? today : report.arrivalDate();
		if (!starts.plusDays(days).isAfter(today) || starts.isBefore(today.minusDays(14))
				|| this.quarantines.openFor(report.residentId(), this.clock.instant()).isPresent()) {
			return;
		}
		this.quarantines.start(user,
				new Quarantines.NewQuarantine(report.residentId(), null,
						quarantine ? Quarantines.Kind.HOME.name() : Quarantines.Kind.MONITORING.name(),
						"返回人员报备 · " + report.originName(),
						report.address() == null || report.address().isBlank() ? "本人住所" : report.address(), starts,
						days, null, quarantine ? "1,4,7,14" : ""));
	}

	/** What the origin's level suggests: high → quarantine, medium → monitoring. */
	public static ReturneeDecision suggestion(RiskAreas.Level level) {
		return switch (level) {
			case HIGH -> ReturneeDecision.HOME_QUARANTINE;
			case MEDIUM -> ReturneeDecision.HEALTH_MONITORING;
			case LOW -> ReturneeDecision.NO_ACTION;
		};
	}

	/**
	 * The report if it exists and lies in the jurisdiction; the permission is checked
	 * before the lookup.
	 */
	private Row readable(CurrentUser user, long id) {
		user.require(Permission.MANAGE_CONTAINMENT);
		Row row = this.jdbc
			.sql("""
					select r.id, r.community_id, r.path, n.name as community_name, r.name, r.id_type, r.id_cipher, r.id_hash,
					       r.id_masked, r.phone_cipher, r.phone_masked, r.address, r.origin_code, r.origin_name,
					       r.arrival_date, r.transport, r.transport_number, r.reported_at, r.resident_id, r.decision,
					       a.display_name as decided_by, r.decided_at, r.decision_note
					from returnee_report r
					join registry_division n on n.id = r.community_id
					left join security_account a on a.id = r.decided_by
					where r.id = :id""")
			.param("id", id)
			.query(Row.class)
			.optional()
			.orElseThrow(() -> new NotFound("returnee.notFound"));
		user.requireCovers(row.path());
		if (row.residentId() == null && IdType.RESIDENT_ID.name().equals(row.idType())) {
			Long residentId = this.directory.byIdNumber(this.protection.decrypt(row.idCipher()))
				.map(ResidentDirectory.ResidentSnapshot::id)
				.orElse(null);
			if (residentId != null) {
				this.jdbc
					.sql("update returnee_report set resident_id = :resident where id = :id and resident_id is null")
					.param("resident", residentId)
					.param("id", id)
					.update();
				return readable(user, id);
			}
		}
		return row;
	}

	/**
	 * Whether the matched resident lies in the caller's jurisdiction (a report may match
	 * one registered elsewhere).
	 */
	private boolean inJurisdiction(CurrentUser user, Long residentId) {
		return residentId != null && this.directory.byId(residentId).map(r -> user.covers(r.path())).orElse(false);
	}

	/**
	 * The report as this worker may see it: a match in another jurisdiction is told only
	 * as "cannot be registered here; ask the street", without who or where the other
	 * registration is.
	 */
	private ReportDetail detail(CurrentUser user, Row row, boolean reveal) {
		boolean ours = inJurisdiction(user, row.residentId());
		RiskAreas.Level level = this.riskAreas.levelOn(row.originCode(), row.arrivalDate());
		return new ReportDetail(row.id(), this.reports.reference(row.id()), row.communityId(), row.communityName(),
				row.name(), IdType.valueOf(row.idType()),
				reveal ? this.protection.decrypt(row.idCipher()) : row.idMasked(),
				reveal ? this.protection.decrypt(row.phoneCipher()) : row.phoneMasked(), reveal, row.address(),
				row.originCode(), row.originName(), row.arrivalDate(), row.transport(), row.transportNumber(),
				row.reportedAt(), ours ? row.residentId() : null, level, suggestion(level),
				row.decision() == null ? null : ReturneeDecision.valueOf(row.decision()), row.decidedBy(),
				row.decidedAt(), row.decisionNote(), row.residentId() != null && !ours);
	}

}
