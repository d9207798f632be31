package org.fangxian.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A retried API write with the same Idempotency-Key gives the first answer and creates nothing new. */
class IdempotencyTest extends IntegrationTest {

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> post(String token, String path, String key, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private long children(long parentId, String name) {
		return this.jdbc.sql("select count(*) from division_node where parent_id = :p and name = :n")
			.param("p", parentId).param("n", name).query(Long.class).single();
	}

	@Test
	void aRetriedCreateReturnsTheFirstAnswerAndCreatesOnce() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String key = UUID.randomUUID().toString();
		String path = "/api/v1/nodes/" + tree.communityA1().id() + "/children";

		HttpResponse<String> first = post(token, path, key, "{\"name\":\"重试小区\"}");
		HttpResponse<String> retry = post(token, path, key, "{\"name\":\"重试小区\"}");

		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(retry.headers().firstValue("Idempotency-Replayed")).hasValue("true");
		assertThat(children(tree.communityA1().id(), "重试小区")).isEqualTo(1);
	}

	@Test
	void theSameKeyForADifferentRequestIsRefused() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String key = UUID.randomUUID().toString();
		String path = "/api/v1/nodes/" + tree.communityA1().id() + "/children";

		post(token, path, key, "{\"name\":\"甲小区\"}");
		HttpResponse<String> other = post(token, path, key, "{\"name\":\"乙小区\"}");

		assertThat(other.statusCode()).isEqualTo(422);
		assertThat(children(tree.communityA1().id(), "乙小区")).isZero();
	}

	@Test
	void withoutAKeyARetryIsANewRequest() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String path = "/api/v1/nodes/" + tree.communityA1().id() + "/children";
		assertThat(post(token, path, null, "{\"name\":\"丙小区\"}").statusCode()).isEqualTo(201);
		HttpResponse<String> again = post(token, path, null, "{\"name\":\"丙小区\"}");
		assertThat(again.statusCode()).isEqualTo(400);
		assertThat(again.body()).contains("node.name.taken");
	}

	@Test
	void keysBelongToOneAccount() throws Exception {
		TestData.Tree tree = this.data.tree();
		String alice = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String bob = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String key = UUID.randomUUID().toString();
		String path = "/api/v1/nodes/" + tree.communityA1().id() + "/children";
		post(alice, path, key, "{\"name\":\"丁小区\"}");
		HttpResponse<String> bobs = post(bob, path, key, "{\"name\":\"戊小区\"}");
		assertThat(bobs.statusCode()).isEqualTo(201);
		assertThat(bobs.headers().firstValue("Idempotency-Replayed")).isEmpty();
	}

}
