package org.fangxian.tracing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.Node;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.DateBounds;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.tracing.CaseKind;
import org.fangxian.tracing.CaseOpened;
import org.fangxian.tracing.CaseStatus;
import org.fangxian.tracing.Cases;
import org.fangxian.tracing.FoundBy;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opens cases (病例), from an individual positive or by hand (a hospital's notice), and
 * moves them along their status. A case is seen by whoever traces (MANAGE_TRACING) in a
 * jurisdiction that covers the person's home; every view is on the audit trail.
 */
@Service
public class CaseBook implements Cases {

	private final JdbcClient jdbc;

	private final ResidentDirectory directory;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	CaseBook(JdbcClient jdbc, ResidentDirectory directory, ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.directory = directory;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * A case as entered by a worker; kind and found-by as their names, dates optional.
	 */
	public record NewCase(Long residentId, String kind, String foundBy, Instant reportedAt, Instant onsetAt,
			String note) {
	}

	/**
	 * A case with the person's masked name and address, for lists and pages; no address
	 * when the person has since moved out of the user's jurisdiction.
	 */
	public record CaseView(CaseRecord record, String name, String address) {
	}

	static final String SELECT = """
			select id, resident_id, path, kind, found_by, reported_at, onset_at, sampled_at, source_barcode, note, status,
			       transferred_to, transferred_at, discharged_at
			from tracing_case
			""";

	static CaseRecord map(ResultSet rs) throws SQLException {
		return new CaseRecord(rs.getLong("id"), rs.getLong("resident_id"), rs.getString("path"),
				CaseKind.valueOf(rs.getString("kind")), FoundBy.valueOf(rs.getString("found_by")),
				instant(rs, "reported_at"), instant(rs, "onset_at"), instant(rs, "sampled_at"),
				rs.getString("source_barcode"), rs.getString("note"), CaseStatus.valueOf(rs.getString("status")),
				rs.getString("transferred_to"), instant(rs, "transferred_at"), instant(rs, "discharged_at"));
	}

	static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

	static <E extends Enum<E>> E parse(Class<E> type, String raw, String field, E fallback) {
		if (raw == null || raw.isBlank()) {
			if (fallback != null) {
				return fallback;
			}
			throw new InvalidInput(field, "tracing.field.required");
		}
		try {
			return Enum.valueOf(type, raw.strip().toUpperCase(java.util.Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput(field, "tracing.field.invalid", raw);
		}
	}

	@Transactional
	public long open(CurrentUser user, NewCase form) {
		user.require(Permission.MANAGE_TRACING);
		if (form.residentId() == null) {
			throw new InvalidInput("residentId", "tracing.field.required");
		}
		ResidentSnapshot person = this.directory.byId(form.residentId())
			.orElseThrow(() -> new InvalidInput("residentId", "tracing.case.unknownResident"));
		user.requireCovers(person.path());
		CaseKind kind = parse(CaseKind.class, form.kind(), "kind", null);
		FoundBy foundBy = parse(FoundBy.class, form.foundBy(), "foundBy", FoundBy.OTHER);
		Instant now = this.clock.instant();
		Instant reported = form.reportedAt() == null ? now : form.reportedAt();
		if (reported.isAfter(now.plusSeconds(300)) || reported.isBefore(now.minusSeconds(60L * 86_400))) {
			throw new InvalidInput("reportedAt", "tracing.case.reportedAt.invalid");
		}
		if (form.onsetAt() != null && (form.onsetAt().isAfter(reported.plusSeconds(86_400))
				|| form.onsetAt().isBefore(reported.minusSeconds(30L * 86_400)))) {
			throw new InvalidInput("onsetAt", "tracing.case.onsetAt.invalid");
		}
		String note = form.note() == null || form.note().isBlank() ? null : form.note().strip();
		if (note != null && note.length() > 500) {
			throw new InvalidInput("note", "tracing.field.tooLong", 500);
		}
		Optional<Long> existing = openCaseOf(person.id());
		if (existing.isPresent()) {
			// a retried request, or the same person notified twice: one open case
			return existing.get();
		}
		return insert(person, kind, foundBy, reported, form.onsetAt(), null, null, note, user.accountId(),
				user.username());
	}

	/**
	 * A case from an individual positive in a lab import; nothing if the person already
	 * has an open case. Found in quarantine when they were quarantined at the time, else
	 * by community sampling.
	 */
	@Transactional
	public Optional<Long> openFromLab(long residentId, String barcode, Instant sampledAt, Instant resultAt,
			boolean inQuarantine, long accountId, String username) {
		if (openCaseOf(residentId).isPresent()) {
			return Optional.empty();
		}
		ResidentSnapshot person = this.directory.byId(residentId).orElseThrow();
		return Optional
			.of(insert(person, CaseKind.ASYMPTOMATIC, inQuarantine ? FoundBy.QUARANTINE : FoundBy.COMMUNITY_SAMPLING,
					resultAt, null, sampledAt, barcode, null, accountId, username));
	}

	private long insert(ResidentSnapshot person, CaseKind kind, FoundBy foundBy, Instant reported, Instant onset,
			Instant sampled, String barcode, String note, long accountId, String username) {
		long id;
		try {
			id = this.jdbc.sql("""
					insert into tracing_case (resident_id, path, kind, found_by, reported_at, onset_at, sampled_at,
					                          source_barcode, note, created_by)
					values (:resident, :path, :kind, :foundBy, :reported, :onset, :sampled, :barcode, :note, :by)
					returning id""")
				.param("resident", person.id())
				.param("path", person.path())
				.param("kind", kind.name())
				.param("foundBy", foundBy.name())
				.param("reported", Timestamp.from(reported))
				.param("onset", onset == null ? null : Timestamp.from(onset))
				.param("sampled", sampled == null ? null : Timestamp.from(sampled))
				.param("barcode", barcode)
				.param("note", note)
				.param("by", accountId)
				.query(Long.class)
				.single();
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidInput("residentId", "tracing.case.alreadyOpen");
		}
		this.events.publishEvent(new AuditEvent(username, accountId, "CASE_OPENED", "tracing_case", String.valueOf(id),
				kind + " " + foundBy + " resident " + person.id()));
		this.events.publishEvent(new CaseOpened(id, person.id(), kind, foundBy, reported));
		return id;
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<Long> openCaseOf(long residentId) {
		return this.jdbc.sql("select id from tracing_case where resident_id = :resident and status <> 'DISCHARGED'")
			.param("resident", residentId)
			.query(Long.class)
			.optional();
	}

	/**
	 * The case, if the user traces in a jurisdiction covering it; not audited (the
	 * caller's view is).
	 */
	CaseRecord readable(CurrentUser user, long id) {
		user.require(Permission.MANAGE_TRACING);
		CaseRecord record = this.jdbc.sql(SELECT + "where id = :id")
			.param("id", id)
			.query((rs, n) -> map(rs))
			.optional()
			.orElseThrow(() -> new NotFound("tracing.case.notFound"));
		user.requireCovers(record.path());
		return record;
	}

	@Transactional
	public CaseView view(CurrentUser user, long id) {
		CaseRecord record = readable(user, id);
		this.events.publishEvent(AuditEvent.of(user, "CASE_VIEWED", "tracing_case", id, null));
		return withPerson(user, record);
	}

	CaseView withPerson(CurrentUser user, CaseRecord record) {
		return withPeople(user, List.of(record)).get(0);
	}

	/** Cases of the user's jurisdiction, open first, newest first. */
	@Transactional
	public List<CaseView> list(CurrentUser user, boolean openOnly) {
		user.require(Permission.MANAGE_TRACING);
		List<CaseRecord> records = this.jdbc
			.sql(SELECT
					+ """
							where tracing_case.path ~>=~ :from and tracing_case.path ~<~ :to and (not :openOnly or status <> 'DISCHARGED')
							order by status = 'DISCHARGED', reported_at desc, id desc limit 500""")
			.param("from", user.scopePath())
			.param("to", scopeEnd(user.scopePath()))
			.param("openOnly", openOnly)
			.query((rs, n) -> map(rs))
			.list();
		this.events.publishEvent(AuditEvent.of(user, "CASES_LISTED", "tracing_case", null, records.size() + " cases"));
		return withPeople(user, records);
	}

	List<CaseView> withPeople(CurrentUser user, List<CaseRecord> records) {
		var people = new java.util.HashMap<Long, ResidentDirectory.Listing>();
		this.directory.listings(records.stream().map(CaseRecord::residentId).distinct().toList())
			.forEach(l -> people.put(l.id(), l));
		return records.stream().map(r -> {
			ResidentDirectory.Listing person = people.get(r.residentId());
			return new CaseView(r, person == null ? "" : org.fangxian.shared.PersonNames.mask(person.name()),
					person == null || !user.covers(person.path()) ? "" : person.address());
		}).toList();
	}

	/**
	 * The first path after a subtree ("/1/7/" → "/1/70"... byte order: '0' follows '/');
	 * "/" covers all.
	 */
	static String scopeEnd(String path) {
		return Node.subtreeEnd(path);
	}

	@Transactional
	public CaseRecord transfer(CurrentUser user, long id, String to, Instant at) {
		CaseRecord next = readable(user, id).transfer(to,
				at == null ? this.clock.instant() : DateBounds.require("at", at));
		this.jdbc
			.sql("""
					update tracing_case set status = :status, transferred_to = :to, transferred_at = :at, transferred_by = :by
					where id = :id and status = 'HOME_ISOLATED'""")
			.param("status", next.status().name())
			.param("to", next.transferredTo())
			.param("at", Timestamp.from(next.transferredAt()))
			.param("by", user.accountId())
			.param("id", id)
			.update();
		this.events.publishEvent(AuditEvent.of(user, "CASE_TRANSFERRED", "tracing_case", id, next.transferredTo()));
		return next;
	}

	@Transactional
	public CaseRecord discharge(CurrentUser user, long id, Instant at) {
		CaseRecord next = readable(user, id)
			.discharge(at == null ? this.clock.instant() : DateBounds.require("at", at));
		this.jdbc.sql("""
				update tracing_case set status = 'DISCHARGED', discharged_at = :at, discharged_by = :by
				where id = :id and status = 'TRANSFERRED'""")
			.param("at", Timestamp.from(next.dischargedAt()))
			.param("by", user.accountId())
			.param("id", id)
			.update();
		this.events.publishEvent(AuditEvent.of(user, "CASE_DISCHARGED", "tracing_case", id, null));
		return next;
	}

	/** Confirmed or asymptomatic, as the hospital decides after the positive. */
	@Transactional
	public void classify(CurrentUser user, long id, String kind) {
		readable(user, id);
		CaseKind value = parse(CaseKind.class, kind, "kind", null);
		this.jdbc.sql("update tracing_case set kind = :kind where id = :id")
			.param("kind", value.name())
			.param("id", id)
			.update();
		this.events.publishEvent(AuditEvent.of(user, "CASE_CLASSIFIED", "tracing_case", id, value.name()));
	}

}
