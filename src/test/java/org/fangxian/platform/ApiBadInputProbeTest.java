package org.fangxian.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON API's writes and reads with real ids and bad bodies, headers and parameters:
 * malformed JSON, an array or a scalar for an object, wrong types, overflowing numbers,
 * unknown enum values, over-long strings, control characters, nulls inside lists, times
 * beyond what the database holds, an unsupported content type. Each answer is a 4xx with
 * a problem body (or, where the input is harmless, a success), never a 5xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiBadInputProbeTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	static final String LONG = "长".repeat(10_000);

	@Autowired
	ResidentService residents;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	TestData.Tree tree;

	String hq;

	long resident;

	long caseId;

	long inspection;

	JsonNode inspectionItems;

	long workOrder;

	long supportRequest;

	long store;

	long gate;

	long road;

	long dailyReport;

	@BeforeAll
	void setUp() throws Exception {
		this.tree = this.data.tree();
		CurrentUser admin = this.data.user(Role.HQ_ADMIN, this.tree.district());
		this.hq = this.data.token(baseUrl(), admin.username());
		long compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "探针小区").id();
		long building = this.data.node(compound, "BUILDING", null, "1栋").id();
		long unit = this.data.node(building, "UNIT", null, "1单元").id();
		this.resident = this.residents.create(admin, new ResidentService.ResidentForm("王探针", null, TestIdNumbers.next(),
				TestPhoneNumbers.next(), unit, "101", "其他", null, "常住", null));
		this.caseId = created("POST", "/api/v1/cases", "{\"residentId\":" + this.resident + ",\"kind\":\"CONFIRMED\"}");
		JsonNode planned = json(ok("POST", "/api/v1/inspections",
				"{\"kind\":\"COMMUNITY_GATE\",\"nodeId\":" + this.tree.communityA1().id() + "}"));
		this.inspection = planned.get("id").asLong();
		this.inspectionItems = planned.get("items");
		this.workOrder = created("POST", "/api/v1/work-orders",
				"{\"channel\":\"12345\",\"content\":\"楼下噪音\",\"callerPhone\":\"" + TestPhoneNumbers.next()
						+ "\",\"nodeId\":" + this.tree.communityA1().id() + ",\"category\":\"噪音\"}");
		this.supportRequest = created("POST", "/api/v1/support-requests",
				"{\"residentId\":" + this.resident + ",\"kind\":\"MEDICINE\",\"detail\":\"降压药\"}");
		this.store = created("POST", "/api/v1/stores",
				"{\"nodeId\":" + this.tree.communityA1().id() + ",\"name\":\"探针库\"}");
		this.gate = created("POST", "/api/v1/checkpoints", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"东门\",\"openingHours\":\"24h\",\"posts\":1}");
		this.road = created("POST", "/api/v1/checkpoints", "{\"nodeId\":" + this.tree.district().id()
				+ ",\"name\":\"高速入口\",\"openingHours\":\"24h\",\"posts\":2,\"kind\":\"ROAD\"}");
		this.dailyReport = created("POST", "/api/v1/daily-reports",
				"{\"code\":\"" + this.tree.streetA().code() + "\",\"date\":\"" + LocalDate.now() + "\"}");
	}

	// ------------------------------------------------------------------ helpers

	HttpResponse<String> send(String method, String path, String contentType, String body, Map<String, String> headers)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + this.hq)
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(60));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		headers.forEach(request::header);
		request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> call(String method, String path, String json) throws Exception {
		return send(method, path, json == null ? null : "application/json", json, Map.of());
	}

	HttpResponse<String> ok(String method, String path, String json) throws Exception {
		HttpResponse<String> reply = call(method, path, json);
		assertThat(reply.statusCode()).as(method + " " + path + ": " + reply.body()).isBetween(200, 299);
		return reply;
	}

	long created(String method, String path, String json) throws Exception {
		return json(ok(method, path, json)).get("id").asLong();
	}

	static JsonNode json(HttpResponse<String> reply) {
		return JSON.readTree(reply.body());
	}

	/** A 4xx with a problem body naming a stable code. */
	static void assertRefused(HttpResponse<String> reply, String what) {
		assertThat(reply.statusCode()).as(what + " → " + reply.body()).isBetween(400, 499);
		JsonNode problem = JSON.readTree(reply.body());
		assertThat(problem.path("code").isString()).as(what + " → " + reply.body()).isTrue();
	}

	/** Never a 5xx; a refusal is a problem with a code. */
	static void assertNot5xx(HttpResponse<String> reply, String what) {
		assertThat(reply.statusCode()).as(what + " → " + reply.body()).isLessThan(500);
		if (reply.statusCode() >= 400) {
			assertRefused(reply, what);
		}
	}

	static String quote(String text) {
		return JSON.writeValueAsString(text);
	}

	// ------------------------------------------------------------------ the probes

	/** The API's JSON writes, with real ids so a body gets past the path. */
	List<String[]> writes() {
		String sr = "/api/v1/support-requests/" + this.supportRequest;
		String wo = "/api/v1/work-orders/" + this.workOrder;
		String c = "/api/v1/cases/" + this.caseId;
		String st = "/api/v1/stores/" + this.store;
		String dr = "/api/v1/daily-reports/" + this.dailyReport;
		return List.of(new String[] { "POST", "/api/v1/support-requests" },
				new String[] { "POST", sr + "/transitions" }, new String[] { "POST", sr + "/assignee" },
				new String[] { "POST", "/api/v1/work-orders" }, new String[] { "POST", wo + "/dispatch" },
				new String[] { "POST", wo + "/supervise" }, new String[] { "POST", wo + "/reply" },
				new String[] { "POST", wo + "/close" }, new String[] { "POST", wo + "/verification" },
				new String[] { "POST", "/api/v1/inspections" },
				new String[] { "POST", "/api/v1/inspections/" + this.inspection + "/findings" },
				new String[] { "POST", "/api/v1/stores" }, new String[] { "POST", st + "/movements" },
				new String[] { "POST", st + "/thresholds" }, new String[] { "POST", st + "/stocktakes" },
				new String[] { "POST", "/api/v1/cases" }, new String[] { "POST", c + "/transfer" },
				new String[] { "POST", c + "/discharge" }, new String[] { "POST", c + "/kind" },
				new String[] { "POST", c + "/contacts" }, new String[] { "POST", c + "/contacts/manual" },
				new String[] { "POST", "/api/v1/teams" }, new String[] { "POST", "/api/v1/posts" },
				new String[] { "POST", "/api/v1/rosters" }, new String[] { "POST", "/api/v1/daily-reports" },
				new String[] { "PUT", dr }, new String[] { "POST", dr + "/reopen" },
				new String[] { "POST", "/api/v1/purge" },
				new String[] { "POST", "/api/v1/checkpoints/" + this.gate + "/scans" },
				new String[] { "POST", "/api/v1/checkpoints/" + this.gate + "/visits" },
				new String[] { "POST", "/api/v1/checkpoints/" + this.road + "/road-checks" },
				new String[] { "PUT", "/api/v1/checkpoints/" + this.road + "/road-rules" },
				new String[] { "POST", "/api/v1/risk-areas" }, new String[] { "POST", "/api/v1/containment/seals" },
				new String[] { "POST", "/api/v1/containment/quarantines" },
				new String[] { "POST", "/api/v1/containment/campaigns" },
				new String[] { "POST", "/api/v1/testing/rounds" }, new String[] { "POST", "/api/v1/testing/sites" },
				new String[] { "POST", "/api/v1/accounts" }, new String[] { "POST", "/api/v1/residents" },
				new String[] { "POST", "/api/v1/id-numbers/check" });
	}

	/** Bodies no write should answer with a 5xx. */
	static Map<String, String> junkBodies() {
		Map<String, String> bodies = new LinkedHashMap<>();
		bodies.put("malformed JSON", "{\"name\": ");
		bodies.put("an array", "[{\"name\":\"x\"}]");
		bodies.put("a string", "\"x\"");
		bodies.put("a number", "42");
		bodies.put("null", "null");
		bodies.put("an empty object", "{}");
		bodies.put("strings for numbers", "{\"nodeId\":\"abc\",\"residentId\":\"abc\",\"quantity\":\"abc\","
				+ "\"days\":\"abc\",\"assigneeId\":\"abc\",\"leaderId\":\"abc\",\"poolSize\":\"abc\"}");
		bodies.put("overflowing numbers", "{\"nodeId\":99999999999999999999,\"residentId\":-99999999999999999999,"
				+ "\"quantity\":2147483648,\"days\":-2147483649,\"threshold\":1e400,\"moneyReceived\":1e400}");
		bodies.put("zero and negative numbers", "{\"nodeId\":0,\"residentId\":-1,\"quantity\":0,\"days\":-1,"
				+ "\"threshold\":-1,\"moneyReceived\":-1,\"posts\":-1,\"poolSize\":0,\"hours\":0}");
		bodies.put("unknown enum values",
				"{\"kind\":\"MAYBE\",\"to\":\"MAYBE\",\"verdict\":\"MAYBE\",\"satisfaction\":\"MAYBE\","
						+ "\"level\":\"MAYBE\",\"category\":\"MAYBE\",\"role\":\"MAYBE\",\"direction\":\"MAYBE\","
						+ "\"healthCode\":\"MAYBE\",\"channel\":\"MAYBE\",\"outcome\":\"MAYBE\"}");
		StringBuilder long_ = new StringBuilder("{");
		for (String field : List.of("name", "detail", "note", "reason", "content", "kind", "to", "reply",
				"satisfaction", "item", "category", "verdict", "code", "date", "workDone", "problems", "plans",
				"channel", "callerPhone", "username", "displayName", "password", "idNumber", "room", "place", "plate",
				"qr", "idempotencyKey", "openingHours", "order", "level", "confirm", "before")) {
			long_.append('"').append(field).append("\":").append(quote(LONG)).append(',');
		}
		bodies.put("10,000-character strings", long_.append("\"x\":1}").toString());
		bodies.put("control characters",
				"{\"name\":\"\\u0001\\u001f\",\"note\":\"\\u0007\\b\",\"detail\":\"\\u001b[31m\","
						+ "\"content\":\"\\r\\n\\t\",\"kind\":\"\\u0085\"}");
		bodies.put("nulls inside lists",
				"{\"items\":[null],\"findings\":[null],\"photos\":[null],\"counts\":[null],\"deputyIds\":[null],"
						+ "\"memberIds\":[null],\"shifts\":[null],\"kit\":[null],\"evidence\":[null],"
						+ "\"itinerary\":[null],\"newcomers\":[null]}");
		bodies.put("objects for strings",
				"{\"name\":{},\"kind\":[],\"note\":{\"a\":1},\"detail\":[1,2],\"to\":{},\"code\":[]}");
		bodies.put("dates that are none",
				"{\"date\":\"2026-02-30\",\"plannedFor\":\"2026-13-01\",\"at\":\"yesterday\",\"startsAt\":\"25:00\","
						+ "\"contactOn\":\"0000-00-00\",\"before\":\"x\",\"from\":\"2026-01-01\",\"to\":\"2025-01-01\"}");
		return bodies;
	}

	@TestFactory
	Stream<DynamicTest> noWriteAnswers5xxToAJunkBody() {
		List<DynamicTest> tests = new ArrayList<>();
		for (String[] write : writes()) {
			junkBodies()
				.forEach((what, body) -> tests.add(DynamicTest.dynamicTest(write[0] + " " + write[1] + ": " + what,
						() -> assertNot5xx(call(write[0], write[1], body), write[0] + " " + write[1] + " " + what))));
			tests.add(DynamicTest.dynamicTest(write[0] + " " + write[1] + ": text/plain",
					() -> assertRefused(send(write[0], write[1], "text/plain", "{}", Map.of()),
							write[0] + " " + write[1] + " text/plain")));
			tests.add(DynamicTest.dynamicTest(write[0] + " " + write[1] + ": an unknown charset",
					() -> assertNot5xx(send(write[0], write[1], "application/json;charset=x-no-such", "{}", Map.of()),
							write[0] + " " + write[1] + " charset")));
		}
		return tests.stream();
	}

	@TestFactory
	Stream<DynamicTest> badQueryParametersAndHeadersAreRefused() {
		String district = this.tree.district().code();
		String street = this.tree.streetA().code();
		// path, and whether it must be refused (else: clamped or ignored, never a 5xx)
		Map<String, Boolean> reads = new LinkedHashMap<>();
		reads.put("/api/v1/work-orders?overdue=maybe", true);
		reads.put("/api/v1/support-requests?open=maybe", true);
		reads.put("/api/v1/inspections?planned=2", true);
		reads.put("/api/v1/cases?openOnly=maybe", true);
		reads.put("/api/v1/daily-reports?code=" + street + "&days=abc", true);
		reads.put("/api/v1/daily-reports", true);
		reads.put("/api/v1/daily-reports?code=" + street + "&days=-1", false);
		reads.put("/api/v1/residents?size=-1", false);
		reads.put("/api/v1/residents?size=100000", false);
		reads.put("/api/v1/residents?size=0&after=-1", false);
		reads.put("/api/v1/residents?after=99999999999999999999", true);
		reads.put("/api/v1/dashboard?code=" + district + "&date=2026-02-30", true);
		reads.put("/api/v1/dashboard?code=abc", true);
		reads.put("/api/v1/dashboard/trends?code=" + district + "&date=x", true);
		reads.put("/api/v1/stores?code=abc", true);
		reads.put("/api/v1/checkpoints/" + this.road + "/road-stats", true);
		reads.put("/api/v1/checkpoints/" + this.road + "/road-stats?from=abc&to=abc", true);
		reads.put("/api/v1/checkpoints/" + this.gate + "/counters?from=abc&to=abc", true);
		reads.put("/api/v1/testing/subjects?from=2026-13-01", true);
		reads.put("/api/v1/risk-areas?date=x", true);
		reads.put("/api/v1/cases/" + this.caseId + "/contacts/abc/contact-candidates", true);
		List<DynamicTest> tests = new ArrayList<>();
		reads.forEach((path, refused) -> tests.add(DynamicTest.dynamicTest("GET " + path, () -> {
			HttpResponse<String> reply = call("GET", path, null);
			if (refused) {
				assertRefused(reply, "GET " + path);
			}
			else {
				assertNot5xx(reply, "GET " + path);
			}
		})));
		tests.add(DynamicTest.dynamicTest("a method the path does not take",
				() -> assertRefused(call("DELETE", "/api/v1/stores", null), "DELETE /api/v1/stores")));
		tests.add(DynamicTest.dynamicTest("an unparseable Accept header",
				() -> assertThat(send("GET", "/api/v1/cases/abc", null, null, Map.of("Accept", ";;;")).statusCode())
					.isLessThan(500)));
		tests.add(DynamicTest.dynamicTest("Accept: text/html on an API error",
				() -> assertThat(
						send("GET", "/api/v1/cases/abc", null, null, Map.of("Accept", "text/html")).statusCode())
					.isBetween(400, 499)));
		return tests.stream();
	}

	/**
	 * Times a JSON body, a parameter or a date string may carry that no
	 * {@code java.sql.Timestamp} holds (year ±292 million): bad input, not a 500.
	 */
	@TestFactory
	Stream<DynamicTest> timesBeyondWhatTheDatabaseHoldsAreBadInput() {
		String far = "+999999999-12-31T00:00:00Z";
		String before = "-999999999-01-01";
		String district = this.tree.district().code();
		List<DynamicTest> tests = new ArrayList<>();
		Map<String, String[]> rows = new LinkedHashMap<>();
		rows.put("a case transferred in year 999999999", new String[] { "POST",
				"/api/v1/cases/" + this.caseId + "/transfer", "{\"to\":\"市传染病医院\",\"at\":\"" + far + "\"}" });
		rows.put("a case transferred 3e16 seconds after 1970", new String[] { "POST",
				"/api/v1/cases/" + this.caseId + "/transfer", "{\"to\":\"市传染病医院\",\"at\":30000000000000000}" });
		rows.put("a gate scan queued offline in year 999999999",
				new String[] { "POST", "/api/v1/checkpoints/" + this.gate + "/scans",
						"{\"idNumber\":\"" + TestIdNumbers.next() + "\",\"direction\":\"IN\",\"idempotencyKey\":\""
								+ UUID.randomUUID() + "\",\"scannedAt\":\"" + far + "\"}" });
		rows.put("a visitor registered in year 999999999",
				new String[] { "POST", "/api/v1/checkpoints/" + this.gate + "/visits",
						"{\"kind\":\"TURN_BACK\",\"reason\":\"无码\",\"idempotencyKey\":\"" + UUID.randomUUID()
								+ "\",\"at\":\"" + far + "\"}" });
		rows.put("a road check with a test in year -999999999",
				new String[] { "POST", "/api/v1/checkpoints/" + this.road + "/road-checks",
						"{\"plate\":\"京A12345\",\"healthCode\":\"GREEN\",\"idempotencyKey\":\"" + UUID.randomUUID()
								+ "\",\"lastNegativeTest\":\"-999999999-01-01T00:00:00Z\"}" });
		rows.put("road stats from year -999999999", new String[] { "GET",
				"/api/v1/checkpoints/" + this.road + "/road-stats?from=" + before + "&to=2026-01-01", null });
		rows.put("gate counters from year -999999999", new String[] { "GET",
				"/api/v1/checkpoints/" + this.gate + "/counters?from=" + before + "T00:00:00Z&to=2026-01-01T00:00:00Z",
				null });
		rows.put("the dashboard of year -999999999",
				new String[] { "GET", "/api/v1/dashboard?code=" + district + "&date=" + before, null });
		rows.put("testing subjects from year -999999999",
				new String[] { "GET", "/api/v1/testing/subjects?from=" + before + "&to=2026-01-01", null });
		rows.put("a daily report of year -999999999", new String[] { "POST", "/api/v1/daily-reports",
				"{\"code\":\"" + this.tree.streetA().code() + "\",\"date\":\"" + before + "\"}" });
		rows.put("a purge before year -999999999", new String[] { "POST", "/api/v1/purge",
				"{\"code\":\"" + district + "\",\"before\":\"" + before + "\",\"confirm\":\"PURGE\"}" });
		rows.forEach((what, row) -> tests.add(DynamicTest.dynamicTest(what,
				() -> assertRefused(call(row[0], row[1], row[2]), what + ": " + row[0] + " " + row[1]))));
		return tests.stream();
	}

	/**
	 * Dates and times outside the years the system accepts from anyone (1900-2199,
	 * {@code DateBounds}) that used to be stored: a case transferred in year 99999, one
	 * discharged at an instant whose milliseconds wrap round to 1970, an inspection, a
	 * quarantine's end and a seal's end in year 9999, a contact in year 9999.
	 */
	@TestFactory
	Stream<DynamicTest> datesOutsideTheAcceptedYearsAreRefused() {
		String c = "/api/v1/cases/" + this.caseId;
		String a1 = String.valueOf(this.tree.communityA1().id());
		Map<String, String[]> rows = new LinkedHashMap<>();
		rows.put("a case transferred in year 99999",
				new String[] { c + "/transfer", "{\"to\":\"市传染病医院\",\"at\":\"+99999-12-31T00:00:00Z\"}" });
		rows.put("a case discharged 2^64 ms after 1970 (1970-01-20 once wrapped)",
				new String[] { c + "/discharge", "{\"at\":18446744075409551}" });
		rows.put("a contact in year 9999", new String[] { c + "/contacts", "{\"residentId\":" + this.resident
				+ ",\"category\":\"CLOSE\",\"reason\":\"同住\",\"contactOn\":\"9999-12-31\"}" });
		rows.put("a contact added by hand in year 9999", new String[] { c + "/contacts/manual",
				"{\"name\":\"快递员\",\"reason\":\"送件\",\"contactOn\":\"9999-12-31\"}" });
		rows.put("an inspection planned for year 9999", new String[] { "/api/v1/inspections",
				"{\"kind\":\"COMMUNITY_GATE\",\"nodeId\":" + a1 + ",\"plannedFor\":\"9999-12-31\"}" });
		rows.put("a quarantine ending in year 9999",
				new String[] { "/api/v1/containment/quarantines", "{\"residentId\":" + this.resident
						+ ",\"reason\":\"密接\",\"place\":\"家中\",\"endsOn\":\"9999-12-31\"}" });
		rows.put("a seal ending in year 9999", new String[] { "/api/v1/containment/seals", "{\"nodeId\":" + a1
				+ ",\"level\":\"SEALED\",\"reason\":\"阳性\",\"order\":\"第1号\",\"plannedEndAt\":\"9999-12-31T00:00:00Z\"}" });
		List<DynamicTest> tests = new ArrayList<>();
		rows.forEach((what, row) -> tests.add(DynamicTest.dynamicTest(what, () -> {
			HttpResponse<String> reply = call("POST", row[0], row[1]);
			assertRefused(reply, what);
			assertThat(json(reply).get("code").asString()).as(what + ": " + reply.body()).isEqualTo("date.outOfRange");
		})));
		return tests.stream();
	}

}
