package org.fangxian.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retried API write with the same Idempotency-Key gives the first answer and creates
 * nothing new.
 */
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
			.param("p", parentId)
			.param("n", name)
			.query(Long.class)
			.single();
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

	// Issue 10: no personal data in the cache in clear, reveals re-run and audited,
	// leases, uploads by content.

	private long resident(String token, TestData.Tree tree, String idNumber, String phone) throws Exception {
		long building = Long.parseLong(post(token, "/api/v1/nodes/" + tree.communityA1().id() + "/children", null,
				"{\"name\":\"缓存楼" + UUID.randomUUID().toString().substring(0, 6) + "\"}")
			.body()
			.replaceAll("\\D*(\\d+).*", "$1"));
		HttpResponse<String> created = post(token, "/api/v1/residents", null, """
				{"name":"王秀兰","idType":"RESIDENT_ID","idNumber":"%s","phone":"%s","nodeId":%d,"room":"101",
				 "relation":"HEAD","status":"RESIDENT"}""".formatted(idNumber, phone, building));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return Long.parseLong(created.body().replaceAll("\\D*(\\d+).*", "$1"));
	}

	private long cachedContaining(String text) {
		return this.jdbc.sql(
				"select count(*) from idempotent_request where position(convert_to(:t, 'UTF8') in coalesce(body, ''::bytea)) > 0")
			.param("t", text)
			.query(Long.class)
			.single();
	}

	@Test
	void aRetriedRevealRunsAgainIsAuditedAgainAndLeavesNoNumberInTheCache() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String idNumber = TestIdNumbers.next();
		long id = resident(token, tree, idNumber, "13911112222");
		String key = UUID.randomUUID().toString();

		HttpResponse<String> first = post(token, "/api/v1/residents/" + id + "/reveal", key, "");
		HttpResponse<String> retry = post(token, "/api/v1/residents/" + id + "/reveal", key, "");

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(retry.statusCode()).isEqualTo(200);
		assertThat(first.body()).contains(idNumber).contains("13911112222");
		assertThat(retry.body()).contains(idNumber);
		assertThat(cachedContaining(idNumber)).isZero();
		assertThat(cachedContaining("13911112222")).isZero();
		assertThat(
				this.jdbc.sql("select count(*) from audit_event where action = 'RESIDENT_REVEALED' and target_id = :id")
					.param("id", String.valueOf(id))
					.query(Long.class)
					.single())
			.as("the retry is audited like the reveal")
			.isEqualTo(2);
	}

	@Test
	void storedAnswersAreEncrypted() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String idNumber = TestIdNumbers.next();
		long building = Long.parseLong(
				post(token, "/api/v1/nodes/" + tree.communityA1().id() + "/children", null, "{\"name\":\"密文楼\"}").body()
					.replaceAll("\\D*(\\d+).*", "$1"));
		String key = UUID.randomUUID().toString();
		String json = """
				{"name":"赵桂芝","idType":"RESIDENT_ID","idNumber":"%s","phone":"13933334444","nodeId":%d,"room":"202",
				 "relation":"HEAD","status":"RESIDENT"}""".formatted(idNumber, building);
		HttpResponse<String> first = post(token, "/api/v1/residents", key, json);
		HttpResponse<String> retry = post(token, "/api/v1/residents", key, json);

		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(retry.headers().firstValue("Idempotency-Replayed")).hasValue("true");
		assertThat(this.jdbc.sql("select count(*) from idempotent_request where key = :k and body is not null")
			.param("k", key)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(cachedContaining(first.body())).as("the answer is not kept in clear").isZero();
	}

	@Test
	void aKeyLeftInProgressByACrashIsFreedWhenItsLeaseEnds() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String key = UUID.randomUUID().toString();
		String path = "/api/v1/nodes/" + tree.communityA1().id() + "/children";
		assertThat(post(token, path, key, "{\"name\":\"租约小区\"}").statusCode()).isEqualTo(201);
		// As a crash of another node leaves it: the key claimed by that node, no
		// answer, the node's transaction never committed.
		this.jdbc.sql("delete from division_node where parent_id = :p and name = '租约小区'")
			.param("p", tree.communityA1().id())
			.update();
		this.jdbc
			.sql("update idempotent_request set status = null, body = null, content_type = null, "
					+ "lease_until = now() + interval '1 minute', owner = 'a-node-that-crashed' where key = :k")
			.param("k", key)
			.update();

		HttpResponse<String> whileLeased = post(token, path, key, "{\"name\":\"租约小区\"}");
		assertThat(whileLeased.statusCode()).isEqualTo(409);
		assertThat(whileLeased.body()).contains("idempotency.inProgress");

		this.jdbc.sql("update idempotent_request set lease_until = now() - interval '1 second' where key = :k")
			.param("k", key)
			.update();
		HttpResponse<String> afterLease = post(token, path, key, "{\"name\":\"租约小区\"}");
		assertThat(afterLease.statusCode()).isEqualTo(201);
		assertThat(children(tree.communityA1().id(), "租约小区")).isEqualTo(1);
		assertThat(post(token, path, key, "{\"name\":\"租约小区\"}").headers().firstValue("Idempotency-Replayed"))
			.hasValue("true");
	}

	/**
	 * A call that failed while the database was away could not release its key: the key
	 * stays held by this process, which runs none of it. Its retry on this node runs at
	 * once, not after the lease (other nodes still wait for the lease).
	 */
	@Test
	void aKeyThisNodeCouldNotReleaseIsTakenAtOnceByItsRetry() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String key = UUID.randomUUID().toString();
		String path = "/api/v1/nodes/" + tree.communityA1().id() + "/children";
		assertThat(post(token, path, key, "{\"name\":\"断线小区\"}").statusCode()).isEqualTo(201);
		// As a failed call whose release failed leaves it: claimed by this process (the
		// owner the first call wrote), leased, no answer, nothing committed.
		this.jdbc.sql("delete from division_node where parent_id = :p and name = '断线小区'")
			.param("p", tree.communityA1().id())
			.update();
		this.jdbc
			.sql("update idempotent_request set status = null, body = null, content_type = null, "
					+ "lease_until = now() + interval '1 minute' where key = :k")
			.param("k", key)
			.update();

		HttpResponse<String> retry = post(token, path, key, "{\"name\":\"断线小区\"}");
		assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
		assertThat(children(tree.communityA1().id(), "断线小区")).isEqualTo(1);
		assertThat(post(token, path, key, "{\"name\":\"断线小区\"}").headers().firstValue("Idempotency-Replayed"))
			.hasValue("true");
	}

	private HttpResponse<String> upload(String token, String key, String communityCode, String csv) throws Exception {
		String boundary = "b" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"communityCode\"\r\n\r\n"
				+ communityCode + "\r\n--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\n"
				+ "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n")
			.getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/residents/imports?dryRun=true"))
			.header("Authorization", "Bearer " + token)
			.header("Idempotency-Key", key)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anUploadReplaysOnlyForTheSameContentNotTheSameSize() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String key = UUID.randomUUID().toString();
		String first = "姓名,手机号\n张三,13900000001\n";
		String other = "姓名,手机号\n李四,13900000002\n";
		assertThat(other.getBytes(StandardCharsets.UTF_8)).hasSameSizeAs(first.getBytes(StandardCharsets.UTF_8));

		HttpResponse<String> answer = upload(token, key, tree.communityA1().code(), first);
		HttpResponse<String> same = upload(token, key, tree.communityA1().code(), first);
		HttpResponse<String> different = upload(token, key, tree.communityA1().code(), other);

		assertThat(same.headers().firstValue("Idempotency-Replayed")).hasValue("true");
		assertThat(same.body()).isEqualTo(answer.body());
		assertThat(different.statusCode()).isEqualTo(422);
		assertThat(different.body()).contains("\"code\":\"idempotency.mismatch\"").contains("已用于另一个请求");
		assertThat(different.headers().firstValue("Idempotency-Replayed")).isEmpty();
	}

}
