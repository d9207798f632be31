package org.fangxian.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.fangxian.TestIdNumbers;
import org.fangxian.security.MatrixRows;
import org.fangxian.security.Role;
import org.junit.jupiter.api.DynamicTest;
import tools.jackson.databind.JsonNode;

import static org.fangxian.security.Permission.COLLECT_SAMPLES;
import static org.fangxian.security.Permission.MANAGE_TESTING;
import static org.fangxian.security.Permission.REVEAL_PERSONAL_DATA;
import static org.fangxian.security.Permission.VIEW_RESIDENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Testing's rows of the authorization matrix: rounds, tubes, lab results, follow-ups and
 * sites (whose queue board is public).
 */
class TestingMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(
				// Testing: rounds are seen by everyone whose jurisdiction overlaps them;
				// each call gets its own round.
				api("GET", "/api/v1/testing/rounds", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/rounds"), null),
				api("POST", "/api/v1/testing/rounds", needs(MANAGE_TESTING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/testing/rounds",
								Map.of("nodeId", String.valueOf(p.community().id()), "name", unique("Round"),
										"poolSize", "10", "startsAt", Instant.now().toString(), "endsAt",
										Instant.now().plusSeconds(3600).toString())),
						null),
				api("GET", "/api/v1/testing/rounds/{id}", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/rounds/" + round(p)), p -> p.community().path()),
				api("POST", "/api/v1/testing/rounds/{id}/close", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/testing/rounds/" + round(p) + "/close", null),
						p -> "\"CLOSED\""),
				api("POST", "/api/v1/testing/rounds/{id}/tubes/{barcode}/samples", needs(COLLECT_SAMPLES), SCOPED, 200,
						(c, p) -> Call.json("POST",
								"/api/v1/testing/rounds/" + round(p) + "/tubes/" + barcode() + "/samples",
								Map.of("idNumber", p.idNumber())),
						p -> "\"OPEN\""),
				api("GET", "/api/v1/testing/rounds/{id}/tubes/{barcode}", needs(COLLECT_SAMPLES), SCOPED, 200,
						(c, p) -> {
							TubeRef t = tube(p);
							return Call.get("/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode());
						}, p -> "\"OPEN\""),
				api("DELETE", "/api/v1/testing/rounds/{id}/tubes/{barcode}/samples/{residentId}",
						needs(COLLECT_SAMPLES), SCOPED, 200, (c, p) -> {
							TubeRef t = tube(p);
							return new Call("DELETE", "/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode()
									+ "/samples/" + p.residentId(), null, null, null, null);
						}, p -> "\"count\":0"),
				api("POST", "/api/v1/testing/rounds/{id}/tubes/{barcode}/close", needs(COLLECT_SAMPLES), SCOPED, 200,
						(c, p) -> {
							TubeRef t = tube(p);
							return Call.json("POST",
									"/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode() + "/close", null);
						}, p -> "\"CLOSED\""),
				api("POST", "/api/v1/testing/results/imports", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.multipart("/api/v1/testing/results/imports", Map.of(), LAB_FILE),
						p -> "\"rejected\""),
				api("GET", "/api/v1/testing/rounds/{id}/coverage", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call
							.get("/api/v1/testing/rounds/" + round(p) + "/coverage?code=" + p.community().code()),
						p -> "\"nodeId\":" + p.community().id()),
				api("GET", "/api/v1/testing/rounds/{id}/missing", needs(MANAGE_TESTING, VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/rounds/" + round(p) + "/missing"), Place::residentName),
				api("GET", "/api/v1/testing/rounds/{id}/missing?reveal=true",
						needs(MANAGE_TESTING, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/rounds/" + round(p) + "/missing?reveal=true"),
						p -> "13800138000"),
				api("POST", "/api/v1/testing/rounds/{id}/reminders", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/testing/rounds/" + round(p) + "/reminders", null),
						p -> "\"queued\""),
				api("GET", "/api/v1/testing/sites", needs(), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/testing/sites"),
						null),
				api("POST", "/api/v1/testing/sites", needs(MANAGE_TESTING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/testing/sites",
								Map.of("nodeId", String.valueOf(p.compoundId()), "name", unique("Site"))),
						null),
				api("POST", "/api/v1/testing/sites/{id}/points", needs(MANAGE_TESTING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/testing/sites/" + site(p) + "/points",
								Map.of("name", unique("Point"), "greenChannel", "true")),
						null),
				api("GET", "/api/v1/testing/followups", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/followups"), null),
				api("POST", "/api/v1/testing/followups/{id}/acknowledge", needs(MANAGE_TESTING), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/testing/followups/" + followup(p) + "/acknowledge", null),
						null),
				// Testing, field-ready (issue 13): people outside the registry sampled on
				// the
				// spot, their swabs and results, and the re-tests taken per road
				// checkpoint and day.
				api("POST", "/api/v1/testing/rounds/{id}/tubes/{barcode}/subjects", needs(COLLECT_SAMPLES), SCOPED, 200,
						(c, p) -> Call.json("POST",
								"/api/v1/testing/rounds/" + round(p) + "/tubes/" + barcode() + "/subjects",
								Map.of("idNumber", TestIdNumbers.next(), "name", "外来人员", "phone", "13900139001")),
						p -> "\"OPEN\""),
				api("DELETE", "/api/v1/testing/rounds/{id}/tubes/{barcode}/subjects/{subjectId}",
						needs(COLLECT_SAMPLES), SCOPED, 200, (c, p) -> {
							SubjectTube t = subjectTube(p);
							return new Call("DELETE", "/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode()
									+ "/subjects/" + t.subjectId(), null, null, null, null);
						}, p -> "\"count\":0"),
				api("GET", "/api/v1/testing/subjects", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/subjects"), null),
				api("GET", "/api/v1/testing/road-retests?checkpointId={id}", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/road-retests?checkpointId=" + p.checkpointId()),
						p -> "\"taken\":0"));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(page("GET", "/testing", needs(), UNSCOPED, 200, (c, p) -> Call.get("/testing"), null),
				page("POST", "/testing/rounds", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/rounds", roundForm(p)), null),
				page("GET", "/testing/rounds/{id}", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call.get("/testing/rounds/" + round(p)), Place::residentName),
				page("POST", "/testing/rounds/{id}/reminders", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/rounds/" + round(p) + "/reminders", Map.of()), null),
				page("POST", "/testing/rounds/{id}/close", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/rounds/" + round(p) + "/close", Map.of()), null),
				page("GET", "/testing/rounds/{id}/coverage.xlsx", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call.get("/testing/rounds/" + round(p) + "/coverage.xlsx"),
						// the zip magic, not two letters a random token may contain
						p -> "PK\u0003\u0004"),
				page("GET", "/testing/rounds/{id}/sampling", needs(COLLECT_SAMPLES), SCOPED, 200,
						(c, p) -> Call.get("/testing/rounds/" + round(p) + "/sampling"), null),
				page("POST", "/testing/sites", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/sites",
								Map.of("nodeId", String.valueOf(p.compoundId()), "name", unique("Site"))),
						null),
				page("POST", "/testing/sites/{id}/points", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/sites/" + site(p) + "/points", Map.of("name", "1号台")), null),
				// Testing, field-ready (issue 13): the whole missing list of a round;
				// people
				// outside the registry sampled on the spot (testing subjects), their
				// swabs and
				// results, and the re-tests taken per road checkpoint and day.
				page("GET", "/testing/rounds/{id}/missing", needs(MANAGE_TESTING, VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/testing/rounds/" + round(p) + "/missing"), Place::residentName),
				// Public (see anonymous): the queue board of the sites serving a place.
				page("GET", "/sites?c={code}", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/sites?c=" + p.community().code()), null),
				page("GET", "/testing/imports", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.get("/testing/imports"), null),
				page("POST", "/testing/imports", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.multipart("/testing/imports", Map.of(), LAB_FILE), p -> "NOSUCHTUBE1"),
				page("GET", "/testing/followups", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.get("/testing/followups"), null),
				page("POST", "/testing/followups/{id}/acknowledge", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/followups/" + followup(p) + "/acknowledge", Map.of()), null));
	}

	@Override
	protected Set<String> publicPages() {
		return Set.of("/sites?c={code}");
	}

	@Override
	protected List<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			Role role = caller.role();
			// Testing: a missing round is missing for all; the sampler's permission is
			// checked before the lookup.
			boolean sampler = SPEC.get(role).contains(COLLECT_SAMPLES);
			tests.add(special("GET /api/v1/testing/rounds/{id} of a missing round", caller, false, Outcome.NOT_FOUND,
					200, () -> Call.get("/api/v1/testing/rounds/" + MISSING_ID)));
			tests.add(special("POST /api/v1/testing/rounds/{id}/tubes/{barcode}/samples in a missing round", caller,
					false, sampler ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.json("POST", "/api/v1/testing/rounds/" + MISSING_ID + "/tubes/" + barcode() + "/samples",
							Map.of("idNumber", caller.inside().idNumber()))));
			// Sites: those who sample or run testing see them and count the queue where
			// the site serves.
			boolean tester = sampler || SPEC.get(role).contains(MANAGE_TESTING);
			tests.add(special("GET /testing/sites", caller, true, tester ? Outcome.ALLOWED : Outcome.FORBIDDEN, 200,
					() -> Call.get("/testing/sites")));
			for (Where where : List.of(Where.INSIDE, Where.OUTSIDE)) {
				Place place = caller.at(where);
				Outcome outcome = tester && where == Where.INSIDE ? Outcome.ALLOWED : Outcome.FORBIDDEN;
				String at = " " + where.name().toLowerCase() + " (" + place.label() + ")";
				tests.add(special("POST /api/v1/testing/sites/{id}/queue" + at, caller, false, outcome, 200, () -> Call
					.json("POST", "/api/v1/testing/sites/" + site(place) + "/queue", Map.of("waiting", "12"))));
				tests.add(special("POST /testing/sites/{id}/queue" + at, caller, true, outcome, 302,
						() -> Call.form("/testing/sites/" + site(place) + "/queue", Map.of("waiting", "12"))));
			}
		}
		// trust-scope: a round over street A puts A1's and A2's people in reach of the
		// same
		// samplers; a tube holding only A2's resident is still A2's: for an A1 account it
		// is
		// not found to read and forbidden to change. HQ (covering both) may do
		// everything;
		// roles without the sampler's permission are refused first.
		for (Caller caller : this.callers.values()) {
			boolean sampler = SPEC.get(caller.role()).contains(COLLECT_SAMPLES);
			boolean coversA2 = caller.role() == Role.HQ_ADMIN;
			Outcome read = !sampler ? Outcome.FORBIDDEN : coversA2 ? Outcome.ALLOWED : Outcome.NOT_FOUND;
			Outcome change = !sampler || !coversA2 ? Outcome.FORBIDDEN : Outcome.ALLOWED;
			String what = " of a street round's tube holding A2's resident";
			tests
				.add(special("GET /api/v1/testing/rounds/{id}/tubes/{barcode}" + what, caller, false, read, 200, () -> {
					TubeRef t = streetTube();
					return Call.get("/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode());
				}));
			tests.add(special("DELETE /api/v1/testing/rounds/{id}/tubes/{barcode}/samples/{residentId}" + what, caller,
					false, change, 200, () -> {
						TubeRef t = streetTube();
						return new Call("DELETE", "/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode()
								+ "/samples/" + this.a2.residentId(), null, null, null, null);
					}));
			tests.add(special("POST /api/v1/testing/rounds/{id}/tubes/{barcode}/close" + what, caller, false, change,
					200, () -> {
						TubeRef t = streetTube();
						return Call.json("POST",
								"/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode() + "/close", null);
					}));
			tests.add(special("POST /api/v1/testing/rounds/{id}/tubes/{barcode}/samples (A1's resident)" + what, caller,
					false, change, 200, () -> {
						TubeRef t = streetTube();
						return Call.json("POST",
								"/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode() + "/samples",
								Map.of("idNumber", this.a1.idNumber()));
					}));
		}
		tests.add(DynamicTest.dynamicTest("GET /sites signed out → 200", () -> {
			Session visitor = new Session();
			long site = site(this.a1);
			Reply reply = visitor.send(Call.get("/sites?c=" + this.a1.community().code()), false);
			assertEquals(200, reply.status(), reply::summary);
			assertTrue(reply.text().contains("site-" + site), reply::summary);
		}));
		return tests;
	}

	// (one per call)

	/**
	 * A fresh testing round over the place's community, opened by its HQ: calls never
	 * collide.
	 */
	private long round(Place place) {
		return json(expect(201,
				api("POST", "/api/v1/testing/rounds", place.hqToken(),
						Map.of("nodeId", String.valueOf(place.community().id()), "name", unique("Round"), "poolSize",
								"10", "startsAt", Instant.now().minusSeconds(3600).toString(), "endsAt",
								Instant.now().plusSeconds(86_400).toString()))))
			.get("id")
			.asLong();
	}

	record TubeRef(long roundId, String barcode) {
	}

	static String barcode() {
		return "M" + UUID.randomUUID().toString().replace("-", "").substring(0, 11).toUpperCase();
	}

	/** The place's resident swabbed (by HQ) into a fresh open tube of a fresh round. */
	private TubeRef tube(Place place) {
		long round = round(place);
		String barcode = barcode();
		expect(200, api("POST", "/api/v1/testing/rounds/" + round + "/tubes/" + barcode + "/samples", place.hqToken(),
				Map.of("idNumber", place.idNumber())));
		return new TubeRef(round, barcode);
	}

	/** A follow-up for the place's resident: their pooled tube came back positive. */
	private long followup(Place place) {
		TubeRef tube = tube(place);
		expect(200, api("POST", "/api/v1/testing/rounds/" + tube.roundId() + "/tubes/" + tube.barcode() + "/close",
				place.hqToken(), null));
		expect(200, apiCall(place.hqToken(), Call.multipart("/api/v1/testing/results/imports", Map.of(),
				new FilePart("lab.csv", (tube.barcode() + ",阳性,\n").getBytes(StandardCharsets.UTF_8)))));
		return this.jdbc.sql("select f.id from testing_followup f join tube t on t.id = f.tube_id where t.barcode = :b")
			.param("b", tube.barcode())
			.query(Long.class)
			.single();
	}

	record SubjectTube(long roundId, String barcode, long subjectId) {
	}

	/**
	 * Testing, field-ready: someone outside the registry swabbed (by HQ) into a fresh
	 * open tube of a fresh round over the place.
	 */
	private SubjectTube subjectTube(Place place) {
		long round = round(place);
		String barcode = barcode();
		JsonNode tube = json(expect(200,
				api("POST", "/api/v1/testing/rounds/" + round + "/tubes/" + barcode + "/subjects", place.hqToken(),
						Map.of("idNumber", TestIdNumbers.next(), "name", "外来人员", "phone", "13900139001"))));
		return new SubjectTube(round, barcode, tube.get("people").get(0).get("subjectId").asLong());
	}

	private long site(Place place) {
		return json(expect(201,
				api("POST", "/api/v1/testing/sites", place.hqToken(),
						Map.of("nodeId", String.valueOf(place.compoundId()), "name", unique("Site")))))
			.get("id")
			.asLong();
	}

	static Map<String, String> roundForm(Place place) {
		return Map.of("nodeId", String.valueOf(place.community().id()), "name", unique("Round"), "poolSize", "10",
				"startsAt", "2022-04-12T06:00", "endsAt", "2099-04-12T20:00");
	}

	static final FilePart LAB_FILE = new FilePart("lab.csv",
			"试管条码,结果,时间\nNOSUCHTUBE1,阴性,\n".getBytes(StandardCharsets.UTF_8));

	/**
	 * A fresh round over street A (opened by HQ) and a tube in it holding A2's resident
	 * only.
	 */
	private TubeRef streetTube() {
		long round = json(expect(201,
				api("POST", "/api/v1/testing/rounds", this.a2.hqToken(),
						Map.of("nodeId", String.valueOf(this.tree.streetA().id()), "name", unique("Round"), "poolSize",
								"10", "startsAt", Instant.now().minusSeconds(3600).toString(), "endsAt",
								Instant.now().plusSeconds(86_400).toString()))))
			.get("id")
			.asLong();
		String barcode = barcode();
		expect(200, api("POST", "/api/v1/testing/rounds/" + round + "/tubes/" + barcode + "/samples", this.a2.hqToken(),
				Map.of("idNumber", this.a2.idNumber())));
		return new TubeRef(round, barcode);
	}

}
