package org.fangxian.tracing;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.fangxian.TestIdNumbers;
import org.fangxian.security.MatrixRows;
import org.fangxian.shared.IdNumber;

import static org.fangxian.security.Permission.MANAGE_TRACING;
import static org.fangxian.security.Permission.REVEAL_PERSONAL_DATA;

/**
 * Tracing's rows of the authorization matrix (issue 11): cases, contacts and the tracer's
 * pages, each call on a case of its own.
 */
class TracingMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(
				// Flow tracing (issue 11): each call gets a case of its own (a fresh
				// resident of the place's household,
				// with a fresh close contact), so quarantining or discharging never
				// touches the place's own resident.
				api("POST", "/api/v1/cases", needs(MANAGE_TRACING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/cases",
								Map.of("residentId", String.valueOf(tracingResident(p, "Case")), "kind", "CONFIRMED")),
						null),
				api("GET", "/api/v1/cases", needs(MANAGE_TRACING), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/cases"),
						null),
				api("GET", "/api/v1/cases/chain", needs(MANAGE_TRACING), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/cases/chain"), null),
				api("GET", "/api/v1/cases/{id}", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/cases/" + tracedCase(p).caseId()), p -> "matrix-case"),
				api("GET", "/api/v1/cases/{id}/contact-candidates", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/cases/" + tracedCase(p).caseId() + "/contact-candidates"),
						p -> "HOUSEHOLD"),
				api("GET", "/api/v1/cases/{id}/contacts/{contactId}/contact-candidates", needs(MANAGE_TRACING), SCOPED,
						200, (c, p) -> {
							TracedCase t = tracedCase(p);
							return Call.get("/api/v1/cases/" + t.caseId() + "/contacts/" + t.contactId()
									+ "/contact-candidates");
						}, null),
				api("POST", "/api/v1/cases/{id}/contacts", needs(MANAGE_TRACING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + tracedCase(p).caseId() + "/contacts",
								Map.of("residentId", String.valueOf(p.residentId()), "category", "NONE", "reason",
										"matrix")),
						null),
				api("GET", "/api/v1/cases/{id}/contacts", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/cases/" + tracedCase(p).caseId() + "/contacts"),
						p -> "matrix-contact"),
				api("POST", "/api/v1/cases/{id}/contacts/manual", needs(MANAGE_TRACING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + tracedCase(p).caseId() + "/contacts/manual",
								Map.of("name", "快递员", "phone", "13900139000", "reason", "送货上门")),
						null),
				api("POST", "/api/v1/cases/{id}/contacts/{contactId}/reveal",
						needs(MANAGE_TRACING, REVEAL_PERSONAL_DATA), SCOPED, 200, (c, p) -> {
							TracedCase t = tracedCase(p);
							return Call.json("POST",
									"/api/v1/cases/" + t.caseId() + "/contacts/" + t.manualId() + "/reveal", null);
						}, p -> this.tracingIdNumbers.get(p.label())),
				api("POST", "/api/v1/cases/{id}/contacts/quarantine", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + tracedCase(p).caseId() + "/contacts/quarantine",
								Map.of("kind", "HOME")),
						p -> "\"started\":1"),
				api("POST", "/api/v1/cases/{id}/transfer", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + tracedCase(p).caseId() + "/transfer",
								Map.of("to", "市传染病医院")),
						p -> "TRANSFERRED"),
				api("POST", "/api/v1/cases/{id}/discharge", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + transferredCase(p) + "/discharge", null),
						p -> "DISCHARGED"),
				api("POST", "/api/v1/cases/{id}/kind", needs(MANAGE_TRACING), SCOPED, 200, (c, p) -> Call.json("POST",
						"/api/v1/cases/" + tracedCase(p).caseId() + "/kind", Map.of("kind", "ASYMPTOMATIC")),
						p -> "ASYMPTOMATIC"));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(
				// Flow tracing (issue 11): the tracer's pages, each call on a case of its
				// own.
				page("GET", "/tracing", needs(MANAGE_TRACING), UNSCOPED, 200, (c, p) -> Call.get("/tracing"), null),
				page("GET", "/tracing/chain", needs(MANAGE_TRACING), UNSCOPED, 200,
						(c, p) -> Call.get("/tracing/chain"), null),
				page("GET", "/tracing/cases/new", needs(MANAGE_TRACING), UNSCOPED, 200,
						(c, p) -> Call.get("/tracing/cases/new"), null),
				page("GET", "/tracing/cases/new?resident={id}", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/tracing/cases/new?resident=" + p.residentId()), null),
				page("POST", "/tracing/cases", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases",
								Map.of("residentId", String.valueOf(tracingResident(p, "Case")), "kind", "CONFIRMED",
										"foundBy", "FEVER_CLINIC")),
						null),
				page("GET", "/tracing/cases/{id}", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/tracing/cases/" + tracedCase(p).caseId()), p -> "matrix-contact"),
				page("POST", "/tracing/cases/{id}/contacts", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + tracedCase(p).caseId() + "/contacts",
								Map.of("residentId", String.valueOf(p.residentId()), "category", "NONE", "reason",
										"matrix")),
						null),
				page("POST", "/tracing/cases/{id}/manual", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + tracedCase(p).caseId() + "/manual",
								Map.of("name", "快递员", "reason", "送货上门")),
						null),
				page("POST", "/tracing/cases/{id}/quarantine", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + tracedCase(p).caseId() + "/quarantine",
								Map.of("kind", "HOME")),
						null),
				page("POST", "/tracing/cases/{id}/transfer", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + tracedCase(p).caseId() + "/transfer",
								Map.of("to", "市传染病医院")),
						null),
				page("POST", "/tracing/cases/{id}/discharge", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + transferredCase(p) + "/discharge", Map.of()), null),
				page("POST", "/tracing/cases/{id}/contacts/{contactId}/reveal",
						needs(MANAGE_TRACING, REVEAL_PERSONAL_DATA), SCOPED, 200, (c, p) -> {
							TracedCase t = tracedCase(p);
							return Call.form("/tracing/cases/" + t.caseId() + "/contacts/" + t.manualId() + "/reveal",
									Map.of());
						}, p -> this.tracingIdNumbers.get(p.label())),
				page("GET", "/tracing/cases/{id}/contacts/{contactId}/candidates", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> {
							TracedCase t = tracedCase(p);
							return Call
								.get("/tracing/cases/" + t.caseId() + "/contacts/" + t.contactId() + "/candidates");
						}, null),
				page("GET", "/tracing/cases/{id}/contacts.xlsx", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/tracing/cases/" + tracedCase(p).caseId() + "/contacts.xlsx"),
						p -> "PK\u0003\u0004"));
	}

	// ---------------------------------------------------------------- tracing fixtures
	// (issue 11), one per call

	/**
	 * A case, its close contact and a non-resident added by hand (with an ID number only
	 * a reveal shows).
	 */
	record TracedCase(long caseId, long contactId, long manualId) {
	}

	/** The ID number of the hand-added contact last made at each place. */
	private final Map<String, String> tracingIdNumbers = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * Two residents per place sharing a household of their own: whose cases and contacts
	 * the tracing routes use.
	 */
	record TracingPeople(long subject, long contact) {
	}

	private final Map<String, TracingPeople> tracingPeople = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * The place's case subject, without an open case (an earlier one is discharged): a
	 * few residents per place only, so the place's resident lists stay short (they list
	 * the newest first).
	 */
	private long tracingResident(Place place, String what) {
		long subject = people(place).subject();
		this.jdbc.sql("""
				update tracing_case set status = 'DISCHARGED', transferred_to = 'matrix', transferred_at = now(),
				       discharged_at = now() where resident_id = :r and status <> 'DISCHARGED'""")
			.param("r", subject)
			.update();
		return subject;
	}

	private TracingPeople people(Place place) {
		return this.tracingPeople.computeIfAbsent(place.label(), label -> {
			long household = this.jdbc.sql("""
					insert into household (node_id, room, address) values (:node, :room, :room) returning id""")
				.param("node", place.compoundId())
				.param("room", unique("T"))
				.query(Long.class)
				.single();
			java.util.function.Supplier<Long> resident = () -> this.jdbc
				.sql("""
						insert into resident (node_id, household_id, name, id_type) values (:node, :household, :name, 'RESIDENT_ID')
						returning id""")
				.param("node", place.compoundId())
				.param("household", household)
				.param("name", unique("Traced"))
				.query(Long.class)
				.single();
			return new TracingPeople(resident.get(), resident.get());
		});
	}

	private TracedCase tracedCase(Place place) {
		long subject = tracingResident(place, "Case");
		long caseId = this.jdbc
			.sql("""
					insert into tracing_case (resident_id, path, kind, found_by, reported_at, note, created_by)
					select id, path, 'CONFIRMED', 'OTHER', now(), 'matrix-case', 0 from resident where id = :r returning id""")
			.param("r", subject)
			.query(Long.class)
			.single();
		long contact = this.jdbc
			.sql("""
					insert into tracing_contact (case_id, resident_id, path, name, category, reason, contact_on, decided_by)
					select :case, id, path, name, 'CLOSE', 'matrix-contact', current_date, 0 from resident where id = :r returning id""")
			.param("case", caseId)
			.param("r", people(place).contact())
			.query(Long.class)
			.single();
		this.jdbc.sql("update quarantine set released_at = now() where resident_id = :r and released_at is null")
			.param("r", people(place).contact())
			.update();
		String idNumber = TestIdNumbers.next();
		this.tracingIdNumbers.put(place.label(), idNumber);
		long manual = this.jdbc
			.sql("""
					insert into tracing_contact (case_id, path, name, id_cipher, id_masked, category, reason, contact_on, decided_by)
					values (:case, :path, '快递员', :cipher, :masked, 'CLOSE', 'matrix-courier', current_date, 0) returning id""")
			.param("case", caseId)
			.param("path", place.community().path())
			.param("cipher", this.protection.encrypt(idNumber))
			.param("masked", new IdNumber(idNumber).masked())
			.query(Long.class)
			.single();
		return new TracedCase(caseId, contact, manual);
	}

	/** A case already transferred to hospital, to be discharged. */
	private long transferredCase(Place place) {
		long caseId = tracedCase(place).caseId();
		this.jdbc.sql(
				"update tracing_case set status = 'TRANSFERRED', transferred_to = 'matrix', transferred_at = now() where id = :id")
			.param("id", caseId)
			.update();
		return caseId;
	}

}
