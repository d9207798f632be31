package org.fangxian.tracing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole outbreak loop through the API, as issue 11 asks: a positive pooled tube holds
 * its people at the gate (out denied, home allowed) until their individual result; a
 * negative releases, a positive makes a case that no gate lets through; its candidates
 * come with their reasons; the neighbour seen at the same gate two minutes later is
 * confirmed and quarantined, and the gate then turns him back.
 *
 * <pre>
 * 福乐湾 1栋 1单元 101  王建国 (the case) · 王秀英 (his household)
 *                 102  李同管 (in his pooled tube)
 *           2单元 201  赵邻居 (through the same gate two minutes after him)
 * </pre>
 */
class OutbreakApiTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	@Autowired
	ResidentService residents;

	TestData.Tree tree;

	String token;

	long gate;

	final Map<String, Long> ids = new HashMap<>();

	final Map<String, String> idNumbers = new HashMap<>();

	final String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();

	record Answer(int status, JsonNode body) {
	}

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.token = this.data.token(baseUrl(), worker.username());
		long compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		long building = this.data.node(compound, "BUILDING", null, "1栋").id();
		long unit1 = this.data.node(building, "UNIT", null, "1单元").id();
		long unit2 = this.data.node(building, "UNIT", null, "2单元").id();
		resident(worker, "case", "王建国", unit1, "101");
		resident(worker, "household", "王秀英", unit1, "101");
		resident(worker, "tubeMate", "李同管", unit1, "102");
		resident(worker, "neighbour", "赵邻居", unit2, "201");
		this.gate = call("POST", "/api/v1/checkpoints", Map.of("nodeId", this.tree.communityA1().id(), "name", "东门"))
			.body()
			.get("id")
			.asLong();
	}

	private void resident(CurrentUser worker, String key, String name, long node, String room) {
		Random random = new Random();
		String idNumber = TestIdNumbers.next();
		this.ids.put(key, this.residents.create(worker, new ResidentService.ResidentForm(name, null, idNumber,
				"139" + String.format("%08d", random.nextInt(100_000_000)), node, room, "其他", null, "常住", null)));
		this.idNumbers.put(key, idNumber);
	}

	private RestClient client() {
		return RestClient.builder().baseUrl(baseUrl()).defaultHeader("Authorization", "Bearer " + this.token).build();
	}

	private Answer call(String method, String path, Object body) {
		RestClient.RequestBodySpec request = client().method(HttpMethod.valueOf(method)).uri(path);
		if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange((req, response) -> {
			byte[] bytes = response.getBody().readAllBytes();
			return new Answer(response.getStatusCode().value(), bytes.length == 0 ? null : JSON.readTree(bytes));
		});
	}

	private JsonNode ok(String method, String path, Object body, int status) {
		Answer answer = call(method, path, body);
		assertThat(answer.status()).as("%s %s → %s", method, path, answer.body()).isEqualTo(status);
		return answer.body();
	}

	/** The gate's decision for the person going this way, at {@code at} (null: now). */
	private JsonNode scan(String key, String direction, Instant at) {
		Map<String, Object> body = new HashMap<>();
		body.put("idNumber", this.idNumbers.get(key));
		body.put("direction", direction);
		body.put("temperature", "36.5");
		body.put("idempotencyKey", UUID.randomUUID().toString());
		if (at != null) {
			body.put("scannedAt", at.toString());
		}
		return ok("POST", "/api/v1/checkpoints/" + this.gate + "/scans", body, 200);
	}

	private void swab(long round, String barcode, String... keys) {
		for (String key : keys) {
			ok("POST", "/api/v1/testing/rounds/" + round + "/tubes/" + barcode + "/samples",
					Map.of("idNumber", this.idNumbers.get(key)), 200);
		}
		ok("POST", "/api/v1/testing/rounds/" + round + "/tubes/" + barcode + "/close", null, 200);
	}

	private JsonNode labResult(String barcode, String result) {
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", new ByteArrayResource(
				("试管条码,检测结果,检测时间\n" + barcode + "," + result + ",\n").getBytes(StandardCharsets.UTF_8)) {
			@Override
			public String getFilename() {
				return "lab.csv";
			}
		});
		return client().post()
			.uri("/api/v1/testing/results/imports")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.exchange((req, response) -> {
				assertThat(response.getStatusCode().value()).isEqualTo(200);
				return JSON.readTree(response.getBody().readAllBytes());
			});
	}

	@Test
	void aPositivePooledTubeEndsWithTheNeighbourQuarantinedAndDeniedAtTheGate() {
		Instant now = Instant.now();
		// Before anything is known: the case comes in through the east gate, the
		// neighbour goes out two minutes later.
		assertThat(scan("case", "IN", now.minusSeconds(30 * 60)).get("decision").asString()).isEqualTo("ALLOW");
		assertThat(scan("neighbour", "OUT", now.minusSeconds(28 * 60)).get("decision").asString()).isEqualTo("ALLOW");

		long round = ok("POST", "/api/v1/testing/rounds",
				Map.of("nodeId", this.tree.communityA1().id(), "name", "第1轮", "poolSize", 10, "startsAt",
						now.minusSeconds(3600).toString(), "endsAt", now.plusSeconds(86_400).toString()),
				201)
			.get("id")
			.asLong();
		String pooled = "P" + this.tag;
		swab(round, pooled, "case", "tubeMate");
		JsonNode report = labResult(pooled, "阳性");
		assertThat(report.get("positiveTubes")).hasSize(1);

		// Pending re-test (待复核): the tube mate may not go out, and the community is told;
		// coming home is allowed.
		JsonNode out = scan("tubeMate", "OUT", null);
		assertThat(out.get("decision").asString()).isEqualTo("DENY");
		assertThat(out.get("reason").asString()).isEqualTo("gate.deny.pendingRetest");
		assertThat(this.jdbc.sql("select kind from checkpoint_alert where scan_id = :scan")
			.param("scan", out.get("scanId").asLong())
			.query(String.class)
			.list()).containsExactly("RESTRICTED_OUT");
		assertThat(scan("tubeMate", "IN", null).get("decision").asString()).isEqualTo("ALLOW");

		// His individual re-test (a tube of one) comes back negative: released.
		String mateRetest = "R" + this.tag + "1";
		swab(round, mateRetest, "tubeMate");
		assertThat(ok("GET", "/api/v1/testing/rounds/" + round + "/tubes/" + mateRetest, null, 200).get("capacity")
			.asInt()).isEqualTo(1);
		labResult(mateRetest, "阴性");
		assertThat(scan("tubeMate", "OUT", null).get("decision").asString()).isEqualTo("ALLOW");

		// The other's individual re-test is positive: a case, denied at the gate both
		// ways.
		String caseRetest = "R" + this.tag + "2";
		swab(round, caseRetest, "case");
		labResult(caseRetest, "阳性");
		long caseId = 0;
		for (JsonNode c : ok("GET", "/api/v1/cases", null, 200)) {
			if (c.get("residentId").asLong() == this.ids.get("case")) {
				caseId = c.get("id").asLong();
				assertThat(c.get("foundBy").asString()).isEqualTo("COMMUNITY_SAMPLING");
				assertThat(c.get("status").asString()).isEqualTo("HOME_ISOLATED");
			}
		}
		assertThat(caseId).as("a case opened from the individual positive").isPositive();
		assertThat(scan("case", "OUT", null).get("reason").asString()).isEqualTo("gate.deny.case");
		assertThat(scan("case", "IN", null).get("reason").asString()).isEqualTo("gate.deny.case");

		// Candidates, each with its reasons.
		JsonNode candidates = ok("GET", "/api/v1/cases/" + caseId + "/contact-candidates", null, 200);
		Map<Long, List<String>> reasons = new HashMap<>();
		for (JsonNode candidate : candidates) {
			if (candidate.get("residentId").isNull()) {
				continue;
			}
			List<String> kinds = new ArrayList<>();
			candidate.get("reasons").forEach(r -> kinds.add(r.get("kind").asString()));
			reasons.put(candidate.get("residentId").asLong(), kinds);
			assertThat(candidate.get("name").asString()).as("names are masked").contains("*");
		}
		assertThat(reasons.get(this.ids.get("household"))).contains("HOUSEHOLD", "SAME_UNIT");
		assertThat(reasons.get(this.ids.get("tubeMate"))).contains("SAME_TUBE");
		assertThat(reasons.get(this.ids.get("neighbour"))).contains("GATE_WINDOW", "SAME_UNIT");
		assertThat(reasons).doesNotContainKey(this.ids.get("case"));

		// Confirm the neighbour as a close contact and quarantine the confirmed: once,
		// however often asked.
		long contact = ok("POST", "/api/v1/cases/" + caseId + "/contacts",
				Map.of("residentId", this.ids.get("neighbour"), "category", "CLOSE", "reason", "东门前后两分钟，未戴口罩"), 201)
			.get("id")
			.asLong();
		assertThat(contact).isPositive();
		assertThat(ok("POST", "/api/v1/cases/" + caseId + "/contacts/quarantine", Map.of("kind", "CENTRALISED"), 200)
			.get("started")
			.asInt()).isEqualTo(1);
		assertThat(ok("POST", "/api/v1/cases/" + caseId + "/contacts/quarantine", Map.of("kind", "CENTRALISED"), 200)
			.get("started")
			.asInt()).isZero();
		JsonNode denied = scan("neighbour", "OUT", null);
		assertThat(denied.get("decision").asString()).isEqualTo("DENY");
		assertThat(denied.get("reason").asString()).isEqualTo("gate.deny.quarantine");
		assertThat(this.jdbc.sql("""
				select kind || ' ' || test_days::text from quarantine where resident_id = :r and released_at is null""")
			.param("r", this.ids.get("neighbour"))
			.query(String.class)
			.single()).isEqualTo("CENTRALISED {1,2,3,5,7}");

		// His quarantine's test day takes its result from the lab import, not from
		// typing.
		String neighbourTube = "Q" + this.tag;
		swab(round, neighbourTube, "neighbour");
		labResult(neighbourTube, "阴性");
		assertThat(this.jdbc.sql("""
				select t.result from quarantine_test t join quarantine q on q.id = t.quarantine_id
				where q.resident_id = :r and q.released_at is null""")
			.param("r", this.ids.get("neighbour"))
			.query(String.class)
			.list()).containsExactly("NEGATIVE");
	}

	@Test
	void theDashboardCountsTheDaysCasesAndContactsOfTheSubtree() {
		java.time.LocalDate today = java.time.LocalDate.now(org.fangxian.shared.ChinaStandardTime.ZONE);
		String dashboard = "/api/v1/dashboard?code=" + this.tree.communityA1().code() + "&date=";
		JsonNode before = ok("GET", dashboard + today, null, 200).get("more").get("tracing");
		assertThat(before.get("newCases").asLong()).isZero();
		long caseId = ok("POST", "/api/v1/cases", Map.of("residentId", this.ids.get("case"), "kind", "CONFIRMED"), 201)
			.get("id")
			.asLong();
		ok("POST", "/api/v1/cases/" + caseId + "/contacts",
				Map.of("residentId", this.ids.get("neighbour"), "category", "CLOSE", "reason", "同一楼道"), 201);
		ok("POST", "/api/v1/cases/" + caseId + "/contacts",
				Map.of("residentId", this.ids.get("tubeMate"), "category", "SECONDARY", "reason", "与密接同乘电梯"), 201);
		ok("POST", "/api/v1/cases/" + caseId + "/contacts",
				Map.of("residentId", this.ids.get("household"), "category", "NONE", "reason", "外地出差"), 201);

		JsonNode figures = ok("GET", dashboard + today, null, 200).get("more").get("tracing");
		assertThat(figures.get("newCases").asLong()).isEqualTo(1);
		assertThat(figures.get("openCases").asLong()).isEqualTo(1);
		assertThat(figures.get("newCloseContacts").asLong()).isEqualTo(1);
		assertThat(figures.get("newSecondaryContacts").asLong()).as("\"not a contact\" counts nowhere").isEqualTo(1);
		JsonNode yesterday = ok("GET", dashboard + today.minusDays(1), null, 200).get("more").get("tracing");
		assertThat(yesterday.get("newCases").asLong()).isZero();
		assertThat(yesterday.get("openCases").asLong()).as("reported today: not open yesterday").isZero();
		assertThat(yesterday.get("newCloseContacts").asLong()).isZero();
	}

	@Test
	void badInputGetsAProblemNotAServerError() {
		Answer noKind = call("POST", "/api/v1/cases", Map.of("residentId", this.ids.get("case")));
		assertThat(noKind.status()).isEqualTo(400);
		assertThat(noKind.body().get("errors").get(0).get("field").asString()).isEqualTo("kind");
		Answer badKind = call("POST", "/api/v1/cases", Map.of("residentId", this.ids.get("case"), "kind", "MAYBE"));
		assertThat(badKind.status()).isEqualTo(400);
		long caseId = ok("POST", "/api/v1/cases", Map.of("residentId", this.ids.get("case"), "kind", "CONFIRMED",
				"onsetAt", Instant.now().minusSeconds(86_400).toString()), 201)
			.get("id")
			.asLong();
		// the same person again (a retried request): the same open case
		assertThat(ok("POST", "/api/v1/cases", Map.of("residentId", this.ids.get("case"), "kind", "CONFIRMED"), 201)
			.get("id")
			.asLong()).isEqualTo(caseId);
		assertThat(call("POST", "/api/v1/cases/" + caseId + "/contacts",
				Map.of("residentId", this.ids.get("household"), "category", "CLOSE"))
			.status()).isEqualTo(400);
		assertThat(call("POST", "/api/v1/cases/" + caseId + "/contacts",
				Map.of("residentId", this.ids.get("case"), "category", "CLOSE", "reason", "x"))
			.status()).isEqualTo(400);
		assertThat(
				call("POST", "/api/v1/cases/" + caseId + "/contacts/quarantine", Map.of("kind", "SOMEWHERE")).status())
			.isEqualTo(400);
		// discharged before being transferred: the record refuses
		Answer early = call("POST", "/api/v1/cases/" + caseId + "/discharge", Map.of());
		assertThat(early.status()).isEqualTo(400);
		assertThat(ok("POST", "/api/v1/cases/" + caseId + "/transfer", Map.of("to", "市传染病医院"), 200).get("status")
			.asString()).isEqualTo("TRANSFERRED");
		assertThat(ok("POST", "/api/v1/cases/" + caseId + "/discharge", Map.of(), 200).get("status").asString())
			.isEqualTo("DISCHARGED");
		assertThat(scan("case", "OUT", null).get("decision").asString()).as("a discharged case passes again")
			.isEqualTo("ALLOW");
	}

}
