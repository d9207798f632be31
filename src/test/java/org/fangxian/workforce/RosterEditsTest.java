package org.fangxian.workforce;

import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.security.Role;
import org.fangxian.workforce.WorkforceFixture.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes to a published roster: a manual edit, a swap and leave with replacements, each
 * re-checked against every hard rule (independently, with {@link RosterChecker}), each
 * touching only the seats it names, each texted.
 */
class RosterEditsTest extends IntegrationTest {

	TestData.Tree tree;

	WorkforceFixture api;

	Map<String, Long> people;

	long gate;

	long drive;

	long roster;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.api = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1())));
		Answer imported = this.api.importCsv("姓名,手机号,身份证号,所属单位,技能,每周最多班次\n" + "甲一," + TestPhoneNumbers.next()
				+ ",,区卫健局,采样,7\n" + "乙二," + TestPhoneNumbers.next() + ",,区卫健局,采样、驾驶,7\n" + "丙三,"
				+ TestPhoneNumbers.next() + ",,区卫健局,采样,7\n" + "丁四," + TestPhoneNumbers.next() + ",,区卫健局,采样,1\n");
		assertThat(imported.body().get("accepted").asInt()).isEqualTo(4);
		this.people = new java.util.HashMap<>();
		this.api.get("/api/v1/volunteers?code=" + this.tree.communityA1().code())
			.body()
			.forEach(v -> this.people.put(v.get("name").asString(), v.get("id").asLong()));
		this.gate = post("北门卡点", "07:00", "14:00", "");
		this.drive = post("物资配送", "08:00", "12:00", "驾驶");
		this.roster = this.jdbc.sql("""
				insert into duty_roster (node_id, path, from_date, to_date, seconds, state, created_by)
				values (:node, :path, date '2027-03-01', date '2027-03-07', 1, 'DONE', 0) returning id""")
			.param("node", this.tree.communityA1().id())
			.param("path", this.tree.communityA1().path())
			.query(Long.class)
			.single();
	}

	long post(String name, String start, String end, String skill) {
		Answer created = this.api.postJson("/api/v1/posts",
				"{\"nodeId\":" + this.tree.communityA1().id() + ",\"name\":\"" + name
						+ "\",\"kind\":\"checkpoint\",\"shifts\":[{\"start\":\"" + start + "\",\"end\":\"" + end
						+ "\",\"headcount\":1,\"skills\":[" + (skill.isEmpty() ? "" : "\"" + skill + "\"") + "]}]}");
		assertThat(created.status()).isEqualTo(201);
		return created.body().get("id").asLong();
	}

	long seat(long post, String day, String who) {
		return this.jdbc.sql("""
				insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id)
				select :roster, s.id, s.post_id, cast(:day as date), cast(:day as date) + s.starts,
				       cast(:day as date) + s.ends, :v
				from duty_shift s where s.post_id = :post returning id""")
			.param("roster", this.roster)
			.param("post", post)
			.param("day", day)
			.param("v", this.people.get(who))
			.query(Long.class)
			.single();
	}

	String holder(long assignment) {
		Long volunteer = this.jdbc.sql("select volunteer_id from duty_assignment where id = :id")
			.param("id", assignment)
			.query(Long.class)
			.optional()
			.orElse(null);
		return this.people.entrySet()
			.stream()
			.filter(e -> e.getValue().equals(volunteer))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse(null);
	}

	List<Map<String, Object>> rows() {
		return this.jdbc.sql("select id, volunteer_id from duty_assignment where roster_id = :r order by id")
			.param("r", this.roster)
			.query()
			.listOfRows();
	}

	long texts(String template) {
		return this.jdbc.sql("select count(*) from outbox_message where template = :t and dedupe_key like :k")
			.param("t", template)
			.param("k", "workforce:change:%")
			.query(Long.class)
			.single();
	}

	@Test
	void aSwapBetweenTwoPeopleIsCheckedAgainstEveryHardRule() {
		long a = seat(this.gate, "2027-03-01", "甲一");
		long b = seat(this.gate, "2027-03-02", "乙二");
		long d = seat(this.drive, "2027-03-03", "乙二");
		long before = texts("sms.workforce.changed");
		Answer swapped = this.api.postJson("/api/v1/rosters/" + this.roster + "/swaps",
				"{\"first\":" + a + ",\"second\":" + b + "}");
		assertThat(swapped.status()).as("%s", swapped).isEqualTo(200);
		assertThat(holder(a)).isEqualTo("乙二");
		assertThat(holder(b)).isEqualTo("甲一");
		assertThat(holder(d)).isEqualTo("乙二");
		assertThat(texts("sms.workforce.changed")).isEqualTo(before + 2);

		// 甲一 cannot drive: swapping the delivery seat to them is refused, nothing moves.
		List<Map<String, Object>> unchanged = rows();
		Answer refused = this.api.postJson("/api/v1/rosters/" + this.roster + "/swaps",
				"{\"first\":" + b + ",\"second\":" + d + "}");
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.body().get("code").asString()).isEqualTo("workforce.edit.refused");
		assertThat(refused.body().get("rule").asString()).isEqualTo("REQUIRED_SKILLS");
		assertThat(refused.body().get("detail").asString()).contains("甲一");
		assertThat(rows()).isEqualTo(unchanged);
	}

	@Test
	void aSwapMovesOnlyPeopleTheCallerMayPutOnDuty() {
		// 戊五 serves in the street's pool: enrolled by the street, outside the
		// community worker's jurisdiction, yet holding a seat of the community's roster
		WorkforceFixture street = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetA())));
		Answer pool = street
			.importCsv("姓名,手机号,身份证号,所属单位,技能,每周最多班次\n" + "戊五," + TestPhoneNumbers.next() + ",,街道办,采样,7\n");
		assertThat(pool.body().get("accepted").asInt()).isEqualTo(1);
		this.people.put("戊五",
				this.jdbc.sql("select id from volunteer where name = '戊五' and path = :path")
					.param("path", this.tree.streetA().path())
					.query(Long.class)
					.single());
		long mine = seat(this.gate, "2027-03-01", "甲一");
		long pooled = seat(this.gate, "2027-03-02", "戊五");
		List<Map<String, Object>> unchanged = rows();
		long before = texts("sms.workforce.changed");
		for (String body : List.of("{\"first\":" + mine + ",\"second\":" + pooled + "}",
				"{\"first\":" + pooled + ",\"second\":" + mine + "}")) {
			Answer refused = this.api.postJson("/api/v1/rosters/" + this.roster + "/swaps", body);
			assertThat(refused.status()).as("%s", refused).isEqualTo(400);
			assertThat(refused.body().get("code").asString()).isEqualTo("workforce.volunteer.notFound");
		}
		assertThat(rows()).isEqualTo(unchanged);
		assertThat(holder(pooled)).isEqualTo("戊五");
		assertThat(texts("sms.workforce.changed")).isEqualTo(before);
	}

	@Test
	void aManualEditRefusesAnOverlapAndAFullWeek() {
		long a = seat(this.gate, "2027-03-01", "甲一");
		seat(this.drive, "2027-03-01", "乙二");
		seat(this.gate, "2027-03-02", "丁四");
		// 乙二 drives 08:00-12:00 that day: the gate 07:00-14:00 overlaps.
		Answer overlap = this.api.postJson("/api/v1/rosters/" + this.roster + "/edits",
				"{\"assignmentId\":" + a + ",\"volunteerId\":" + this.people.get("乙二") + "}");
		assertThat(overlap.status()).isEqualTo(409);
		assertThat(overlap.body().get("rule").asString()).isEqualTo("OVERLAPPING_SHIFT");
		// 丁四 serves at most one shift a week and has it.
		Answer full = this.api.postJson("/api/v1/rosters/" + this.roster + "/edits",
				"{\"assignmentId\":" + a + ",\"volunteerId\":" + this.people.get("丁四") + "}");
		assertThat(full.status()).isEqualTo(409);
		assertThat(full.body().get("rule").asString()).isEqualTo("MAX_SHIFTS_PER_WEEK");
		assertThat(holder(a)).isEqualTo("甲一");
		Answer edited = this.api.postJson("/api/v1/rosters/" + this.roster + "/edits",
				"{\"assignmentId\":" + a + ",\"volunteerId\":" + this.people.get("丙三") + "}");
		assertThat(edited.status()).isEqualTo(200);
		assertThat(edited.body().get("name").asString()).isEqualTo("丙三");
		assertThat(holder(a)).isEqualTo("丙三");
		Answer unknown = this.api.postJson("/api/v1/rosters/" + this.roster + "/edits",
				"{\"assignmentId\":" + a + ",\"volunteerId\":9000000000}");
		assertThat(unknown.status()).isEqualTo(400);
	}

	@Test
	void leaveProposesReplacementsThatKeepTheRestOfTheRosterAndAppliesThem() {
		long mon = seat(this.gate, "2027-03-01", "甲一");
		long drive = seat(this.drive, "2027-03-02", "乙二");
		long tue = seat(this.gate, "2027-03-02", "甲一");
		long wed = seat(this.gate, "2027-03-03", "丙三");
		List<Map<String, Object>> before = rows();
		// Proposals only: nothing written.
		Answer proposed = this.api.postJson("/api/v1/rosters/" + this.roster + "/leaves", "{\"volunteerId\":"
				+ this.people.get("甲一") + ",\"from\":\"2027-03-01\",\"to\":\"2027-03-02\",\"kind\":\"SICK\"}");
		assertThat(proposed.status()).as("%s", proposed).isEqualTo(200);
		JsonNode proposals = proposed.body().get("proposals");
		assertThat(proposals).hasSize(2);
		assertThat(rows()).isEqualTo(before);
		for (JsonNode p : proposals) {
			assertThat(p.get("volunteerId").isNull()).isFalse();
			assertThat(p.get("name").asString()).isNotEqualTo("甲一");
		}
		// On Tuesday 乙二 drives 08:00-12:00: never proposed for the gate that day.
		JsonNode tuesday = proposals.get(1);
		assertThat(tuesday.get("assignmentId").asLong()).isEqualTo(tue);
		assertThat(tuesday.get("name").asString()).isNotEqualTo("乙二");

		Answer applied = this.api.postJson("/api/v1/rosters/" + this.roster + "/leaves",
				"{\"volunteerId\":" + this.people.get("甲一")
						+ ",\"from\":\"2027-03-01\",\"to\":\"2027-03-02\",\"kind\":\"SICK\",\"apply\":true}");
		assertThat(applied.status()).isEqualTo(200);
		assertThat(applied.body().get("applied").asBoolean()).isTrue();
		assertThat(holder(mon)).isNotEqualTo("甲一").isNotNull();
		assertThat(holder(tue)).isNotEqualTo("甲一").isNotEqualTo("乙二").isNotNull();
		// The rest of the roster as it was.
		assertThat(holder(drive)).isEqualTo("乙二");
		assertThat(holder(wed)).isEqualTo("丙三");
		assertThat(this.jdbc.sql("select count(*) from duty_leave where roster_id = :r and kind = 'SICK'")
			.param("r", this.roster)
			.query(Long.class)
			.single()).isEqualTo(1);
		// The independent checker finds no broken rule in the changed roster.
		RosterChecker checker = new RosterChecker();
		java.util.Set<java.time.DayOfWeek> everyDay = java.util.EnumSet.allOf(java.time.DayOfWeek.class);
		checker.person(new RosterChecker.Person(this.people.get("甲一"), java.util.Set.of("采样"), 7, everyDay));
		checker.person(new RosterChecker.Person(this.people.get("乙二"), java.util.Set.of("采样", "驾驶"), 7, everyDay));
		checker.person(new RosterChecker.Person(this.people.get("丙三"), java.util.Set.of("采样"), 7, everyDay));
		checker.person(new RosterChecker.Person(this.people.get("丁四"), java.util.Set.of("采样"), 1, everyDay));
		checker.shift(new RosterChecker.Shift(this.gate, "07:00", "14:00", 1, java.util.Set.of()));
		checker.shift(new RosterChecker.Shift(this.drive, "08:00", "12:00", 1, java.util.Set.of("驾驶")));
		// The hand-made roster has seats neither filled nor explained (it never went
		// through the solver): only broken rules count here.
		assertThat(checker.violations(this.api.get("/api/v1/rosters/" + this.roster).body(),
				java.time.LocalDate.of(2027, 3, 1), java.time.LocalDate.of(2027, 3, 7)))
			.filteredOn(v -> !v.contains("filled or explained"))
			.isEmpty();
	}

	@Test
	void aSeatNobodyMayTakeIsLeftEmptyWithItsReason() {
		long d = seat(this.drive, "2027-03-04", "乙二");
		Answer applied = this.api.postJson("/api/v1/rosters/" + this.roster + "/leaves",
				"{\"volunteerId\":" + this.people.get("乙二")
						+ ",\"from\":\"2027-03-04\",\"to\":\"2027-03-04\",\"kind\":\"FAMILY\",\"apply\":true}");
		assertThat(applied.status()).isEqualTo(200);
		JsonNode proposal = applied.body().get("proposals").get(0);
		assertThat(proposal.get("volunteerId").isNull()).isTrue();
		assertThat(proposal.get("reason").asString()).isEqualTo("REQUIRED_SKILLS");
		assertThat(holder(d)).isNull();
		assertThat(this.jdbc.sql("select reason from duty_unfilled where roster_id = :r and post_id = :p")
			.param("r", this.roster)
			.param("p", this.drive)
			.query(String.class)
			.single()).isEqualTo("REQUIRED_SKILLS");
		Answer badKind = this.api.postJson("/api/v1/rosters/" + this.roster + "/leaves", "{\"volunteerId\":"
				+ this.people.get("乙二") + ",\"from\":\"2027-03-04\",\"to\":\"2027-03-04\",\"kind\":\"HOLIDAY\"}");
		assertThat(badKind.status()).isEqualTo(400);
	}

	@Test
	void leaveTakesAPickFromTheAlternativesAndRefusesAPickThatBreaksAHardRule() {
		long mon = seat(this.gate, "2027-03-01", "甲一");
		long drive = seat(this.drive, "2027-03-01", "乙二");
		Answer proposed = this.api.postJson("/api/v1/rosters/" + this.roster + "/leaves", "{\"volunteerId\":"
				+ this.people.get("甲一") + ",\"from\":\"2027-03-01\",\"to\":\"2027-03-01\",\"kind\":\"SICK\"}");
		List<String> alternatives = new java.util.ArrayList<>();
		proposed.body().get("alternatives").forEach(a -> {
			assertThat(a.get("assignmentId").asLong()).isEqualTo(mon);
			alternatives.add(a.get("name").asString());
		});
		// 乙二 drives 08:00-12:00 that Monday: never an alternative for the gate.
		assertThat(alternatives).containsExactlyInAnyOrder("丙三", "丁四");
		String proposal = proposed.body().get("proposals").get(0).get("name").asString();
		String other = alternatives.stream().filter(n -> !n.equals(proposal)).findFirst().orElseThrow();
		// A pick outside the alternatives that breaks a rule: refused, nothing written.
		Answer refused = this.api
			.postJson("/api/v1/rosters/" + this.roster + "/leaves", "{\"volunteerId\":" + this.people.get("甲一")
					+ ",\"from\":\"2027-03-01\",\"to\":\"2027-03-01\",\"kind\":\"SICK\",\"apply\":true,\"picks\":{\""
					+ mon + "\":" + this.people.get("乙二") + "}}");
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.body().get("rule").asString()).isEqualTo("OVERLAPPING_SHIFT");
		assertThat(holder(mon)).isEqualTo("甲一");
		assertThat(this.jdbc.sql("select count(*) from duty_leave where roster_id = :r")
			.param("r", this.roster)
			.query(Long.class)
			.single()).isZero();
		Answer applied = this.api
			.postJson("/api/v1/rosters/" + this.roster + "/leaves", "{\"volunteerId\":" + this.people.get("甲一")
					+ ",\"from\":\"2027-03-01\",\"to\":\"2027-03-01\",\"kind\":\"SICK\",\"apply\":true,\"picks\":{\""
					+ mon + "\":" + this.people.get(other) + "}}");
		assertThat(applied.status()).as("%s", applied).isEqualTo(200);
		assertThat(holder(mon)).isEqualTo(other);
		assertThat(holder(drive)).isEqualTo("乙二");
	}

	@org.springframework.beans.factory.annotation.Autowired
	org.fangxian.workforce.internal.DutyRosterExport export;

	@Test
	void theRosterExportsPerPostAndWholeWithFormulaTextDisarmed() throws java.io.IOException {
		seat(this.gate, "2027-03-01", "甲一");
		seat(this.gate, "2027-03-02", "乙二");
		seat(this.drive, "2027-03-02", "乙二");
		// A name that Excel would run as a formula.
		this.jdbc.sql("update duty_post set name = '=HYPERLINK(\"http://x\")' where id = :id")
			.param("id", this.drive)
			.update();
		org.fangxian.security.CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		long audits = this.jdbc.sql("select count(*) from audit_event where action = 'DUTY_ROSTER_EXPORTED'")
			.query(Long.class)
			.single();
		byte[] whole = this.export.xlsx(worker, this.roster, null);
		try (org.dhatim.fastexcel.reader.ReadableWorkbook workbook = new org.dhatim.fastexcel.reader.ReadableWorkbook(
				new java.io.ByteArrayInputStream(whole))) {
			List<org.dhatim.fastexcel.reader.Sheet> sheets = workbook.getSheets().toList();
			assertThat(sheets).hasSize(3);
			assertThat(sheets.get(0).getName()).isEqualTo("全部岗位");
			// A sheet per post; a name that starts like a formula loses its first sign.
			assertThat(sheets.subList(1, 3)).extracting(org.dhatim.fastexcel.reader.Sheet::getName)
				.containsExactlyInAnyOrder("北门卡点", "_=HYPERLINK(\"http   x\")");
			List<org.dhatim.fastexcel.reader.Row> rows = sheets.get(0).read();
			assertThat(rows.get(0).getCellText(0)).isEqualTo("岗位");
			// 2 posts × 7 days, one shift each, and the header.
			assertThat(rows).hasSize(15);
			List<String> mondayGate = rows.stream()
				.filter(r -> "北门卡点".equals(r.getCellText(0)) && "2027-03-01".equals(r.getCellText(2)))
				.map(r -> r.getCellText(3) + " " + r.getCellText(4) + "-" + r.getCellText(5) + " " + r.getCellText(6))
				.toList();
			assertThat(mondayGate).containsExactly("周一 07:00-14:00 甲一");
			org.dhatim.fastexcel.reader.Row tuesdayDrive = rows.stream()
				.filter(r -> "2027-03-02".equals(r.getCellText(2)) && r.getCellText(0).contains("HYPERLINK"))
				.findFirst()
				.orElseThrow();
			assertThat(tuesdayDrive.getCellText(0)).startsWith("'=");
			assertThat(tuesdayDrive.getCellText(6)).isEqualTo("乙二");
			// An empty seat says how many are missing and why, in Chinese.
			org.dhatim.fastexcel.reader.Row wednesdayDrive = rows.stream()
				.filter(r -> "2027-03-03".equals(r.getCellText(2)) && r.getCellText(0).contains("HYPERLINK"))
				.findFirst()
				.orElseThrow();
			assertThat(wednesdayDrive.getCellText(6)).isEmpty();
		}
		byte[] one = this.export.xlsx(worker, this.roster, this.gate);
		try (org.dhatim.fastexcel.reader.ReadableWorkbook workbook = new org.dhatim.fastexcel.reader.ReadableWorkbook(
				new java.io.ByteArrayInputStream(one))) {
			List<org.dhatim.fastexcel.reader.Sheet> sheets = workbook.getSheets().toList();
			assertThat(sheets).extracting(org.dhatim.fastexcel.reader.Sheet::getName).containsExactly("北门卡点");
			assertThat(sheets.get(0).read()).hasSize(8);
		}
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'DUTY_ROSTER_EXPORTED'")
			.query(Long.class)
			.single()).isEqualTo(audits + 2);
		// Another community's worker gets nothing.
		org.fangxian.security.CurrentUser outsider = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> this.export.xlsx(outsider, this.roster, null))
			.isInstanceOf(org.fangxian.security.CurrentUser.OutsideJurisdictionException.class);
	}

}
