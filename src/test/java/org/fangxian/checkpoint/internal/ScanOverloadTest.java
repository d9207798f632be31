package org.fangxian.checkpoint.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More scans at once than the gate API takes: what it cannot take is answered 503 with
 * Retry-After, quickly; the rest are served and each 2xx is exactly one row; the next
 * scan after the burst is served at once.
 */
class ScanOverloadTest extends IntegrationTest {

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	ResidentService residents;

	@Autowired
	@Qualifier("scanAdmissionFilter")
	FilterRegistrationBean<ScanAdmission.Limit> admission;

	record Answer(int status, String retryAfter, String key, long millis, String body) {
	}

	@AfterEach
	void back() {
		this.admission.getFilter().resize(16, 10);
	}

	@Test
	void aBurstBeyondTheLimitIsRefusedWith503AndRetryAfterAndEvery2xxIsOneRow() throws Exception {
		TestData.Tree tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		Checkpoint gate = this.checkpoints.create(worker,
				new Checkpoints.NewCheckpoint(tree.communityA1().id(), "北门", "00:00-24:00", 1));
		String idNumber = TestIdNumbers.next();
		this.residents.create(worker, new ResidentService.ResidentForm("孙立", null, idNumber, null,
				tree.communityA1().id(), "1", null, null, "常住", null));
		String token = this.data.token(baseUrl(), this.data.account(Role.CHECKPOINT_GUARD, tree.communityA1()));
		HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();

		// One scan at a time, no waiting for room: 48 guards pressing at once overflow
		// it.
		this.admission.getFilter().resize(1, 0);
		int burst = 48;
		ExecutorService pool = Executors.newFixedThreadPool(burst);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Answer>> sent = new ArrayList<>();
		for (int i = 0; i < burst; i++) {
			sent.add(pool.submit(() -> {
				String key = UUID.randomUUID().toString();
				start.await();
				return send(http, token, gate.id(), idNumber, key);
			}));
		}
		start.countDown();
		List<Answer> answers = new ArrayList<>();
		for (Future<Answer> answer : sent) {
			answers.add(answer.get());
		}
		pool.shutdown();

		List<Answer> served = answers.stream().filter(a -> a.status() == 200).toList();
		List<Answer> refused = answers.stream().filter(a -> a.status() == 503).toList();
		assertThat(served.size() + refused.size()).as("nothing but 200 or 503: %s", answers).isEqualTo(burst);
		assertThat(served).as("the limit still serves").isNotEmpty();
		assertThat(refused).as("the overflow is refused").isNotEmpty();
		assertThat(refused).allSatisfy(a -> {
			assertThat(a.retryAfter()).isEqualTo("2");
			assertThat(a.body()).contains("\"code\":\"gate.busy\"");
		});
		List<String> rows = this.jdbc.sql("select idempotency_key from gate_scan where checkpoint_id = :c")
			.param("c", gate.id())
			.query(String.class)
			.list();
		assertThat(rows).as("each 2xx one row, no row for a 503")
			.containsExactlyInAnyOrderElementsOf(served.stream().map(Answer::key).toList());

		// With no room at all, a scan is refused within 50 ms (median of 15 on a warm
		// connection): refusing costs no session, no token look-up, no database work.
		this.admission.getFilter().resize(1, 10);
		send(http, token, gate.id(), idNumber, UUID.randomUUID().toString());
		this.admission.getFilter().resize(0, 10);
		long[] refusals = new long[15];
		for (int i = 0; i < refusals.length; i++) {
			Answer answer = send(http, token, gate.id(), idNumber, UUID.randomUUID().toString());
			assertThat(answer.status()).isEqualTo(503);
			refusals[i] = answer.millis();
		}
		java.util.Arrays.sort(refusals);
		assertThat(refusals[refusals.length / 2]).as("median time to a 503: %s", java.util.Arrays.toString(refusals))
			.isLessThan(50);
		this.admission.getFilter().resize(1, 0);

		// Recovers at once: the next scan is served, and a refused one sent again is
		// recorded once.
		assertThat(send(http, token, gate.id(), idNumber, UUID.randomUUID().toString()).status()).isEqualTo(200);
		String again = refused.get(0).key();
		assertThat(send(http, token, gate.id(), idNumber, again).status()).isEqualTo(200);
		assertThat(send(http, token, gate.id(), idNumber, again).status()).isEqualTo(200);
		assertThat(this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c and idempotency_key = :k")
			.param("c", gate.id())
			.param("k", again)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	private Answer send(HttpClient http, String token, long checkpointId, String idNumber, String key)
			throws Exception {
		long began = System.nanoTime();
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/checkpoints/" + checkpointId + "/scans"))
				.timeout(Duration.ofSeconds(60))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"idNumber\":\"" + idNumber
						+ "\",\"direction\":\"IN\",\"temperature\":36.5,\"idempotencyKey\":\"" + key + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null), key,
				(System.nanoTime() - began) / 1_000_000, response.body());
	}

}
