package org.fangxian.testing.internal;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * People outside the registry sampled on the spot (a road checkpoint's re-test, a walk-in
 * worker), over HTTP: registered encrypted, pooled with residents, reached by the lab's
 * result, counted per road checkpoint and day, and seen only within the jurisdiction.
 */
class SubjectSamplingTest extends IntegrationTest {

	@Autowired
	Rounds rounds;

	@Autowired
	ResidentService residents;

	@Autowired
	LabResults results;

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	java.time.Clock clock;

	TestingFixture f;

	Round round;

	Checkpoint road;

	Checkpoint gate;

	RestClient streetSampler;

	RestClient otherSampler;

	RestClient streetAdmin;

	RestClient otherWorker;

	String tube;

	@BeforeEach
	void setUp() {
		this.f = new TestingFixture(this.data, this.residents);
		this.round = this.f.openRound(this.rounds, 5);
		CurrentUser hq = this.data.user(Role.HQ_ADMIN, this.f.tree.district());
		this.road = this.checkpoints.create(hq,
				new Checkpoints.NewCheckpoint(this.f.tree.streetA().id(), "哈同公路检查站", "00:00-24:00", 2, "ROAD"));
		this.gate = this.checkpoints.create(hq,
				new Checkpoints.NewCheckpoint(this.f.tree.communityA1().id(), "东门", "07:00-21:00", 1));
		this.streetSampler = client(Role.SAMPLER, this.f.tree.streetA());
		this.otherSampler = client(Role.SAMPLER, this.f.tree.communityA2());
		this.streetAdmin = client(Role.STREET_ADMIN, this.f.tree.streetA());
		this.otherWorker = client(Role.COMMUNITY_WORKER, this.f.tree.communityA2());
		this.tube = "N" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
	}

	private RestClient client(Role role, org.fangxian.TestData.NodeRef node) {
		String token = this.data.token(baseUrl(), this.data.account(role, node));
		return RestClient.builder().baseUrl(baseUrl()).defaultHeader("Authorization", "Bearer " + token).build();
	}

	private static Map.Entry<HttpStatusCode, JsonNode> post(RestClient http, String uri, Object body, Object... vars) {
		return http.post()
			.uri(uri, vars)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange((req, res) -> Map.entry(res.getStatusCode(), JsonMapper.shared().readTree(res.getBody())));
	}

	private Map.Entry<HttpStatusCode, JsonNode> subject(RestClient http, Map<String, Object> body) {
		return post(http, "/api/v1/testing/rounds/{r}/tubes/{b}/subjects", body, this.round.id(), this.tube);
	}

	private static JsonNode get(RestClient http, String uri, Object... vars) {
		return JsonMapper.shared().readTree(http.get().uri(uri, vars).retrieve().body(String.class));
	}

	@Test
	void aRoadRetestAndAWalkInArePooledWithAResidentAndTheirResultReachesThem() {
		String driver = TestIdNumbers.next();
		String worker = TestIdNumbers.next();
		post(this.streetSampler, "/api/v1/testing/rounds/{r}/tubes/{b}/samples",
				Map.of("idNumber", this.f.idNumbers.get("r1")), this.round.id(), this.tube);
		Map.Entry<HttpStatusCode, JsonNode> first = subject(this.streetSampler,
				Map.of("idNumber", driver, "name", "欧阳娜娜", "phone", "13912345678", "checkpointId", this.road.id()));
		assertThat(first.getKey()).as(first.getValue().toString()).isEqualTo(HttpStatusCode.valueOf(200));
		JsonNode tube = subject(this.streetSampler, Map.of("idNumber", worker, "name", "刘强", "phone", "13800001111",
				"idempotencyKey", UUID.randomUUID().toString()))
			.getValue();
		assertThat(tube.get("count").asInt()).isEqualTo(3);
		assertThat(tube.get("othersCount").asInt()).as("all three are the sampler's to see").isZero();
		assertThat(values(tube.get("people"), "name")).containsExactly("王*", "欧***", "刘*");
		// Sent again (a retry): the same person, still three swabs.
		subject(this.streetSampler,
				Map.of("idNumber", driver, "name", "欧阳娜娜", "phone", "13912345678", "checkpointId", this.road.id()));
		assertThat(this.jdbc.sql("select count(*) from sample where tube_id = (select id from tube where barcode = :b)")
			.param("b", this.tube)
			.query(Long.class)
			.single()).isEqualTo(3);

		// Kept as residents are: encrypted, hashed, masked; never in clear.
		Map<String, Object> row = this.jdbc.sql(
				"select id_masked, phone_masked, encode(id_cipher, 'escape') as cipher from testing_subject where name = '欧阳娜娜'")
			.query()
			.singleRow();
		assertThat((String) row.get("cipher")).doesNotContain(driver);
		assertThat((String) row.get("id_masked")).doesNotContain(driver.substring(6, 14));
		assertThat((String) row.get("phone_masked")).contains("*").doesNotContain("12345678");

		// The community sampler next door sees nothing of them.
		assertThat(get(this.otherWorker, "/api/v1/testing/subjects")).isEmpty();
		assertThat(
				status(this.otherSampler.get().uri("/api/v1/testing/rounds/{r}/tubes/{b}", this.round.id(), this.tube)))
			.isIn(403, 404);

		post(this.streetSampler, "/api/v1/testing/rounds/{r}/tubes/{b}/close", Map.of(), this.round.id(), this.tube);
		this.results.importFile(this.f.worker, "lab.csv", (this.tube + ",阳性,\n").getBytes(StandardCharsets.UTF_8));
		JsonNode swabs = get(this.streetAdmin, "/api/v1/testing/subjects");
		assertThat(swabs).hasSize(2);
		for (JsonNode swab : swabs) {
			assertThat(swab.get("result").asString()).isEqualTo("POSITIVE");
			assertThat(swab.get("individual").asBoolean()).as("a pooled tube: each is to be re-tested alone").isFalse();
			assertThat(swab.get("barcode").asString()).isEqualTo(this.tube);
		}
		assertThat(values(swabs, "reason")).containsExactlyInAnyOrder("ROAD_RETEST", "WALK_IN");
		// Outside the registry there is no pass to look a result up: each of the two is
		// texted, once, without the word "positive" (a pooled tube is not yet theirs).
		List<String> texts = this.jdbc.sql("""
				select body from outbox_message where template = 'sms.testing.subjectResult'
				and dedupe_key like 'testing:tube:' || (select id from tube where barcode = :b) || ':%'""")
			.param("b", this.tube)
			.query(String.class)
			.list();
		assertThat(texts).hasSize(2)
			.allSatisfy(text -> assertThat(text).contains("样本需要复核").contains("保持电话畅通").doesNotContain("阳性"));
		this.results.importFile(this.f.worker, "lab.csv", (this.tube + ",阳性,\n").getBytes(StandardCharsets.UTF_8));
		assertThat(this.jdbc.sql("""
				select count(*) from outbox_message where template = 'sms.testing.subjectResult'
				and dedupe_key like 'testing:tube:' || (select id from tube where barcode = :b) || ':%'""")
			.param("b", this.tube)
			.query(Long.class)
			.single()).as("the same file again texts nobody twice").isEqualTo(2);
		assertThat(values(swabs, "name")).containsExactlyInAnyOrder("欧**娜", "刘*");
		assertThat(this.jdbc
			.sql("select count(*) from testing_followup where tube_id = (select id from tube where barcode = :b)")
			.param("b", this.tube)
			.query(Long.class)
			.single()).as("the resident's follow-up is made as before").isEqualTo(1);

		// The road page's figure: re-tests actually taken today at the checkpoint.
		JsonNode count = get(this.streetAdmin, "/api/v1/testing/road-retests?checkpointId={c}", this.road.id());
		assertThat(count.get("taken").asLong()).isEqualTo(1);
		assertThat(count.get("date").asString()).isEqualTo(LocalDate.now(this.clock).toString());
		assertThat(get(this.streetAdmin, "/api/v1/testing/road-retests?checkpointId={c}&date={d}", this.road.id(),
				LocalDate.now(this.clock).minusDays(1))
			.get("taken")
			.asLong()).isZero();
	}

