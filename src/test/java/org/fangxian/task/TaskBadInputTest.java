package org.fangxian.task;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.security.Role;
import org.fangxian.task.internal.AttachmentsTestImages;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad photos and findings at the task API: a null where a photo should be, and a JPEG
 * whose header claims billions of pixels, are answered 400 and change nothing.
 */
class TaskBadInputTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> post(String token, String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void assertBadInput(HttpResponse<String> reply, String code) {
		assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
		assertThat(JSON.readTree(reply.body()).get("code").asString()).isEqualTo(code);
	}

	@Test
	void aNullPhotoOrAPixelBombInTheFindingsIsBadInputAndRecordsNothing() throws Exception {
		TestData.Tree tree = this.data.tree();
		String worker = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		HttpResponse<String> planned = post(worker, "/api/v1/inspections",
				"{\"kind\":\"COMMUNITY_GATE\",\"nodeId\":" + tree.communityA1().id() + "}");
		assertThat(planned.statusCode()).as(planned.body()).isEqualTo(201);
		JsonNode inspection = JSON.readTree(planned.body());
		long id = inspection.get("id").asLong();
		List<String> findings = new ArrayList<>();
		for (JsonNode item : inspection.get("items")) {
			findings.add("{\"itemId\":" + item.get("id").asLong() + ",\"passed\":true}");
		}
		String answered = "\"findings\":[" + String.join(",", findings) + "]";
		String path = "/api/v1/inspections/" + id + "/findings";

		assertBadInput(post(worker, path, "{" + answered + ",\"photos\":[null]}"), "task.attachment.required");
		String bomb = Base64.getEncoder().encodeToString(AttachmentsTestImages.jpegClaiming(65_500, 65_500));
		assertBadInput(post(worker, path, "{" + answered + ",\"photos\":[{\"content\":\"" + bomb + "\"}]}"),
				"task.attachment.tooManyPixels");
		assertThat(this.jdbc.sql("select state from inspection where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).isEqualTo("PLANNED");
		// still open for the real submission
		HttpResponse<String> recorded = post(worker, path, "{" + answered + "}");
		assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(200);
	}

	@Test
	void aPixelBombAsAVerificationsEvidenceIsBadInput() throws Exception {
		TestData.Tree tree = this.data.tree();
		String worker = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		HttpResponse<String> taken = post(worker, "/api/v1/work-orders",
				"{\"channel\":\"12345\",\"content\":\"楼下噪音\",\"callerPhone\":\"" + TestPhoneNumbers.next()
						+ "\",\"nodeId\":" + tree.communityA1().id() + ",\"category\":\"噪音\"}");
		assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
		long order = JSON.readTree(taken.body()).get("id").asLong();
		String bomb = Base64.getEncoder().encodeToString(AttachmentsTestImages.jpegClaiming(65_500, 65_500));
		assertBadInput(
				post(worker, "/api/v1/work-orders/" + order + "/verification",
						"{\"verdict\":\"CONFIRMED\",\"note\":\"属实\",\"evidence\":[\"" + bomb + "\"]}"),
				"task.attachment.tooManyPixels");
	}

}
