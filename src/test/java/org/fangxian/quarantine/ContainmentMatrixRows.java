package org.fangxian.quarantine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.fangxian.TestIdNumbers;
import org.fangxian.security.MatrixRows;
import org.fangxian.security.Role;
import org.fangxian.shared.IdNumber;
import org.junit.jupiter.api.DynamicTest;

import static org.fangxian.security.Permission.EDIT_RESIDENTS;
import static org.fangxian.security.Permission.MANAGE_CONTAINMENT;
import static org.fangxian.security.Permission.REVEAL_PERSONAL_DATA;
import static org.fangxian.security.Permission.VIEW_REGISTRY;
import static org.fangxian.security.Permission.VIEW_RESIDENTS;
import static org.fangxian.security.Permission.VISIT_HOUSEHOLDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Containment's rows of the authorization matrix: seals, quarantines (and the person's
 * public check-in link), returnee reports (and the public form) and door-to-door
 * screening.
 */
class ContainmentMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(
				// Containment: each call seals a building of its own, or quarantines a
				// resident of its own.
				api("POST", "/api/v1/containment/seals", needs(MANAGE_CONTAINMENT), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/containment/seals",
								Map.of("nodeId", String.valueOf(building(p)), "level", "SEALED", "reason", "matrix",
										"order", "matrix", "hours", "48")),
						null),
				api("GET", "/api/v1/containment/seals", needs(VIEW_REGISTRY), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/seals"), null),
				api("GET", "/api/v1/containment/seals/{id}", needs(VIEW_REGISTRY), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/seals/" + seal(p)), p -> "\"timeline\""),
				api("POST", "/api/v1/containment/seals/{id}/extend", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/containment/seals/" + seal(p) + "/extend",
								Map.of("hours", "96")),
						null),
				api("POST", "/api/v1/containment/seals/{id}/end", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/containment/seals/" + seal(p) + "/end",
								Map.of("note", "解封")),
						null),
				api("POST", "/api/v1/containment/quarantines", needs(MANAGE_CONTAINMENT), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/containment/quarantines",
								Map.of("residentId", String.valueOf(freshResident(p)), "reason", "matrix", "place",
										"home")),
						null),
				api("GET", "/api/v1/containment/quarantines", needs(MANAGE_CONTAINMENT), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/quarantines"), null),
				api("GET", "/api/v1/containment/quarantines/{id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/quarantines/" + quarantine(p)), p -> "\"testDays\""),
				api("POST", "/api/v1/containment/quarantines/{id}/check-ins", needs(MANAGE_CONTAINMENT), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/containment/quarantines/" + quarantine(p) + "/check-ins",
								Map.of("temperature", "36.5")),
						null),
				api("POST", "/api/v1/containment/quarantines/{id}/tests", needs(MANAGE_CONTAINMENT), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/containment/quarantines/" + quarantine(p) + "/tests",
								Map.of("day", "1", "result", "NEGATIVE")),
						null),
				api("POST", "/api/v1/containment/quarantines/{id}/release", needs(MANAGE_CONTAINMENT), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/containment/quarantines/" + quarantine(p) + "/release",
								Map.of("note", "matrix")),
						null),
				// Containment: returnee reports (each decision on a report of its own: a
				// report is decided once).
				api("GET", "/api/v1/containment/returnee-reports", needs(MANAGE_CONTAINMENT), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/returnee-reports"), null),
				api("GET", "/api/v1/containment/returnee-reports/{id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/returnee-reports/" + returneeReport(p)),
						Place::residentName),
				api("POST", "/api/v1/containment/returnee-reports/{id}/reveal",
						needs(MANAGE_CONTAINMENT, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.json("POST",
								"/api/v1/containment/returnee-reports/" + returneeReport(p) + "/reveal", null),
						Place::idNumber),
				api("POST", "/api/v1/containment/returnee-reports/{id}/decision", needs(MANAGE_CONTAINMENT), SCOPED,
						200,
						(c, p) -> Call.json("POST",
								"/api/v1/containment/returnee-reports/" + returneeReport(p) + "/decision",
								Map.of("decision", "HEALTH_MONITORING")),
						p -> "HEALTH_MONITORING"),
				// Screening campaigns: planning and handing out doors.
				api("POST", "/api/v1/containment/campaigns", needs(MANAGE_CONTAINMENT), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/containment/campaigns",
								Map.of("name", unique("Campaign"), "nodeId", String.valueOf(p.community().id()))),
						null),
				api("POST", "/api/v1/containment/campaigns/{id}/assignments", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/containment/campaigns/" + campaign(p) + "/assignments",
								Map.of("buildingId", String.valueOf(p.compoundId()))),
						p -> "\"doors\""));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(
				page("GET", "/containment", needs(MANAGE_CONTAINMENT), UNSCOPED, 200,
						(c, p) -> Call.get("/containment"), null),
				page("GET", "/containment/seals/new?node={id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/containment/seals/new?node=" + p.compoundId()), Place::compoundName),
				page("POST", "/containment/seals", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/seals",
								Map.of("nodeId", String.valueOf(building(p)), "level", "CONTROLLED", "reason", "matrix",
										"order", "matrix", "hours", "48")),
						null),
				page("GET", "/containment/seals/{id}", needs(VIEW_REGISTRY), SCOPED, 200,
						(c, p) -> Call.get("/containment/seals/" + seal(p)), p -> "matrix-seal"),
				page("POST", "/containment/seals/{id}/extend", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/seals/" + seal(p) + "/extend", Map.of("hours", "24")), null),
				page("POST", "/containment/seals/{id}/end", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/seals/" + seal(p) + "/end", Map.of()), null),
				page("GET", "/containment/quarantines/new?resident={id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/containment/quarantines/new?resident=" + p.residentId()), null),
				page("POST", "/containment/quarantines", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/quarantines",
								Map.of("residentId", String.valueOf(freshResident(p)), "reason", "matrix", "place",
										"home")),
						null),
				page("GET", "/containment/quarantines/{id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/containment/quarantines/" + quarantine(p)), p -> "matrix-quarantine"),
				page("POST", "/containment/quarantines/{id}/check-ins", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/quarantines/" + quarantine(p) + "/check-ins",
								Map.of("temperature", "36.5")),
						null),
				page("POST", "/containment/quarantines/{id}/tests", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/quarantines/" + quarantine(p) + "/tests",
								Map.of("day", "1", "result", "SAMPLED")),
						null),
				page("POST", "/containment/quarantines/{id}/release", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/quarantines/" + quarantine(p) + "/release",
								Map.of("note", "m")),
						null),
				// The person's own check-in link is public; a link that does not verify
				// shows a polite refusal.
				page("GET", "/q/{token}", needs(), UNSCOPED, 200, (c, p) -> Call.get("/q/1.AAAAAAAAAAAAAAAAAAAAAA"),
						null),
				page("POST", "/q/{token}", needs(), UNSCOPED, 200,
						(c, p) -> Call.form("/q/1.AAAAAAAAAAAAAAAAAAAAAA", Map.of("temperature", "36.5")), null),
				// Public (see anonymous): the returnee's form by the community's link,
				// and its district picker.
				page("GET", "/report?c={code}", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/report?c=" + p.community().code()), p -> p.community().name()),
				page("GET", "/report/districts?city={code}", needs(), UNSCOPED, 200,
						(c, p) -> new Call("GET", "/report/districts?city=2301", null, null, null, null,
								"application/json"),
						p -> "230102"),
				// Containment pages for those who review returnees and plan screening.
				// People found at doors, not in the registry: the community worker
				// registers or dismisses them.
				page("GET", "/screening/newcomers", needs(MANAGE_CONTAINMENT, VIEW_RESIDENTS), UNSCOPED, 200,
						(c, p) -> Call.get("/screening/newcomers"), null),
				page("POST", "/screening/newcomers/{id}/reveal",
						needs(MANAGE_CONTAINMENT, VIEW_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.form("/screening/newcomers/" + newcomer(p) + "/reveal", Map.of()),
						p -> this.newcomerIdNumbers.get(p.label())),
				page("POST", "/screening/newcomers/{id}/register",
						needs(MANAGE_CONTAINMENT, VIEW_RESIDENTS, EDIT_RESIDENTS), SCOPED, 302,
						(c, p) -> Call.form("/screening/newcomers/" + newcomer(p) + "/register",
								Map.of("relation", "TENANT", "status", "RENTING")),
						null),
				page("POST", "/screening/newcomers/{id}/dismiss", needs(MANAGE_CONTAINMENT, VIEW_RESIDENTS), SCOPED,
						302,
						(c, p) -> Call.form("/screening/newcomers/" + newcomer(p) + "/dismiss", Map.of("note", "已离开")),
						null),
				page("GET", "/returnees", needs(MANAGE_CONTAINMENT), UNSCOPED, 200, (c, p) -> Call.get("/returnees"),
						null),
				page("GET", "/returnees/{id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/returnees/" + returneeReport(p)), Place::residentName),
				page("POST", "/returnees/{id}/reveal", needs(MANAGE_CONTAINMENT, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.form("/returnees/" + returneeReport(p) + "/reveal", Map.of()), Place::idNumber),
				page("POST", "/returnees/{id}/decision", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/returnees/" + returneeReport(p) + "/decision",
								Map.of("decision", "NO_ACTION")),
						null),
				page("GET", "/returnees/link.png?community={id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.image("/returnees/link.png?community=" + p.community().id()), p -> PNG),
				page("POST", "/screening", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/screening",
								Map.of("name", unique("Campaign"), "nodeId", String.valueOf(p.community().id()))),
						null),
				page("POST", "/screening/{id}/assignments", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/screening/" + campaign(p) + "/assignments",
								Map.of("buildingId", String.valueOf(p.compoundId()))),
						null));
	}

	@Override
	protected Set<String> publicPages() {
		return Set.of("/q/{token}", "/report?c={code}", "/report/districts?city={code}");
	}

	@Override
	protected List<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			Role role = caller.role();
			// Screening: open to those who knock on doors and to those who plan campaigns
			// (either permission).
			boolean screener = SPEC.get(role).contains(VISIT_HOUSEHOLDS) || SPEC.get(role).contains(MANAGE_CONTAINMENT);
			boolean containment = SPEC.get(role).contains(MANAGE_CONTAINMENT);
			Outcome screenerInside = screener ? Outcome.ALLOWED : Outcome.FORBIDDEN;
			tests.add(special("GET /api/v1/containment/campaigns", caller, false, screenerInside, 200,
					() -> Call.get("/api/v1/containment/campaigns")));
			tests.add(special("GET /screening", caller, true, screenerInside, 200, () -> Call.get("/screening")));
			for (Where where : List.of(Where.INSIDE, Where.OUTSIDE)) {
				Place place = caller.at(where);
				Outcome outcome = where == Where.INSIDE ? screenerInside : Outcome.FORBIDDEN;
				String at = " " + where.name().toLowerCase() + " (" + place.label() + ")";
				tests.add(special("GET /api/v1/containment/campaigns/{id}/progress" + at, caller, false, outcome, 200,
						() -> Call.get("/api/v1/containment/campaigns/" + campaign(place) + "/progress")));
				tests.add(special("GET /api/v1/containment/campaigns/{id}/visits" + at, caller, false, outcome, 200,
						() -> Call.get("/api/v1/containment/campaigns/" + campaign(place) + "/visits")));
				tests.add(special("POST /api/v1/containment/campaigns/{id}/visits/{householdId}" + at, caller, false,
						outcome, 201,
						() -> Call.json("POST",
								"/api/v1/containment/campaigns/" + campaign(place) + "/visits/" + place.householdId(),
								Map.of("outcome", "NOBODY_HOME", "idempotencyKey", UUID.randomUUID().toString()))));
				tests.add(special("GET /screening/{id}" + at, caller, true, outcome, 200,
						() -> Call.get("/screening/" + campaign(place))));
				tests.add(special("GET /screening/{id}/doors" + at, caller, true, outcome, 200,
						() -> Call.get("/screening/" + campaign(place) + "/doors?all=true")));
				tests.add(special("GET /screening/{id}/doors/{householdId}" + at, caller, true, outcome, 200,
						() -> Call.get("/screening/" + campaign(place) + "/doors/" + place.householdId())));
				tests.add(special("POST /screening/{id}/doors/{householdId}" + at, caller, true, outcome, 302,
						() -> Call.form("/screening/" + campaign(place) + "/doors/" + place.householdId(),
								Map.of("outcome", "NOBODY_HOME", "key", UUID.randomUUID().toString()))));
			}
			tests.add(special("GET /api/v1/containment/campaigns/{id}/progress of a missing campaign", caller, false,
					screener ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/containment/campaigns/" + MISSING_ID + "/progress")));
			tests.add(special("GET /api/v1/containment/returnee-reports/{id} of a missing report", caller, false,
					containment ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/containment/returnee-reports/" + MISSING_ID)));
		}
		// The returnee's form needs no account, but a post without the form's CSRF token
		// is refused.
		tests.add(DynamicTest.dynamicTest("GET /report signed out → 200", () -> {
			Session visitor = new Session();
			Reply reply = visitor.send(Call.get("/report?c=" + this.a1.community().code()), false);
			assertEquals(200, reply.status(), reply::summary);
			assertTrue(reply.text().contains(this.a1.community().name()), reply::summary);
		}));
		tests.add(DynamicTest.dynamicTest("POST /report signed out without a CSRF token → 403", () -> {
			Session visitor = new Session();
			Reply reply = visitor.send(Call.form("/report", Map.of("name", "x")), false);
			assertEquals(403, reply.status(), reply::summary);
		}));
		return tests;
	}

	/**
	 * A fresh building under the place's compound, so that each seal has a node of its
	 * own.
	 */
	private long building(Place place) {
		return this.data.node(place.compoundId(), "BUILDING", null, unique("Building")).id();
	}

	/** An open seal of a fresh building of the place; its reason is "matrix-seal". */
	private long seal(Place place) {
		return this.jdbc.sql("""
				insert into sealed_area (node_id, path, level, reason, order_ref, starts_at, planned_end_at, created_by)
				values (:node, '', 'SEALED', 'matrix-seal', 'matrix', now(), now() + interval '48 hours', 0)
				returning id""").param("node", building(place)).query(Long.class).single();
	}

	private final Map<String, Long> quarantineSubjects = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * The place's one resident for quarantine routes, out of any open quarantine: one per
	 * place, so the place's resident list stays short and the gate routes keep allowing
	 * the place's own resident.
	 */
	private long freshResident(Place place) {
		long resident = this.quarantineSubjects.computeIfAbsent(place.label(),
				label -> json(expect(201,
						api("POST", "/api/v1/residents", place.hqToken(),
								residentForm(unique("Quarantined"), TestIdNumbers.next(), place.compoundId()))))
					.get("id")
					.asLong());
		this.jdbc.sql("update quarantine set released_at = now() where resident_id = :r and released_at is null")
			.param("r", resident)
			.update();
		return resident;
	}

	/**
	 * An open quarantine (a test on day 1) of a fresh resident of the place; its reason
	 * is "matrix-quarantine".
	 */
	private long quarantine(Place place) {
		return this.jdbc
			.sql("""
					insert into quarantine (resident_id, household_id, path, kind, reason, place, starts_on, ends_on, test_days,
					                        created_by)
					select id, household_id, path, 'HOME', 'matrix-quarantine', 'home', current_date, current_date + 14, '{1}', 0
					from resident where id = :resident
					returning id""")
			.param("resident", freshResident(place))
			.query(Long.class)
			.single();
	}

	/**
	 * A returnee report to the place's community, written straight to the table (the
	 * public form limits submissions per address, and the matrix is one address); its ID
	 * number is the place's resident's.
	 */
	private long returneeReport(Place place) {
		return this.jdbc
			.sql("""
					insert into returnee_report (community_id, path, name, id_type, id_cipher, id_hash, id_masked, phone_cipher,
					    phone_masked, address, origin_code, origin_name, arrival_date, transport)
					values (:community, :path, :name, 'RESIDENT_ID', :cipher, :hash, :masked, :phone, '139****0000', '1栋101',
					    '230102000000', '黑龙江省 哈尔滨市 道里区', current_date, 'CAR') returning id""")
			.param("community", place.community().id())
			.param("path", place.community().path())
			.param("name", place.residentName() + "-returnee")
			.param("cipher", this.protection.encrypt(place.idNumber()))
			.param("hash", this.protection.lookupHash(UUID.randomUUID().toString()))
			.param("masked", new IdNumber(place.idNumber()).masked())
			.param("phone", this.protection.encrypt("13900000000"))
			.query(Long.class)
			.single();
	}

	private final Map<String, Long> campaigns = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * A screening campaign over the place's community (one per place), with a visit for
	 * its household.
	 */
	private long campaign(Place place) {
		return this.campaigns.computeIfAbsent(place.label(), label -> {
			long id = this.jdbc.sql("""
					insert into screening_campaign (node_id, path, name, starts_on, ends_on, created_by)
					values (:node, :path, :name, current_date, current_date + 6, :by) returning id""")
				.param("node", place.community().id())
				.param("path", place.community().path())
				.param("name", "Campaign-" + label)
				.param("by", place.accountId())
				.query(Long.class)
				.single();
			this.jdbc.sql("""
					insert into screening_visit (campaign_id, household_id, path, group_id)
					select :campaign, h.id, h.path, h.node_id from household h where h.path like :path || '%'""")
				.param("campaign", id)
				.param("path", place.community().path())
				.update();
			return id;
		});
	}

	/**
	 * The ID number of the newcomer last made at each place: what only a successful
	 * reveal shows.
	 */
	private final Map<String, String> newcomerIdNumbers = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * A fresh newcomer found at the place's household in its community's campaign (each
	 * call its own).
	 */
	private long newcomer(Place place) {
		long campaign = campaign(place);
		long visit = this.jdbc.sql("select id from screening_visit where campaign_id = :c and household_id = :h")
			.param("c", campaign)
			.param("h", place.householdId())
			.query(Long.class)
			.single();
		long attempt = this.jdbc.sql("""
				insert into screening_attempt (visit_id, idempotency_key, outcome, account_id)
				values (:visit, :key, 'AT_HOME', :by) returning id""")
			.param("visit", visit)
			.param("key", UUID.randomUUID().toString())
			.param("by", place.accountId())
			.query(Long.class)
			.single();
		String idNumber = TestIdNumbers.next();
		this.newcomerIdNumbers.put(place.label(), idNumber);
		return this.jdbc
			.sql("""
					insert into screening_newcomer (attempt_id, visit_id, path, name, id_type, id_cipher, id_hash, id_masked)
					values (:attempt, :visit, :path, :name, 'RESIDENT_ID', :cipher, :hash, :masked) returning id""")
			.param("attempt", attempt)
			.param("visit", visit)
			.param("path", place.community().path())
			.param("name", unique("Newcomer"))
			.param("cipher", this.protection.encrypt(idNumber))
			.param("hash", this.protection.lookupHash("RESIDENT_ID:" + idNumber))
			.param("masked", new IdNumber(idNumber).masked())
			.query(Long.class)
			.single();
	}

}