	@Test
	void aResidentOfTheRoundTypedInAsAStrangerIsSampledAsTheResident() {
		JsonNode tube = subject(this.streetSampler,
				Map.of("idNumber", this.f.idNumbers.get("r2"), "name", "随便", "phone", "13900000000"))
			.getValue();
		assertThat(tube.get("people").get(0).get("residentId").asLong()).isEqualTo(this.f.id("r2"));
		assertThat(this.jdbc.sql("select count(*) from testing_subject where name = '随便'").query(Long.class).single())
			.isZero();
	}

	@Test
	void badInputIsRefusedWithItsField() {
		assertField(subject(this.streetSampler, Map.of("idNumber", "123", "name", "刘强", "phone", "13800001111")),
				"idNumber");
		assertField(subject(this.streetSampler,
				Map.of("idNumber", TestIdNumbers.next(), "name", " ", "phone", "13800001111")), "name");
		assertField(subject(this.streetSampler, Map.of("idNumber", TestIdNumbers.next(), "name", "刘强", "phone", "12")),
				"phone");
		assertField(subject(this.streetSampler, Map.of("idNumber", TestIdNumbers.next(), "name", "刘强", "phone",
				"13800001111", "checkpointId", this.gate.id())), "checkpointId");
		assertThat(status(this.streetAdmin.get()
			.uri("/api/v1/testing/road-retests?checkpointId={c}&date=yesterday", this.road.id()))).isEqualTo(400);
		assertThat(status(this.otherWorker.get().uri("/api/v1/testing/road-retests?checkpointId={c}", this.road.id())))
			.as("not their checkpoint")
			.isIn(403, 404);
		assertThat(status(this.streetAdmin.get().uri("/api/v1/testing/subjects?from=2022-01-01&to=2022-12-31")))
			.isEqualTo(400);
		// A road checkpoint outside the caller's jurisdiction is not theirs to name.
		assertThat(subject(this.otherSampler, Map.of("idNumber", TestIdNumbers.next(), "name", "刘强", "phone",
				"13800001111", "checkpointId", this.road.id()))
			.getKey()
			.value()).isIn(403, 404);
		assertThat(this.jdbc.sql("select count(*) from tube where barcode = :b")
			.param("b", this.tube)
			.query(Long.class)
			.single()).as("no half state").isZero();
	}

	private static int status(RestClient.RequestHeadersSpec<?> request) {
		Integer status = request.exchange((req, res) -> res.getStatusCode().value());
		return status;
	}

	private static List<String> values(JsonNode array, String field) {
		List<String> values = new java.util.ArrayList<>();
		array.forEach(item -> values.add(item.get(field).asString()));
		return values;
	}

	private static void assertField(Map.Entry<HttpStatusCode, JsonNode> answer, String field) {
		assertThat(answer.getKey()).as(answer.getValue().toString()).isEqualTo(HttpStatusCode.valueOf(400));
		assertThat(answer.getValue().get("errors").get(0).get("field").asString()).isEqualTo(field);
	}

}
