package org.fangxian.workforce;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.security.Role;
import org.fangxian.workforce.WorkforceFixture.Answer;
import org.fangxian.workforce.internal.Volunteers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enrolment by import, posts and generated rosters, over the integration contract's exact
 * routes.
 */
class WorkforceTest extends IntegrationTest {

	/** A Monday: the period is one ISO week. */
	static final LocalDate MONDAY = LocalDate.of(2027, 1, 4);

	TestData.Tree tree;

	@org.springframework.beans.factory.annotation.Autowired
	Volunteers volunteers;

	@org.springframework.beans.factory.annotation.Autowired
	org.fangxian.registry.DivisionTree divisions;

	WorkforceFixture api;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.api = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1())));
	}

	@Test
	void importReportsRowNumberedRejectionsAndIsIdempotent() {
		String id1 = TestIdNumbers.next();
		String id2 = TestIdNumbers.next();
		String phone3 = TestPhoneNumbers.next();
		String csv = "志愿者名单\n" + "姓名,手机号,身份证号,所属单位,技能,每周最多班次\n" + "张三," + TestPhoneNumbers.next() + "," + id1
				+ ",区卫健局,采样、驾驶,5\n" + "李四,," + id2 + ",区教育局,医疗,3\n" + "王五," + phone3 + ",,街道办,录入,\n" + "赵六,"
				+ TestPhoneNumbers.next() + ",110101199001011234,区财政局,采样,4\n" + ",13800000000,,无名,,\n" + "张三丰,"
				+ TestPhoneNumbers.next() + "," + id1 + ",区卫健局,采样,5\n" + "钱七," + TestPhoneNumbers.next()
				+ ",,区人社局,翻译,多\n" + "孙八,,,区人社局,翻译,2\n";
		JsonNode first = this.api.importCsv(csv).body();
		assertThat(first.get("accepted").asInt()).isEqualTo(3);
		assertThat(first.get("updated").asInt()).isZero();
		assertThat(first.get("unchanged").asInt()).isZero();
		Map<Integer, String> rejected = new HashMap<>();
		first.get("rejected").forEach(r -> rejected.put(r.get("row").asInt(), r.get("reason").asString()));
		// Rows as the spreadsheet numbers them: title 1, header 2, people from 3.
		assertThat(rejected.keySet()).containsExactlyInAnyOrder(6, 7, 8, 9, 10);
		assertThat(rejected.get(6)).contains("校验位");
		assertThat(rejected.get(7)).contains("姓名");
		assertThat(rejected.get(8)).contains("第 3 行");
		assertThat(rejected.get(9)).contains("每周最多班次");
		assertThat(rejected.get(10)).contains("至少");

		JsonNode again = this.api.importCsv(csv).body();
		assertThat(again.get("accepted").asInt()).isZero();
		assertThat(again.get("updated").asInt()).isZero();
		assertThat(again.get("unchanged").asInt()).isEqualTo(3);
		assertThat(again.get("rejected")).hasSize(5);

		// The same people found by ID number, and by phone when there is none; one change
		// is one update.
		JsonNode changed = this.api
			.importCsv("姓名,手机号,身份证号,所属单位,技能,每周最多班次\n" + "张三,," + id1 + ",区卫健局,采样、驾驶、医疗,5\n" + "王五," + phone3
					+ ",,街道办,录入,\n")
			.body();
		assertThat(changed.get("updated").asInt()).isEqualTo(1);
		assertThat(changed.get("unchanged").asInt()).isEqualTo(1);

		JsonNode list = this.api.get("/api/v1/volunteers?code=" + this.tree.communityA1().code()).body();
		assertThat(list).hasSize(3);
		Map<String, JsonNode> byName = new HashMap<>();
		list.forEach(v -> byName.put(v.get("name").asString(), v));
		assertThat(byName.get("张三").get("skills").toString()).isEqualTo("[\"采样\",\"驾驶\",\"医疗\"]");
		assertThat(byName.get("张三").get("maxShiftsPerWeek").asInt()).isEqualTo(5);
		assertThat(byName.get("王五").get("maxShiftsPerWeek").asInt()).isEqualTo(7);
		assertThat(list.toString()).doesNotContain(id1).doesNotContain(phone3);
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'VOLUNTEERS_IMPORTED'")
			.query(Long.class)
			.single()).isPositive();
	}

	@Test
	void importsAnXlsxFileAndListsOnlyTheCallersSubtree() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (Workbook workbook = new Workbook(out, "fangxian", "1.0")) {
			Worksheet sheet = workbook.newWorksheet("名单");
			String[] header = { "姓名", "手机号", "身份证号", "所属单位", "技能", "每周最多班次" };
			for (int c = 0; c < header.length; c++) {
				sheet.value(0, c, header[c]);
			}
			sheet.value(1, 0, "周九");
			sheet.value(1, 1, TestPhoneNumbers.next());
			sheet.value(1, 2, TestIdNumbers.next());
			sheet.value(1, 3, "区公安分局");
			sheet.value(1, 4, "驾驶");
			sheet.value(1, 5, 4);
		}
		JsonNode report = this.api.importFile("名单.xlsx", out.toByteArray()).body();
		assertThat(report.get("accepted").asInt()).isEqualTo(1);
		assertThat(this.api.get("/api/v1/volunteers?code=" + this.tree.communityA1().code())
			.body()
			.get(0)
			.get("maxShiftsPerWeek")
			.asInt()).isEqualTo(4);
		// A sibling community is outside a community worker's jurisdiction.
		assertThat(this.api.get("/api/v1/volunteers?code=" + this.tree.communityA2().code()).status()).isEqualTo(403);
	}

	@Test
	void badRequestsGetProblemDetails() {
		Answer noShifts = this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"一号卡点\",\"kind\":\"checkpoint\",\"shifts\":[]}");
		assertThat(noShifts.status()).isEqualTo(400);
		assertThat(noShifts.body().toString()).contains("shifts");
		Answer badTime = this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"一号卡点\",\"kind\":\"checkpoint\",\"shifts\":[{\"start\":\"7点\",\"end\":\"14:00\",\"headcount\":1}]}");
		assertThat(badTime.status()).isEqualTo(400);
		assertThat(badTime.body().toString()).contains("shifts[0].start");
		Answer badDates = this.api.postJson("/api/v1/rosters",
				"{\"code\":\"" + this.tree.communityA1().code() + "\",\"from\":\"2027-01-10\",\"to\":\"2027-01-04\"}");
		assertThat(badDates.status()).isEqualTo(400);
		assertThat(this.api.get("/api/v1/rosters/9000000000000").status()).isEqualTo(404);
		assertThat(this.api.importCsv("no header here\n1,2\n").status()).isEqualTo(400);
	}

	private long post(String name, String kind, String shiftsJson) {
		Answer created = this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"" + name + "\",\"kind\":\"" + kind + "\",\"shifts\":" + shiftsJson + "}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.body().get("id").asLong();
	}

	/** People of the list by name, with what the checker needs to know of them. */
	private Map<String, Long> enrol(RosterChecker checker, String header, List<String[]> rows) {
		StringBuilder csv = new StringBuilder(header + "\n");
		for (String[] row : rows) {
			csv.append(row[0])
				.append(',')
				.append(TestPhoneNumbers.next())
				.append(',')
				.append(TestIdNumbers.next())
				.append(",区直机关,")
				.append(row[1])
				.append(',')
				.append(row[2])
				.append(row.length > 3 ? "," + row[3] : "")
				.append('\n');
		}
		JsonNode report = this.api.importCsv(csv.toString()).body();
		assertThat(report.get("accepted").asInt()).as(report.toString()).isEqualTo(rows.size());
		Map<String, Long> ids = new HashMap<>();
		for (JsonNode v : this.api.get("/api/v1/volunteers?code=" + this.tree.communityA1().code()).body()) {
			ids.put(v.get("name").asString(), v.get("id").asLong());
		}
		for (String[] row : rows) {
			Set<DayOfWeek> days = row.length > 3 && row[3].equals("周一至周五")
					? EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY) : EnumSet.allOf(DayOfWeek.class);
			checker.person(new RosterChecker.Person(ids.get(row[0]),
					Set.of(row[1].isEmpty() ? new String[0] : row[1].split("、")), Integer.parseInt(row[2]), days));
		}
		return ids;
	}

	@Test
	void generatedRosterKeepsEveryHardRule() throws InterruptedException {
		RosterChecker checker = new RosterChecker();
		List<String[]> people = new ArrayList<>();
		for (int i = 0; i < 14; i++) {
			String skills = i < 7 ? "采样" : i < 10 ? "驾驶" : i < 12 ? "医疗、采样" : "";
			people.add(new String[] { "队员" + (char) ('甲' + i), skills, String.valueOf(3 + i % 3),
					i % 4 == 0 ? "周一至周五" : "每天" });
		}
		enrol(checker, "姓名,手机号,身份证号,所属单位,技能,每周最多班次,可服务日", people);
		long sampling = post("核酸采样点", "sampling point",
				"[{\"start\":\"07:00\",\"end\":\"14:00\",\"headcount\":2,\"skills\":[\"采样\"]},"
						+ "{\"start\":\"14:00\",\"end\":\"21:00\",\"headcount\":2,\"skills\":[\"采样\"]}]");
		long gate = post("北门卡点", "checkpoint",
				"[{\"start\":\"21:30\",\"end\":\"07:30\",\"headcount\":1,\"skills\":[]}]");
		long delivery = post("物资配送", "delivery",
				"[{\"start\":\"08:00\",\"end\":\"12:00\",\"headcount\":1,\"skills\":[\"驾驶\"]}]");
		checker.shift(new RosterChecker.Shift(sampling, "07:00", "14:00", 2, Set.of("采样")));
		checker.shift(new RosterChecker.Shift(sampling, "14:00", "21:00", 2, Set.of("采样")));
		checker.shift(new RosterChecker.Shift(gate, "21:30", "07:30", 1, Set.of()));
		checker.shift(new RosterChecker.Shift(delivery, "08:00", "12:00", 1, Set.of("驾驶")));

		JsonNode roster = this.api.solve(this.tree.communityA1().code(), MONDAY, MONDAY.plusDays(6), 3);

		assertThat(checker.violations(roster, MONDAY, MONDAY.plusDays(6))).isEmpty();
		// 42 seats, 14 people with 3-5 shifts each: most seats are filled.
		assertThat(roster.get("assignments").size()).isGreaterThanOrEqualTo(35);
		assertThat(roster.get("assignments").get(0).get("date").asString()).matches("\\d{4}-\\d{2}-\\d{2}");
		assertThat(roster.get("assignments").get(0).get("start").asString()).matches("\\d{2}:\\d{2}");
		// Texts to the people on duty, with their own link.
		assertThat(this.jdbc.sql("select count(*) from outbox_message where dedupe_key like :k")
			.param("k", "workforce:roster:" + roster.get("id").asLong() + ":%")
			.query(Long.class)
			.single()).isPositive();
	}

	@Test
	void shortSupplyLeavesSeatsEmptyAndSaysWhy() throws InterruptedException {
		RosterChecker checker = new RosterChecker();
		Map<String, Long> ids = enrol(checker, "姓名,手机号,身份证号,所属单位,技能,每周最多班次", List.of(new String[] { "采样员甲", "采样", "2" },
				new String[] { "采样员乙", "采样", "2" }, new String[] { "司机丙", "驾驶", "5" }));
		long sampling = post("采样点", "SAMPLING_POINT",
				"[{\"start\":\"07:00\",\"end\":\"14:00\",\"headcount\":1,\"skills\":[\"采样\"]}]");
		long clinic = post("医疗点", "checkpoint",
				"[{\"start\":\"09:00\",\"end\":\"12:00\",\"headcount\":1,\"skills\":[\"医疗\"]}]");
		checker.shift(new RosterChecker.Shift(sampling, "07:00", "14:00", 1, Set.of("采样")));
		checker.shift(new RosterChecker.Shift(clinic, "09:00", "12:00", 1, Set.of("医疗")));

		JsonNode roster = this.api.solve(this.tree.communityA1().code(), MONDAY, MONDAY.plusDays(6), 2);

		assertThat(checker.violations(roster, MONDAY, MONDAY.plusDays(6))).isEmpty();
		// Two samplers at two shifts a week fill four of seven days; nobody can do the
		// medical post.
		Map<String, Integer> perWeek = new HashMap<>();
		roster.get("assignments")
			.forEach(a -> perWeek.merge(String.valueOf(a.get("volunteerId").asLong()), 1, Integer::sum));
		assertThat(perWeek).containsEntry(String.valueOf(ids.get("采样员甲")), 2)
			.containsEntry(String.valueOf(ids.get("采样员乙")), 2);
		int samplingGaps = 0;
		int clinicGaps = 0;
		for (JsonNode gap : roster.get("unfilled")) {
			assertThat(gap.get("missing").asInt()).isEqualTo(1);
			if (gap.get("postId").asLong() == sampling) {
				samplingGaps++;
				// Both samplers have used their week, and the driver lacks the skill.
				assertThat(gap.get("reason").asString()).isEqualTo("MAX_SHIFTS_PER_WEEK");
			}
			else {
				clinicGaps++;
				assertThat(gap.get("postId").asLong()).isEqualTo(clinic);
				assertThat(gap.get("reason").asString()).isEqualTo("REQUIRED_SKILLS");
				assertThat(gap.get("start").asString()).isEqualTo("09:00");
			}
		}
		assertThat(samplingGaps).isEqualTo(3);
		assertThat(clinicGaps).isEqualTo(7);
	}

	@Test
	void selfRegistrationWaitsForAWorkersApproval() {
		var worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		var node = this.divisions.node(worker, this.tree.communityA1().id());
		String phone = TestPhoneNumbers.next();
		Volunteers.Registration form = new Volunteers.Registration("报名人", phone, null, "热心居民", List.of("录入"), 3);
		assertThat(this.volunteers.register(node, form)).isEqualTo(Volunteers.Registered.PENDING);
		// The same phone again: known, nothing told, nothing added.
		assertThat(this.volunteers.register(node, form)).isEqualTo(Volunteers.Registered.KNOWN);
		assertThat(this.api.get("/api/v1/volunteers?code=" + this.tree.communityA1().code()).body()).isEmpty();
		List<Volunteers.Volunteer> pending = this.volunteers.pending(worker, node);
		assertThat(pending).singleElement().satisfies(v -> assertThat(v.phoneMasked()).doesNotContain(phone));
		this.volunteers.decide(worker, pending.get(0).id(), true);
		JsonNode list = this.api.get("/api/v1/volunteers?code=" + this.tree.communityA1().code()).body();
		assertThat(list).hasSize(1);
		assertThat(list.get(0).get("name").asString()).isEqualTo("报名人");
		assertThat(list.get(0).get("skills").get(0).asString()).isEqualTo("录入");
		// A worker of the sibling community cannot decide on it.
		var other = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		org.junit.jupiter.api.Assertions.assertThrows(org.springframework.security.access.AccessDeniedException.class,
				() -> this.volunteers.decide(other, pending.get(0).id(), false));
	}

	@Test
	void hoursOfTheImportAreKeptByTheRoster() throws InterruptedException {
		String code = this.tree.communityA1().code();
		JsonNode report = this.api
			.importCsv("姓名,手机号,身份证号,所属单位,技能,每周最多班次,可服务日\n" + "晚班甲," + TestPhoneNumbers.next()
					+ ",,区卫健局,,7,周一至周五 18:00-22:00\n" + "全天乙," + TestPhoneNumbers.next() + ",,区卫健局,,7,每天\n" + "错时丙,"
					+ TestPhoneNumbers.next() + ",,区卫健局,,7,周一 25:00-26:00\n")
			.body();
		assertThat(report.get("accepted").asInt()).as(report.toString()).isEqualTo(2);
		assertThat(report.get("rejected").get(0).get("row").asInt()).isEqualTo(4);
		assertThat(this.jdbc.sql("select available_from || '-' || available_to from volunteer where name = '晚班甲'")
			.query(String.class)
			.single()).isEqualTo("1080-1320");
		Map<String, Long> ids = new java.util.HashMap<>();
		this.api.get("/api/v1/volunteers?code=" + code)
			.body()
			.forEach(v -> ids.put(v.get("name").asString(), v.get("id").asLong()));
		this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"晚间巡逻\",\"kind\":\"patrol\",\"shifts\":[{\"start\":\"18:00\",\"end\":\"22:00\",\"headcount\":1,\"skills\":[]},"
				+ "{\"start\":\"08:00\",\"end\":\"12:00\",\"headcount\":1,\"skills\":[]}]}");
		JsonNode roster = this.api.solve(code, LocalDate.of(2027, 3, 1), LocalDate.of(2027, 3, 2), 2);
		// 晚班甲 serves evenings only: never the morning shift.
		roster.get("assignments").forEach(a -> {
			if (a.get("volunteerId").asLong() == ids.get("晚班甲")) {
				assertThat(a.get("start").asString()).isEqualTo("18:00");
			}
		});
		assertThat(roster.get("assignments")).anySatisfy(a -> {
			assertThat(a.get("volunteerId").asLong()).isEqualTo(ids.get("晚班甲"));
			assertThat(a.get("start").asString()).isEqualTo("18:00");
		});
	}

	@Test
	void preferencesAreImportedKeptAndHonouredByTheRoster() throws InterruptedException {
		String code = this.tree.communityA1().code();
		String phoneEvening = TestPhoneNumbers.next();
		String phoneMorning = TestPhoneNumbers.next();
		String csv = "姓名,手机号,身份证号,所属单位,技能,每周最多班次,意向岗位,意向时段\n" + "晚巡甲," + phoneEvening + ",,区卫健局,,7,巡逻,晚班\n" + "早卡乙,"
				+ phoneMorning + ",,区卫健局,,7,卡点、入户,07:00-12:00\n" + "错岗丙," + TestPhoneNumbers.next()
				+ ",,区卫健局,,7,游泳,早班\n" + "错时丁," + TestPhoneNumbers.next() + ",,区卫健局,,7,巡逻,下午茶\n";
		JsonNode report = this.api.importCsv(csv).body();
		assertThat(report.get("accepted").asInt()).as(report.toString()).isEqualTo(2);
		Map<Integer, String> rejected = new HashMap<>();
		report.get("rejected").forEach(r -> rejected.put(r.get("row").asInt(), r.get("reason").asString()));
		assertThat(rejected.keySet()).containsExactlyInAnyOrder(4, 5);
		assertThat(rejected.get(4)).contains("游泳");
		assertThat(rejected.get(5)).contains("下午茶");
		assertThat(this.jdbc.sql("""
				select array_to_string(preferred_kinds, '、') || ' ' || preferred_from || '-' || preferred_to
				from volunteer where name = :name""").param("name", "早卡乙").query(String.class).single())
			.isEqualTo("CHECKPOINT、DOOR_TO_DOOR 420-720");
		assertThat(this.jdbc.sql("select preferred_from || '-' || preferred_to from volunteer where name = '晚巡甲'")
			.query(String.class)
			.single()).isEqualTo("1020-1320");

		JsonNode again = this.api.importCsv(csv).body();
		assertThat(again.get("accepted").asInt()).isZero();
		assertThat(again.get("updated").asInt()).isZero();
		assertThat(again.get("unchanged").asInt()).isEqualTo(2);
		assertThat(again.get("rejected")).hasSize(2);
		// A file without the columns keeps the wishes; a changed wish is an update.
		assertThat(this.api.importCsv("姓名,手机号\n晚巡甲," + phoneEvening + "\n").body().get("unchanged").asInt())
			.isEqualTo(1);
		assertThat(this.api.importCsv("姓名,手机号,意向时段\n晚巡甲," + phoneEvening + ",夜班\n").body().get("updated").asInt())
			.isEqualTo(1);
		assertThat(this.api.importCsv("姓名,手机号,意向时段\n晚巡甲," + phoneEvening + ",晚班\n").body().get("updated").asInt())
			.isEqualTo(1);

		Map<String, Long> ids = new HashMap<>();
		this.api.get("/api/v1/volunteers?code=" + code)
			.body()
			.forEach(v -> ids.put(v.get("name").asString(), v.get("id").asLong()));
		JsonNode checkpoint = this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"东门卡点\",\"kind\":\"checkpoint\",\"shifts\":[{\"start\":\"07:00\",\"end\":\"11:00\",\"headcount\":1,\"skills\":[]}]}")
			.body();
		JsonNode patrol = this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"晚间巡逻\",\"kind\":\"patrol\",\"shifts\":[{\"start\":\"18:00\",\"end\":\"22:00\",\"headcount\":1,\"skills\":[]}]}")
			.body();
		JsonNode roster = this.api.solve(code, LocalDate.of(2027, 3, 1), LocalDate.of(2027, 3, 2), 2);
		assertThat(roster.get("unfilled")).isEmpty();
		assertThat(roster.get("assignments")).hasSize(4).allSatisfy(a -> {
			long post = a.get("postId").asLong();
			long expected = post == checkpoint.get("id").asLong() ? ids.get("早卡乙") : ids.get("晚巡甲");
			assertThat(post).isIn(checkpoint.get("id").asLong(), patrol.get("id").asLong());
			assertThat(a.get("volunteerId").asLong()).as(a.toString()).isEqualTo(expected);
		});
	}

	@Test
	void wishesAgainstTheRulesBreakNoneOfThem() throws InterruptedException {
		// Everyone wishes for the night checkpoint, which has one seat a night: the
		// wishes
		// must yield to rest, weekly maximums and filling the day's sampling seats.
		RosterChecker checker = new RosterChecker();
		List<String[]> people = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			people.add(new String[] { "守夜" + (char) ('甲' + i), "采样", "3", "每天,卡点,夜班" });
		}
		enrol(checker, "姓名,手机号,身份证号,所属单位,技能,每周最多班次,可服务日,意向岗位,意向时段", people);
		long sampling = post("核酸采样点", "sampling point",
				"[{\"start\":\"07:00\",\"end\":\"14:00\",\"headcount\":2,\"skills\":[\"采样\"]}]");
		long gate = post("北门卡点", "checkpoint",
				"[{\"start\":\"21:30\",\"end\":\"07:30\",\"headcount\":1,\"skills\":[]}]");
		checker.shift(new RosterChecker.Shift(sampling, "07:00", "14:00", 2, Set.of("采样")));
		checker.shift(new RosterChecker.Shift(gate, "21:30", "07:30", 1, Set.of()));

		JsonNode roster = this.api.solve(this.tree.communityA1().code(), MONDAY, MONDAY.plusDays(6), 3);

		assertThat(checker.violations(roster, MONDAY, MONDAY.plusDays(6))).isEmpty();
		// 21 seats, 30 shifts of capacity: every seat is filled although 14 of them are
		// nobody's wish.
		assertThat(roster.get("unfilled")).as(roster.toString()).isEmpty();
		assertThat(roster.get("assignments")).hasSize(21);
	}

}
