package org.fangxian.testing.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.registry.ResidentService;
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
 * Swabs sent late by a phone that was offline, over HTTP: the phone's key names the swab
 * (even without an {@code Idempotency-Key} header, e.g. after signing in again), its time
 * is the swab's, and a key comes once per round whatever happened to the tube since.
 */
class OfflineSamplingTest extends IntegrationTest {

	@Autowired
	Rounds rounds;

	@Autowired
	ResidentService residents;

	TestingFixture f;

	Round round;

	RestClient http;

	String tube;

	@BeforeEach
	void setUp() {
		this.f = new TestingFixture(this.data, this.residents);
		this.round = this.f.openRound(this.rounds, 5);
		String token = this.data.token(baseUrl(), this.data.account(Role.SAMPLER, this.f.tree.communityA1()));
		this.http = RestClient.builder().baseUrl(baseUrl()).defaultHeader("Authorization", "Bearer " + token).build();
		this.tube = "K" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
	}

	private Map.Entry<HttpStatusCode, JsonNode> sample(String tube, Map<String, Object> body) {
		return this.http.post()
			.uri("/api/v1/testing/rounds/{r}/tubes/{b}/samples", this.round.id(), tube)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange((req, res) -> Map.entry(res.getStatusCode(), JsonMapper.shared().readTree(res.getBody())));
	}

	private long samples(String key) {
		return this.jdbc.sql("select count(*) from sample where client_key = :k")
			.param("k", key)
			.query(Long.class)
			.single();
	}

	@Test
	void aSwabSentAgainAfterItsTubeClosedIsTheSameSwab() {
		String key = UUID.randomUUID().toString();
		Instant taken = Instant.now().minus(40, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
		Map<String, Object> swab = Map.of("idNumber", this.f.idNumbers.get("r1"), "idempotencyKey", key, "takenAt",
				taken.toString());
		assertThat(sample(this.tube, swab).getKey()).isEqualTo(HttpStatusCode.valueOf(200));
		this.http.post()
			.uri("/api/v1/testing/rounds/{r}/tubes/{b}/close", this.round.id(), this.tube)
			.retrieve()
			.toBodilessEntity();

		// The phone never heard the answer: it sends the swab again, with no header.
		Map.Entry<HttpStatusCode, JsonNode> again = sample(this.tube, swab);
		assertThat(again.getKey()).isEqualTo(HttpStatusCode.valueOf(200));
		assertThat(again.getValue().get("status").asString()).isEqualTo("CLOSED");
		assertThat(again.getValue().get("count").asInt()).isEqualTo(1);
		// Even named with another tube it is the swab already taken, not a second one.
		String other = "K" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
		assertThat(sample(other, swab).getValue().get("barcode").asString()).isEqualTo(this.tube);
		assertThat(samples(key)).isEqualTo(1);
		assertThat(this.jdbc.sql("select taken_at from sample where client_key = :k")
			.param("k", key)
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant()).as("when it was swabbed, not when it arrived").isEqualTo(taken);
	}

	@Test
	void aPhoneClockAheadGivesNowAndTooOldOrMalformedIsRefused() {
		String key = UUID.randomUUID().toString();
		Instant before = Instant.now();
		sample(this.tube, Map.of("idNumber", this.f.idNumbers.get("r1"), "idempotencyKey", key, "takenAt",
				Instant.now().plus(3, ChronoUnit.HOURS).toString()));
		assertThat(this.jdbc.sql("select taken_at from sample where client_key = :k")
			.param("k", key)
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));

		Map.Entry<HttpStatusCode, JsonNode> old = sample(this.tube,
				Map.of("idNumber", this.f.idNumbers.get("r2"), "idempotencyKey", UUID.randomUUID().toString(),
						"takenAt", Instant.now().minus(3, ChronoUnit.DAYS).toString()));
		assertThat(old.getKey()).isEqualTo(HttpStatusCode.valueOf(400));
		assertThat(old.getValue().get("code").asString()).isEqualTo("testing.sample.takenAt.tooOld");

		Map.Entry<HttpStatusCode, JsonNode> malformed = sample(this.tube,
				Map.of("idNumber", this.f.idNumbers.get("r2"), "idempotencyKey", "x' or 1=1"));
		assertThat(malformed.getKey()).isEqualTo(HttpStatusCode.valueOf(400));
		assertThat(malformed.getValue().get("errors").get(0).get("field").asString()).isEqualTo("idempotencyKey");

		Map.Entry<HttpStatusCode, JsonNode> badTime = sample(this.tube,
				Map.of("idNumber", this.f.idNumbers.get("r2"), "takenAt", "yesterday"));
		assertThat(badTime.getKey().is4xxClientError()).as("an unreadable time is the phone's mistake").isTrue();
	}

}
