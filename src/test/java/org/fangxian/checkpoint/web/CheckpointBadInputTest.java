package org.fangxian.checkpoint.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input at the checkpoint API that used to answer 500: a risk-area list that is no
 * CSV (a quote never closed), road rules without their divert levels. Each is a 400
 * naming the field, and nothing of it is kept.
 */
class CheckpointBadInputTest extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.shared();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void roadRulesWithoutTheirDivertLevelsAreBadInputAndKeepTheOldOnes() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		HttpResponse<String> created = send(hq, "POST", "/api/v1/checkpoints", "{\"nodeId\":" + tree.district().id()
				+ ",\"name\":\"高速入口\",\"openingHours\":\"24h\",\"posts\":2,\"kind\":\"ROAD\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String rules = "/api/v1/checkpoints/" + JSON.readTree(created.body()).get("id").asLong() + "/road-rules";
		HttpResponse<String> set = send(hq, "PUT", rules, "{\"testValidityHours\":24,\"divertLevels\":[\"HIGH\"]}");
		assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
		for (String body : new String[] { "{\"testValidityHours\":48}",
				"{\"testValidityHours\":48,\"divertLevels\":null}" }) {
			HttpResponse<String> reply = send(hq, "PUT", rules, body);
			assertThat(reply.statusCode()).as(body + " → " + reply.body()).isEqualTo(400);
			assertThat(JSON.readTree(reply.body()).get("code").asString()).isEqualTo("road.levels.required");
		}
		// a null among the levels is no level: the body cannot be read
		HttpResponse<String> nullLevel = send(hq, "PUT", rules, "{\"testValidityHours\":48,\"divertLevels\":[null]}");
		assertThat(nullLevel.statusCode()).as(nullLevel.body()).isEqualTo(400);
		HttpResponse<String> now = send(hq, "GET", rules, null);
		assertThat(JSON.readTree(now.body()).get("testValidityHours").asInt()).isEqualTo(24);
		assertThat(JSON.readTree(now.body()).get("divertLevels").get(0).asString()).isEqualTo("HIGH");
	}

	private HttpResponse<String> send(String token, String method, String path, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + token);
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		return this.http.send(request
			.method(method,
					json == null ? HttpRequest.BodyPublishers.noBody()
							: HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anUnclosedQuoteIsBadInputAndImportsNothing() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		String code = "98" + String.format("%04d", (int) (Math.random() * 10000)) + "000000";
		String csv = "区划代码,等级,生效日期\n" + code + ",高," + LocalDate.now() + "\n" + code + ",中,\"2026-01-01\n";
		String boundary = "risk" + UUID.randomUUID();
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"风险地区.csv\"\r\n"
				+ "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
		HttpResponse<String> reply = this.http
			.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/risk-areas/imports"))
				.header("Authorization", "Bearer " + hq)
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
		assertThat(JSON.readTree(reply.body()).get("code").asString()).isEqualTo("risk.import.unreadable");
		assertThat(this.jdbc.sql("select count(*) from risk_area where division_code = :code")
			.param("code", code)
			.query(Integer.class)
			.single()).isZero();
	}

}
