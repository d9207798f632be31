package org.fangxian.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bcrypt reads at most 72 bytes of a password and refuses to hash more: a longer one (73
 * letters, or 25 Chinese characters of 3 bytes each) is bad input for the password, not a
 * 500; 72 bytes still do.
 */
class LongPasswordTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> call(String method, String path, String bearer, Object body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + bearer)
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** {@code length} characters nobody guesses: random letters and digits. */
	private static String random(int length) {
		StringBuilder password = new StringBuilder();
		while (password.length() < length) {
			password.append(UUID.randomUUID().toString().replace("-", ""));
		}
		return password.substring(0, length);
	}

	private HttpResponse<String> create(String hq, TestData.Tree tree, String password) throws Exception {
		String username = "long-" + UUID.randomUUID().toString().substring(0, 8);
		return call("POST", "/api/v1/accounts", hq, Map.of("username", username, "displayName", "长密码", "password",
				password, "role", Role.VOLUNTEER.name(), "nodeId", tree.communityA1().id()));
	}

	private static void assertTooLong(HttpResponse<String> reply) {
		assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
		assertThat(JSON.readTree(reply.body()).get("code").asString()).isEqualTo("account.password.long");
	}

	@Test
	void aPasswordLongerThanBcryptReadsIsBadInput() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		assertTooLong(create(hq, tree, random(100)));
		assertTooLong(create(hq, tree, random(73)));
		assertTooLong(create(hq, tree, "春眠不觉晓处处闻啼鸟夜来风雨声花落知多少床前明月光疑是地上霜举头"));
		assertThat(create(hq, tree, random(72)).statusCode()).isEqualTo(201);

		String worker = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		assertTooLong(call("PUT", "/api/v1/accounts/me/password", worker,
				Map.of("current", TestData.PASSWORD, "password", random(90))));
	}

	/**
	 * Signing in with a password bcrypt would not read is a wrong password, not a 500.
	 */
	@Test
	void signingInWithATooLongPasswordIsRefusedAsWrong() throws Exception {
		TestData.Tree tree = this.data.tree();
		String username = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		for (String password : java.util.List.of(random(100), TestData.PASSWORD + random(80))) {
			HttpResponse<String> token = this.http
				.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/auth/token"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers
						.ofString(JSON.writeValueAsString(Map.of("username", username, "password", password))))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(token.statusCode()).as(token.body()).isEqualTo(401);
		}
	}

}
