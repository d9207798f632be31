package org.fangxian.checkpoint.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan's path ({@link ScanEndpoint}, outside Spring MVC's handler methods) answers as
 * every other API call does: the decision's JSON in the caller's language (?lang=), a
 * retry replayed, and each refusal the same problem with its code, without a row.
 */
class ScanEndpointTest extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.shared();

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	ResidentService residents;

	TestData.Tree tree;

	String token;

	long gate;

	String idNumber;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.token = this.data.token(baseUrl(), worker.username());
		long compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		long building = this.data.node(compound, "BUILDING", null, "1栋").id();
		this.idNumber = TestIdNumbers.next();
		this.residents.create(worker, new ResidentService.ResidentForm("王建国", null, this.idNumber, "13912345678",
				building, "101", "其他", null, "常住", null));
		this.gate = checkpoint(this.token, this.tree.communityA1().id(), "东门");
	}

	private long checkpoint(String token, long node, String name) {
		String saved = this.token;
		this.token = token;
		try {
			HttpResponse<String> created = send("POST", "/api/v1/checkpoints", "application/json",
					"{\"nodeId\":" + node + ",\"name\":\"" + name + "\"}", Map.of());
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			return JSON.readTree(created.body()).get("id").asLong();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			this.token = saved;
		}
	}

	private String body(String key) {
		return "{\"idNumber\":\"" + this.idNumber + "\",\"direction\":\"IN\",\"temperature\":\"36.5\","
				+ "\"idempotencyKey\":\"" + key + "\"}";
	}

	private HttpResponse<String> send(String method, String path, String contentType, String body,
			Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
		if (this.token != null) {
			request.header("Authorization", "Bearer " + this.token);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		headers.forEach(request::header);
		return this.http.send(request
			.method(method,
					body == null ? HttpRequest.BodyPublishers.noBody()
							: HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A scan, in English when {@code lang} is given (?lang=en, as a page's link sets it).
	 */
	private HttpResponse<String> scan(String body, String lang) throws Exception {
		return send("POST", "/api/v1/checkpoints/" + this.gate + "/scans" + (lang == null ? "" : "?lang=" + lang),
				"application/json", body, Map.of());
	}

	private int rows() {
		return this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :gate")
			.param("gate", this.gate)
			.query(Integer.class)
			.single();
	}

	private static JsonNode problem(HttpResponse<String> reply, int status) {
		assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
		assertThat(reply.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
		return JSON.readTree(reply.body());
	}

	@Test
	void aScanIsAnsweredInTheCallersLanguageAndARetryIsReplayed() throws Exception {
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = scan(body(key), null);
		assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
		assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
		JsonNode answer = JSON.readTree(first.body());
		assertThat(answer.propertyNames()).containsExactly("scanId", "decision", "reason", "message", "person",
				"replayed", "identity");
		assertThat(answer.get("decision").asString()).isEqualTo("ALLOW");
		assertThat(answer.get("replayed").asBoolean()).isFalse();
		assertThat(answer.get("person").asString()).isEqualTo("王**");
		assertThat(answer.get("message").asString()).isNotEqualTo(answer.get("reason").asString())
			.matches(".*\\p{IsHan}.*");
		assertThat(answer.get("identity").isObject()).isTrue();

		HttpResponse<String> again = scan(body(key), "en");
		JsonNode replay = JSON.readTree(again.body());
		assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
		assertThat(replay.get("replayed").asBoolean()).isTrue();
		assertThat(replay.get("scanId").asLong()).isEqualTo(answer.get("scanId").asLong());
		assertThat(replay.get("message").asString()).doesNotMatch(".*\\p{IsHan}.*");
		assertThat(rows()).isEqualTo(1);
	}

	@Test
	void whatIsNoScanIsRefusedWithItsCodeAndWritesNothing() throws Exception {
		String path = "/api/v1/checkpoints/" + this.gate + "/scans";
		Map<String, String> none = Map.of();
		Map<String, HttpResponse<String>> replies = new LinkedHashMap<>();
		replies.put("malformed JSON", send("POST", path, "application/json", "{\"idNumber\": ", none));
		replies.put("null", send("POST", path, "application/json", "null", none));
		replies.put("an array", send("POST", path, "application/json", "[" + body("x") + "]", none));
		replies.put("no body", send("POST", path, "application/json", null, none));
		for (Map.Entry<String, HttpResponse<String>> reply : replies.entrySet()) {
			JsonNode problem = problem(reply.getValue(), 400);
			assertThat(problem.get("code").asString()).as(reply.getKey()).isEqualTo("error.badRequest");
			assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("body");
		}

		JsonNode notANumber = problem(send("POST", "/api/v1/checkpoints/abc/scans", "application/json",
				body(UUID.randomUUID().toString()), none), 400);
		assertThat(notANumber.get("code").asString()).isEqualTo("error.badParameter");
		assertThat(notANumber.get("errors").get(0).get("field").asString()).isEqualTo("checkpointId");

		for (String type : new String[] { "text/plain", null, "application/xml", "application/json;;=" }) {
			JsonNode refused = problem(send("POST", path, type, body(UUID.randomUUID().toString()), none), 415);
			assertThat(refused.get("code").asString()).as(type).isEqualTo("error.badRequest");
		}
		HttpResponse<String> get = send("GET", path, null, null, none);
		assertThat(problem(get, 405).get("code").asString()).isEqualTo("error.badRequest");
		assertThat(get.headers().firstValue("Allow")).hasValue("POST");

		JsonNode unknown = problem(send("POST", "/api/v1/checkpoints/999999999/scans", "application/json",
				body(UUID.randomUUID().toString()), none), 404);
		assertThat(unknown.get("code").asString()).isNotBlank();
		assertThat(rows()).isZero();
	}

	@Test
	void aGateOutsideTheCallersJurisdictionOrACallWithoutATokenIsRefused() throws Exception {
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, this.tree.district()));
		long other = checkpoint(hq, this.tree.communityB1().id(), "西门");
		HttpResponse<String> outside = send("POST", "/api/v1/checkpoints/" + other + "/scans", "application/json",
				body(UUID.randomUUID().toString()), Map.of());
		assertThat(problem(outside, 403).get("code").asString()).isEqualTo("error.outsideJurisdiction");

		this.token = null;
		HttpResponse<String> anonymous = scan(body(UUID.randomUUID().toString()), null);
		// a POST without a bearer token is a browser's, and needs its CSRF token
		assertThat(problem(anonymous, 403).get("code").asString()).isEqualTo("auth.forbidden");
		assertThat(rows()).isZero();
		assertThat(this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :gate")
			.param("gate", other)
			.query(Integer.class)
			.single()).isZero();
	}

}
