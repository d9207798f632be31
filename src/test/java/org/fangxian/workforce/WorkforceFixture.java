package org.fangxian.workforce;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * Calls of the workforce API over real HTTP, and people nobody else in the shared
 * database has.
 */
final class WorkforceFixture {

	static final JsonMapper JSON = JsonMapper.builder().build();

	record Answer(int status, JsonNode body) {
	}

	private final RestClient client;

	WorkforceFixture(String baseUrl, String token) {
		this.client = RestClient.builder().baseUrl(baseUrl).defaultHeader("Authorization", "Bearer " + token).build();
	}

	Answer importFile(String filename, byte[] content) {
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", new ByteArrayResource(content) {
			@Override
			public String getFilename() {
				return filename;
			}
		});
		return post("/api/v1/volunteers/imports", parts, MediaType.MULTIPART_FORM_DATA);
	}

	Answer importCsv(String csv) {
		return importFile("志愿者.csv", csv.getBytes(StandardCharsets.UTF_8));
	}

	Answer post(String path, Object body, MediaType type) {
		return this.client.post()
			.uri(path)
			.contentType(type)
			.body(body)
			.exchange((request, response) -> new Answer(response.getStatusCode().value(),
					JSON.readTree(response.getBody().readAllBytes())));
	}

	Answer postJson(String path, String json) {
		return post(path, json, MediaType.APPLICATION_JSON);
	}

	Answer putJson(String path, String json) {
		return this.client.put()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(json)
			.exchange((request, response) -> new Answer(response.getStatusCode().value(),
					JSON.readTree(response.getBody().readAllBytes())));
	}

	Answer get(String path) {
		return this.client.get()
			.uri(path)
			.exchange((request, response) -> new Answer(response.getStatusCode().value(),
					JSON.readTree(response.getBody().readAllBytes())));
	}

	/** Generates a roster and waits (polling) until it is DONE. */
	JsonNode solve(String code, LocalDate from, LocalDate to, int seconds) throws InterruptedException {
		Answer created = postJson("/api/v1/rosters", "{\"code\":\"" + code + "\",\"from\":\"" + from + "\",\"to\":\""
				+ to + "\",\"seconds\":" + seconds + "}");
		if (created.status() != 202) {
			throw new AssertionError(created.toString());
		}
		long id = created.body().get("id").asLong();
		long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60L).toNanos();
		while (System.nanoTime() < deadline) {
			Answer roster = get("/api/v1/rosters/" + id);
			String state = roster.body().get("state").asString();
			if (state.equals("DONE")) {
				return roster.body();
			}
			if (!state.equals("SOLVING")) {
				throw new AssertionError("roster " + id + " ended " + roster.body());
			}
			Thread.sleep(200);
		}
		throw new AssertionError("roster " + id + " still solving");
	}

}
