package org.fangxian.workforce;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.fangxian.TestIdNumbers;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.security.MatrixRows;
import org.fangxian.shared.IdNumber;
import org.fangxian.workforce.internal.DutyLinks;
import org.junit.jupiter.api.DynamicTest;

import static org.fangxian.security.Permission.MANAGE_WORKFORCE;
import static org.fangxian.security.Permission.REVEAL_PERSONAL_DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workforce's rows of the authorization matrix (排班设岗): people on duty, teams, posts and
 * rosters; the volunteer's phone pages are public: the signed link and the post's code
 * are the keys.
 */
class WorkforceMatrixRows extends MatrixRows {

	DutyLinks dutyLinks;

	@Override
	protected void prepare() {
		this.dutyLinks = bean(DutyLinks.class);
	}

	@Override
	protected List<Route> apiRoutes() {
		return List.of(
				// Workforce (排班设岗): people on duty, teams, posts and rosters; each write
				// enrols or creates its own.
				api("POST", "/api/v1/volunteers/imports", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.multipart("/api/v1/volunteers/imports", Map.of("code", p.community().code()),
								volunteerFile()),
						p -> "\"accepted\":1"),
				api("GET", "/api/v1/volunteers?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/volunteers?code=" + p.community().code()),
						p -> volunteer(p).name()),
				api("POST", "/api/v1/volunteers/{id}/reveal", needs(MANAGE_WORKFORCE, REVEAL_PERSONAL_DATA), SCOPED,
						200, (c, p) -> Call.json("POST", "/api/v1/volunteers/" + volunteer(p).id() + "/reveal", null),
						p -> volunteer(p).idNumber()),
				// A volunteer's wishes (issue 15): read and replaced by whoever manages
				// people on duty there.
				api("GET", "/api/v1/volunteers/{id}/preferences", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/volunteers/" + volunteer(p).id() + "/preferences"),
						p -> "\"times\":["),
				api("PUT", "/api/v1/volunteers/{id}/preferences", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.json("PUT", "/api/v1/volunteers/" + volunteer(p).id() + "/preferences",
								Map.of("kinds", List.of("PATROL"), "times", List.of("晚班"))),
						p -> "\"kinds\":[\"PATROL\"]"),
				// A volunteer's account (issue 15): opened by whoever manages people on
				// duty
				// and holds every right of a volunteer (security's grant rule).
				api("POST", "/api/v1/volunteers/{id}/account", volunteerGrant(), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/volunteers/" + volunteerWithPhone(p) + "/account", null),
						p -> "\"created\":true"),
				api("POST", "/api/v1/teams", needs(MANAGE_WORKFORCE), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/teams",
								Map.of("nodeId", String.valueOf(p.community().id()), "name", unique("Team"), "kind",
										"SHOCK_TEAM", "leaderId", String.valueOf(newVolunteer(p).id()))),
						null),
				api("GET", "/api/v1/teams?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/teams?code=" + p.community().code()), null),
				api("POST", "/api/v1/posts", needs(MANAGE_WORKFORCE), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/posts",
								Map.of("nodeId", String.valueOf(p.community().id()), "name", unique("Post"), "kind",
										"checkpoint", "shifts",
										List.of(Map.of("start", "07:00", "end", "14:00", "headcount", 2, "skills",
												List.of("采样"))))),
						null),
				api("GET", "/api/v1/posts?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/posts?code=" + p.community().code()), p -> dutyPost(p).name()),
				api("POST", "/api/v1/rosters", needs(MANAGE_WORKFORCE), SCOPED, 202,
						// A week of its own: a solved roster supersedes the place's
						// rosters
						// that overlap it, and the edit rows below use March's.
						(c, p) -> Call.json("POST", "/api/v1/rosters",
								Map.of("code", p.community().code(), "from", "2027-04-05", "to", "2027-04-06",
										"seconds", "1")),
						null),
				api("GET", "/api/v1/rosters/{id}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/rosters/" + dutyRoster(p)),
						p -> "\"code\":\"" + p.community().code()),
				// Workforce kit per shift (issue 15): a worker records a shift's kit;
				// booked in
				// the stock ledger.
				api("POST", "/api/v1/duty/assignments/{id}/kit", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/duty/assignments/" + dutyAssignment(p) + "/kit", null),
						null),
				// Roster changes (issue 15): a leave proposal on a roster of the place
				// (nothing
				// written without apply).
				api("POST", "/api/v1/rosters/{id}/leaves", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/rosters/" + dutyRoster(p) + "/leaves",
								Map.of("volunteerId", volunteer(p).id(), "from", "2027-03-01", "to", "2027-03-01",
										"kind", "SICK")),
						p -> "\"proposals\""),
				api("POST", "/api/v1/rosters/{id}/edits", needs(MANAGE_WORKFORCE), SCOPED, 200, (c, p) -> {
					long seat = dutyAssignment(p);
					return Call.json("POST", "/api/v1/rosters/" + rosterOf(seat) + "/edits",
							Map.of("assignmentId", seat, "volunteerId", newVolunteer(p).id()));
				}, null), api("POST", "/api/v1/rosters/{id}/swaps", needs(MANAGE_WORKFORCE), SCOPED, 200, (c, p) -> {
					long seat = dutyAssignment(p);
					return Call.json("POST", "/api/v1/rosters/" + rosterOf(seat) + "/swaps",
							Map.of("first", seat, "second", nextDaySeat(seat, newVolunteer(p).id())));
				}, null));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(
				// Workforce (排班设岗): the worker's board, roster grid and post codes; the
				// volunteer's phone pages are
				// public (see WORKFORCE_PUBLIC_PAGES): the signed link and the post's
				// code are the keys.
				page("GET", "/workforce?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/workforce?code=" + p.community().code()), p -> volunteer(p).name()),
				page("POST", "/workforce/imports", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.multipart("/workforce/imports", Map.of("code", p.community().code()),
								volunteerFile()),
						p -> "import-report"),
				page("POST", "/workforce/volunteers/{id}/reveal", needs(MANAGE_WORKFORCE, REVEAL_PERSONAL_DATA), SCOPED,
						200, (c, p) -> Call.form("/workforce/volunteers/" + volunteer(p).id() + "/reveal", Map.of()),
						p -> volunteer(p).idNumber()),
				page("POST", "/workforce/rosters", needs(MANAGE_WORKFORCE), SCOPED, 302,
						(c, p) -> Call.form("/workforce/rosters",
								Map.of("code", p.community().code(), "from", "2027-03-01", "to", "2027-03-01",
										"seconds", "1")),
						null),
				page("GET", "/workforce/rosters/{id}", needs(MANAGE_WORKFORCE), SCOPED, 200, (c, p) -> {
					dutyPost(p);
					return Call.get("/workforce/rosters/" + dutyRoster(p));
				}, p -> dutyPost(p).name()),
				page("GET", "/workforce/posts/{id}/code", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/workforce/posts/" + dutyPost(p).id() + "/code"),
						p -> "/p/" + dutyPost(p).code()),
				page("GET", "/workforce/posts/{id}/code.png", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.image("/workforce/posts/" + dutyPost(p).id() + "/code.png"), p -> PNG),
				// A volunteer's page (their details and wishes) and the change of their
				// wishes (issue 15).
				page("GET", "/workforce/volunteers/{id}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/workforce/volunteers/" + volunteer(p).id()), p -> "id=\"preferences\""),
				page("POST", "/workforce/volunteers/{id}/preferences", needs(MANAGE_WORKFORCE), SCOPED, 302,
						(c, p) -> Call.form("/workforce/volunteers/" + volunteer(p).id() + "/preferences",
								Map.of("kinds", "HOTLINE", "slots", "夜班")),
						null),
				// A signed-in account's own shifts: its volunteer's page, or a note that
				// it
				// has none (no matrix caller is enrolled).
				page("GET", "/workforce/mine", needs(), UNSCOPED, 200, (c, p) -> Call.get("/workforce/mine"),
						p -> "id=\"not-enrolled\""),
				// The volunteer changes their own wishes through their signed link.
				page("POST", "/d/{token}", needs(), UNSCOPED, 302,
						(c, p) -> Call.form("/d/" + this.dutyLinks.token(volunteer(p).id()),
								Map.of("kinds", "CHECKPOINT", "slots", "早班")),
						null),
				page("GET", "/d/{token}", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/d/" + this.dutyLinks.token(volunteer(p).id())), p -> volunteer(p).name()),
				page("GET", "/p/{code}", needs(), UNSCOPED, 200, (c, p) -> Call.get("/p/" + dutyPost(p).code()),
						p -> dutyPost(p).name()),
				page("POST", "/p/{code}", needs(), UNSCOPED, 302,
						(c, p) -> Call.form("/p/" + dutyPost(p).code(), Map.of()), null),
				page("GET", "/join/{token}", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/join/" + this.dutyLinks.joinToken(p.community().id())),
						p -> p.community().name()),
				page("POST", "/join/{token}", needs(), UNSCOPED, 302,
						(c, p) -> Call.form("/join/" + this.dutyLinks.joinToken(p.community().id()),
								Map.of("name", unique("Applicant"), "phone", TestPhoneNumbers.next(), "skills", "采样")),
						null),
				page("POST", "/workforce/volunteers/{id}/approve", needs(MANAGE_WORKFORCE), SCOPED, 302,
						(c, p) -> Call.form("/workforce/volunteers/" + applicant(p) + "/approve", Map.of()), null),
				page("POST", "/workforce/volunteers/{id}/reject", needs(MANAGE_WORKFORCE), SCOPED, 302,
						(c, p) -> Call.form("/workforce/volunteers/" + applicant(p) + "/reject", Map.of()), null),
				// Hours on duty (issue 15): page and XLSX of the place's community.
				page("GET", "/workforce/hours?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/workforce/hours?code=" + p.community().code()), p -> "hours-xlsx"),
				page("GET", "/workforce/hours.xlsx?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/workforce/hours.xlsx?code=" + p.community().code()), null),
				page("POST", "/workforce/volunteers/{id}/account", volunteerGrant(), SCOPED, 302,
						(c, p) -> Call.form("/workforce/volunteers/" + volunteerWithPhone(p) + "/account", Map.of()),
						null),
				// Roster changes from the grid, print and export (issue 15).
				page("POST", "/workforce/rosters/{id}/edits", needs(MANAGE_WORKFORCE), SCOPED, 302, (c, p) -> {
					long seat = dutyAssignment(p);
					return Call.form("/workforce/rosters/" + rosterOf(seat) + "/edits", Map.of("assignmentId",
							String.valueOf(seat), "volunteerId", String.valueOf(newVolunteer(p).id())));
				}, null),
				page("POST", "/workforce/rosters/{id}/swaps", needs(MANAGE_WORKFORCE), SCOPED, 302, (c, p) -> {
					long seat = dutyAssignment(p);
					return Call.form("/workforce/rosters/" + rosterOf(seat) + "/swaps", Map.of("first",
							String.valueOf(seat), "second", String.valueOf(nextDaySeat(seat, newVolunteer(p).id()))));
				}, null),
				page("POST", "/workforce/rosters/{id}/leaves", needs(MANAGE_WORKFORCE), SCOPED, 200, (c, p) -> {
					long seat = dutyAssignment(p);
					return Call.form("/workforce/rosters/" + rosterOf(seat) + "/leaves",
							Map.of("volunteerId", String.valueOf(volunteer(p).id()), "from", "2027-03-01", "to",
									"2027-03-01", "kind", "SICK"));
				}, p -> "id=\"proposal\""),
				page("GET", "/workforce/rosters/{id}/print", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/workforce/rosters/" + dutyRoster(p) + "/print"), p -> "roster-print"),
				page("GET", "/workforce/rosters/{id}/roster.xlsx", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/workforce/rosters/" + dutyRoster(p) + "/roster.xlsx"), null));
	}

	@Override
	protected Set<String> publicPages() {
		return Set.of("/d/{token}", "/p/{code}", "/join/{token}");
	}

	@Override
	protected List<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			boolean manager = SPEC.get(caller.role()).contains(MANAGE_WORKFORCE);
			tests.add(special("GET /api/v1/rosters/{id} of a missing roster", caller, false,
					manager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/rosters/" + MISSING_ID)));
			tests.add(special("POST /api/v1/volunteers/{id}/reveal of a missing volunteer", caller, false,
					SPEC.get(caller.role()).containsAll(needs(MANAGE_WORKFORCE, REVEAL_PERSONAL_DATA))
							? Outcome.NOT_FOUND : Outcome.FORBIDDEN,
					200, () -> Call.json("POST", "/api/v1/volunteers/" + MISSING_ID + "/reveal", null)));
			// A team may only take people of the caller's jurisdiction.
			tests.add(special("POST /api/v1/teams at an inside node led by an outside volunteer", caller, false,
					Outcome.FORBIDDEN, 201,
					() -> Call.json("POST", "/api/v1/teams",
							Map.of("nodeId", String.valueOf(caller.inside().community().id()), "name", unique("Team"),
									"kind", "WORK_TEAM", "leaderId",
									String.valueOf(newVolunteer(caller.outside()).id())))));
		}
		// Signed out, the volunteer's link and the post's code open; a forged link shows
		// nobody.
		tests.add(DynamicTest.dynamicTest("GET /d/{token} signed out → 200 with the person's name", () -> {
			Reply reply = new Session().send(Call.get("/d/" + this.dutyLinks.token(volunteer(this.a1).id())), false);
			assertEquals(200, reply.status(), reply::summary);
			assertTrue(reply.text().contains(volunteer(this.a1).name()), reply::summary);
		}));
		tests.add(DynamicTest.dynamicTest("GET /d/{token} with a forged signature → 200 without the person", () -> {
			Reply reply = new Session().send(Call.get("/d/" + volunteer(this.a1).id() + ".AAAAAAAAAAAAAAAAAAAAAA"),
					false);
			assertEquals(200, reply.status(), reply::summary);
			assertFalse(reply.text().contains(volunteer(this.a1).name()), reply::summary);
		}));
		// A forged link changes nobody's wishes.
		tests.add(DynamicTest.dynamicTest("POST /d/{token} with a forged signature → 200, nothing changed", () -> {
			long id = newVolunteer(this.a1).id();
			Session visitor = new Session();
			visitor.refreshCsrf();
			Reply reply = visitor.send(
					Call.form("/d/" + id + ".AAAAAAAAAAAAAAAAAAAAAA", Map.of("kinds", "HOTLINE", "slots", "夜班")), true);
			assertEquals(200, reply.status(), reply::summary);
			assertEquals(0,
					this.jdbc.sql("select cardinality(preferred_kinds) from volunteer where id = :id")
						.param("id", id)
						.query(Integer.class)
						.single(),
					reply::summary);
		}));
		tests.add(DynamicTest.dynamicTest("GET /p/{code} signed out → 200", () -> {
			Reply reply = new Session().send(Call.get("/p/" + dutyPost(this.a1).code()), false);
			assertEquals(200, reply.status(), reply::summary);
			assertTrue(reply.text().contains(dutyPost(this.a1).name()), reply::summary);
		}));
		return tests;
	}

	/** MANAGE_WORKFORCE and every permission of a volunteer. */
	private static Set<org.fangxian.security.Permission> volunteerGrant() {
		Set<org.fangxian.security.Permission> needed = new java.util.HashSet<>(
				org.fangxian.security.Role.VOLUNTEER.permissions());
		needed.add(MANAGE_WORKFORCE);
		return needed;
	}

	/** A new volunteer of the place with a mobile number (to text the password to). */
	private long volunteerWithPhone(Place place) {
		long id = newVolunteer(place).id();
		String phone = TestPhoneNumbers.next();
		this.jdbc.sql("update volunteer set phone_cipher = :cipher, phone_masked = :masked where id = :id")
			.param("cipher", this.protection.encrypt(phone))
			.param("masked", phone.substring(0, 3) + "****" + phone.substring(7))
			.param("id", id)
			.update();
		return id;
	}

	/** A self-registration of the place waiting for approval; one per call. */
	private long applicant(Place place) {
		long id = newVolunteer(place).id();
		this.jdbc.sql("update volunteer set status = 'PENDING' where id = :id").param("id", id).update();
		return id;
	}

	record Enrolled(long id, String name, String idNumber) {
	}

	record DutyPost(long id, String name, String code) {
	}

	private final Map<String, Enrolled> enrolled = new java.util.concurrent.ConcurrentHashMap<>();

	private final Map<String, DutyPost> dutyPosts = new java.util.concurrent.ConcurrentHashMap<>();

	/** A list of one new person, for the import routes. */
	static FilePart volunteerFile() {
		String csv = "姓名,手机号,身份证号,所属单位,技能,每周最多班次\n" + unique("Volunteer") + "," + TestPhoneNumbers.next() + ","
				+ TestIdNumbers.next() + ",区直机关,采样,3\n";
		return new FilePart("volunteers.csv", csv.getBytes(StandardCharsets.UTF_8));
	}

	/** The place's volunteer (one per place), written straight to the table. */
	private Enrolled volunteer(Place place) {
		return this.enrolled.computeIfAbsent(place.label(), label -> newVolunteer(place));
	}

	/** A new volunteer of the place: a team takes each person once. */
	private Enrolled newVolunteer(Place place) {
		String name = unique("Volunteer");
		String idNumber = TestIdNumbers.next();
		long id = this.jdbc.sql("""
				insert into volunteer (node_id, path, name, id_cipher, id_hash, id_masked, skills)
				values (:node, :path, :name, :cipher, :hash, :masked, '{采样}') returning id""")
			.param("node", place.community().id())
			.param("path", place.community().path())
			.param("name", name)
			.param("cipher", this.protection.encrypt(idNumber))
			.param("hash", this.protection.lookupHash("RESIDENT_ID:" + idNumber))
			.param("masked", new IdNumber(idNumber).masked())
			.query(Long.class)
			.single();
		return new Enrolled(id, name, idNumber);
	}

	/** The place's post (one per place), with one morning shift. */
	private DutyPost dutyPost(Place place) {
		return this.dutyPosts.computeIfAbsent(place.label(), label -> {
			String name = unique("Post");
			String code = UUID.randomUUID().toString().replace("-", "");
			long id = this.jdbc.sql("""
					insert into duty_post (node_id, path, name, kind, qr_token, created_by)
					values (:node, :path, :name, 'CHECKPOINT', :code, 0) returning id""")
				.param("node", place.community().id())
				.param("path", place.community().path())
				.param("name", name)
				.param("code", code)
				.query(Long.class)
				.single();
			this.jdbc.sql(
					"insert into duty_shift (post_id, seq, starts, ends, headcount) values (:post, 1, '07:00', '14:00', 1)")
				.param("post", id)
				.update();
			return new DutyPost(id, name, code);
		});
	}

	/** A finished, empty roster of the place's community. */
	private long dutyRoster(Place place) {
		return this.jdbc.sql("""
				insert into duty_roster (node_id, path, from_date, to_date, seconds, state, created_by)
				values (:node, :path, date '2027-03-01', date '2027-03-02', 1, 'DONE', 0) returning id""")
			.param("node", place.community().id())
			.param("path", place.community().path())
			.query(Long.class)
			.single();
	}

	/** A shift of the place's volunteer at the place's post, in a roster of its own. */
	private long dutyAssignment(Place place) {
		DutyPost post = dutyPost(place);
		return this.jdbc.sql("""
				insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id)
				select :roster, s.id, s.post_id, date '2027-03-01', timestamp '2027-03-01 07:00',
				       timestamp '2027-03-01 14:00', :volunteer
				from duty_shift s where s.post_id = :post returning id""")
			.param("roster", dutyRoster(place))
			.param("post", post.id())
			.param("volunteer", volunteer(place).id())
			.query(Long.class)
			.single();
	}

	/** The same shift the next day in the same roster, for another person. */
	private long nextDaySeat(long assignment, long volunteer) {
		return this.jdbc
			.sql("""
					insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id)
					select roster_id, shift_id, post_id, day + 1, starts_at + interval '1 day', ends_at + interval '1 day', :v
					from duty_assignment where id = :id returning id""")
			.param("id", assignment)
			.param("v", volunteer)
			.query(Long.class)
			.single();
	}

	private long rosterOf(long assignment) {
		return this.jdbc.sql("select roster_id from duty_assignment where id = :id")
			.param("id", assignment)
			.query(Long.class)
			.single();
	}

}
