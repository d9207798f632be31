package org.fangxian.security;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.internal.Usernames;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10's holes in accounts, each pinned: user names unique after normalisation, no
 * escalation through an account one makes, throttling that cannot lock the owner out, one
 * answer for every failed sign-in; and the account API, forced password change and cadre
 * enrolment.
 */
class AccountTrustTest extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final String STRONG = "Tide-Lantern-Quarry-1947";

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Autowired
	PersonalDataProtection protection;

	// ---------------------------------------------------------------- helpers

	private HttpResponse<String> token(String username, String password) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/auth/token"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString(JSON.writeValueAsString(java.util.Map.of("username", username, "password", password))))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> call(String method, String path, String bearer, Object body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + bearer)
			.header("Content-Type", "application/json");
		request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static java.util.Map<String, Object> newAccount(String username, Role role, long nodeId) {
		return java.util.Map.of("username", username, "displayName", "测试 " + username, "password", STRONG, "role",
				role.name(), "nodeId", nodeId);
	}

	private long accountId(String username) {
		return this.jdbc.sql("select id from account where username = :u")
			.param("u", username)
			.query(Long.class)
			.single();
	}

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Status line and body of a token request sent from another loopback address (a
	 * different client).
	 */
	private String tokenFrom(String localAddress, String username, String password) throws Exception {
		byte[] body = ("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(localAddress, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			in.transferTo(answer);
			return answer.toString(StandardCharsets.UTF_8);
		}
	}

	// ---------------------------------------------------------------- 1. user names

	@Test
	void aUsernameDifferingOnlyInCaseOrWidthIsTakenAndTheOwnerStillSignsIn() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		String owner = unique("owner");
		assertThat(call("POST", "/api/v1/accounts", hq, newAccount(owner, Role.VOLUNTEER, tree.communityA1().id()))
			.statusCode()).isEqualTo(201);

		for (String clash : List.of(owner.toUpperCase(), " " + owner + " ",
				toFullWidth(owner.toUpperCase()) + "\u3000")) {
			HttpResponse<String> again = call("POST", "/api/v1/accounts", hq,
					newAccount(clash, Role.VOLUNTEER, tree.communityA1().id()));
			assertThat(again.statusCode()).as(clash).isEqualTo(409);
			assertThat(again.body()).contains("account.username.taken");
		}
		// The installation's first administrator, as in the attack: "ADMIN" next to
		// "admin".
		HttpResponse<String> admin = call("POST", "/api/v1/accounts", hq,
				newAccount("ADMIN", Role.VOLUNTEER, tree.communityA1().id()));
		assertThat(admin.statusCode()).isEqualTo(409);
		assertThat(token("admin", "test-admin-password").statusCode()).isEqualTo(200);
		assertThat(token(owner, STRONG).statusCode()).isEqualTo(200);
		assertThat(token(toFullWidth(owner), STRONG).statusCode()).as("sign-in uses the same rule").isEqualTo(200);
	}

	@Test
	void theDatabaseRefusesTwoNamesThatDifferOnlyInCase() {
		TestData.Tree tree = this.data.tree();
		String username = this.data.account(Role.VOLUNTEER, tree.communityA1());
		assertThatThrownBy(() -> this.jdbc.sql("""
				insert into account (username, display_name, password_hash, role, node_id)
				values (:u, 'x', 'x', 'VOLUNTEER', null)""").param("u", username.toUpperCase()).update())
			.isInstanceOf(DuplicateKeyException.class);
	}

	@Test
	void theJavaRuleIsTheDatabasesRuleForEveryStorableName() {
		for (String typed : List.of("Admin", " ADMIN ", "Ａｄｍｉｎ", "ＡＤＭＩＮ\u3000", "zhang.san@jd", "Li_Si-2")) {
			String normal = Usernames.normalise(typed);
			assertThat(Usernames.isValid(normal)).as(typed).isTrue();
			String database = this.jdbc.sql("select lower(btrim(normalize(:t, NFKC)))")
				.param("t", typed)
				.query(String.class)
				.single();
			assertThat(normal).as(typed).isEqualTo(database);
		}
		assertThat(Usernames.isValid(Usernames.normalise("张三"))).isFalse();
	}

	private static String toFullWidth(String ascii) {
		StringBuilder out = new StringBuilder();
		for (char c : ascii.toCharArray()) {
			out.append(c > ' ' && c < 0x7f ? (char) (c - 0x21 + 0xFF01) : c);
		}
		return out.toString();
	}

	// ---------------------------------------------------------------- 2. escalation by
	// proxy

	@Test
	void aStreetAdministratorCannotMakeOrTakeOverAnAccountWithRightsItLacks() throws Exception {
		TestData.Tree tree = this.data.tree();
		String street = this.data.account(Role.STREET_ADMIN, tree.streetA());
		String token = this.data.token(baseUrl(), street);

		HttpResponse<String> worker = call("POST", "/api/v1/accounts", token,
				newAccount(unique("proxy"), Role.COMMUNITY_WORKER, tree.communityA1().id()));
		assertThat(worker.statusCode()).isEqualTo(403);
		assertThat(worker.body()).contains("account.grant.denied");

		HttpResponse<String> guard = call("POST", "/api/v1/accounts", token,
				newAccount(unique("guard"), Role.CHECKPOINT_GUARD, tree.communityA1().id()));
		assertThat(guard.statusCode()).isEqualTo(201);
		long guardId = JSON.readTree(guard.body()).get("id").asLong();
		assertThat(call("PUT", "/api/v1/accounts/" + guardId + "/role", token,
				java.util.Map.of("role", "COMMUNITY_WORKER"))
			.statusCode()).isEqualTo(403);
		assertThat(call("PUT", "/api/v1/accounts/" + guardId + "/node", token,
				java.util.Map.of("nodeId", tree.communityB1().id()))
			.statusCode()).isEqualTo(403);

		// An existing worker of its street: not its to reset, disable, move or re-role
		// (it could then sign in as it).
		long existing = accountId(this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		assertThat(call("POST", "/api/v1/accounts/" + existing + "/password-reset", token, null).statusCode())
			.isEqualTo(403);
		assertThat(call("POST", "/api/v1/accounts/" + existing + "/disable", token, null).statusCode()).isEqualTo(403);
		assertThat(call("PUT", "/api/v1/accounts/" + existing + "/node", token,
				java.util.Map.of("nodeId", tree.communityA2().id()))
			.statusCode()).isEqualTo(403);
		assertThat(call("PUT", "/api/v1/accounts/" + existing + "/role", token,
				java.util.Map.of("role", "CHECKPOINT_GUARD"))
			.statusCode()).isEqualTo(403);
		assertThat(this.jdbc.sql("select role from account where id = :id")
			.param("id", existing)
			.query(String.class)
			.single()).isEqualTo("COMMUNITY_WORKER");
	}

	@Test
	void everyAccountChangeIsAuditedWithWhoDidIt() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hqName = this.data.account(Role.HQ_ADMIN, tree.district());
		String hq = this.data.token(baseUrl(), hqName);
		long id = JSON
			.readTree(call("POST", "/api/v1/accounts", hq,
					newAccount(unique("audited"), Role.VOLUNTEER, tree.communityA1().id()))
				.body())
			.get("id")
			.asLong();
		assertThat(
				call("PUT", "/api/v1/accounts/" + id + "/role", hq, java.util.Map.of("role", "SAMPLER")).statusCode())
			.isEqualTo(204);
		assertThat(
				call("PUT", "/api/v1/accounts/" + id + "/node", hq, java.util.Map.of("nodeId", tree.communityA2().id()))
					.statusCode())
			.isEqualTo(204);
		assertThat(call("POST", "/api/v1/accounts/" + id + "/disable", hq, null).statusCode()).isEqualTo(204);
		assertThat(call("POST", "/api/v1/accounts/" + id + "/enable", hq, null).statusCode()).isEqualTo(204);
		HttpResponse<String> reset = call("POST", "/api/v1/accounts/" + id + "/password-reset", hq, null);
		assertThat(reset.statusCode()).isEqualTo(200);
		assertThat(reset.headers().firstValue("Cache-Control"))
			.hasValueSatisfying(v -> assertThat(v).contains("no-store"));

		List<String> actions = this.jdbc.sql("""
				select action from audit_event where target_type = 'account' and target_id = :id and actor = :actor
				order by id""").param("id", String.valueOf(id)).param("actor", hqName).query(String.class).list();
		assertThat(actions).containsExactly("ACCOUNT_CREATED", "ACCOUNT_ROLE_CHANGED", "ACCOUNT_MOVED",
				"ACCOUNT_DISABLED", "ACCOUNT_ENABLED", "ACCOUNT_PASSWORD_RESET");
		assertThat(this.jdbc.sql("select count(*) from audit_event where target_id = :id and detail like :pw")
			.param("id", String.valueOf(id))
			.param("pw", "%" + STRONG + "%")
			.query(Long.class)
			.single()).isZero();
	}

	// ---------------------------------------------------------------- 3. throttling

	@Test
	void oneGuessAfterALockExpiredDoesNotLockAgain() throws Exception {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		for (int i = 0; i < 5; i++) {
			token(user, "wrong-" + i);
		}
		assertThat(token(user, TestData.PASSWORD).statusCode()).as("locked for this address").isEqualTo(401);
		// The lock runs out.
		this.jdbc.sql("update login_throttle set locked_until = now() - interval '1 second' where username_key = :u")
			.param("u", user)
			.update();
		assertThat(token(user, "one-more-wrong-guess").statusCode()).isEqualTo(401);
		assertThat(token(user, TestData.PASSWORD).statusCode()).isEqualTo(200);
	}

	@Test
	void locksGrowLongerAndASuccessForgetsThem() throws Exception {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.VOLUNTEER, tree.communityA1());
		for (int i = 0; i < 5; i++) {
			token(user, "wrong-" + i);
		}
		double first = lockSeconds(user);
		this.jdbc.sql("update login_throttle set locked_until = now() - interval '1 second' where username_key = :u")
			.param("u", user)
			.update();
		for (int i = 0; i < 5; i++) {
			token(user, "wrong-again-" + i);
		}
		double second = lockSeconds(user);
		assertThat(second).isGreaterThan(first * 1.5);
		this.jdbc.sql("update login_throttle set locked_until = now() - interval '1 second' where username_key = :u")
			.param("u", user)
			.update();
		assertThat(token(user, TestData.PASSWORD).statusCode()).isEqualTo(200);
		assertThat(this.jdbc.sql("select count(*) from login_throttle where username_key = :u")
			.param("u", user)
			.query(Long.class)
			.single()).isZero();
	}

	private double lockSeconds(String user) {
		return this.jdbc.sql(
				"select extract(epoch from locked_until - last_failure_at) from login_throttle where username_key = :u")
			.param("u", user)
			.query(Double.class)
			.single();
	}

	@Test
	void anAttackerElsewhereNeitherLocksTheOwnerOutNorEndsTheirToken() throws Exception {
		TestData.Tree tree = this.data.tree();
		String owner = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		String ownersToken = this.data.token(baseUrl(), owner);
		for (int i = 0; i < 12; i++) {
			assertThat(tokenFrom("127.0.0.2", owner, "guess-" + i)).startsWith("HTTP/1.1 401");
		}
		assertThat(tokenFrom("127.0.0.2", owner, TestData.PASSWORD)).as("the attacker's address is held back")
			.startsWith("HTTP/1.1 401");

		HttpResponse<String> stillWorks = this.http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/nodes"))
			.header("Authorization", "Bearer " + ownersToken)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(stillWorks.statusCode()).isEqualTo(200);
		assertThat(token(owner, TestData.PASSWORD).statusCode()).as("the owner signs in from their own address")
			.isEqualTo(200);
		assertThat(this.jdbc.sql("select count(*) from api_token where account_id = :id and revoked_at is not null")
			.param("id", accountId(owner))
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void unknownWrongAndThrottledGetTheSameAnswer() throws Exception {
		TestData.Tree tree = this.data.tree();
		String known = this.data.account(Role.VOLUNTEER, tree.communityA1());
		String throttled = this.data.account(Role.VOLUNTEER, tree.communityA1());
		for (int i = 0; i < 5; i++) {
			token(throttled, "wrong-" + i);
		}
		String disabled = this.data.account(Role.VOLUNTEER, tree.communityA1());
		this.jdbc.sql("update account set enabled = false where username = :u").param("u", disabled).update();

		long[] took = new long[4];
		HttpResponse<String>[] answers = new HttpResponse[4];
		for (int round = 0; round < 3; round++) {
			String[][] tries = { { unique("nobody"), "whatever-password" }, { known, "wrong-password" },
					{ throttled, TestData.PASSWORD }, { disabled, TestData.PASSWORD } };
			for (int i = 0; i < tries.length; i++) {
				long start = System.nanoTime();
				answers[i] = token(tries[i][0], tries[i][1]);
				long elapsed = System.nanoTime() - start;
				took[i] = round == 0 ? elapsed : Math.min(took[i], elapsed);
			}
		}
		for (HttpResponse<String> answer : answers) {
			assertThat(answer.statusCode()).isEqualTo(401);
			assertThat(answer.body()).isEqualTo(answers[1].body());
			assertThat(answer.headers().firstValue("Content-Type"))
				.isEqualTo(answers[1].headers().firstValue("Content-Type"));
		}
		// Each answer costs one password hash comparison: none comes back in a fraction
		// of the others' time.
		for (long t : took) {
			assertThat(t).isGreaterThan(took[1] / 3);
		}

		// The login form: the same redirect for all four.
		for (String[] attempt : new String[][] { { unique("nobody"), "x-password" }, { known, "wrong-password" },
				{ throttled, TestData.PASSWORD }, { disabled, TestData.PASSWORD } }) {
			HttpResponse<String> form = formLogin(browser(), attempt[0], attempt[1]);
			assertThat(form.statusCode()).isEqualTo(302);
			assertThat(form.headers().firstValue("Location"))
				.hasValueSatisfying(v -> assertThat(v).endsWith("/login?error"));
		}
	}

	// ---------------------------------------------------------------- 4. the account API

	@Test
	void anAccountCreatedWithAPasswordSignsInAtOnceAndListsStayInTheSubtree() throws Exception {
		TestData.Tree tree = this.data.tree();
		String street = this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, tree.streetA()));
		String name = unique("guard");
		HttpResponse<String> created = call("POST", "/api/v1/accounts", street,
				newAccount(name, Role.CHECKPOINT_GUARD, tree.communityA2().id()));
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(JSON.readTree(created.body()).get("id").asLong()).isEqualTo(accountId(name));
		assertThat(token(name, STRONG).statusCode()).isEqualTo(200);

		String outside = this.data.account(Role.VOLUNTEER, tree.communityB1());
		String listed = call("GET", "/api/v1/accounts", street, null).body();
		assertThat(listed).contains(name).doesNotContain(outside);
		assertThat(call("POST", "/api/v1/accounts", street,
				newAccount(unique("b"), Role.CHECKPOINT_GUARD, tree.communityB1().id()))
			.statusCode()).isEqualTo(403);
		assertThat(call("POST", "/api/v1/accounts/" + accountId(outside) + "/disable", street, null).statusCode())
			.isEqualTo(403);
	}

	@Test
	void commonOrShortPasswordsAreRefused() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		for (String weak : List.of("password123", "qwertyuiop", "1234567890", "Password1!", "iloveyou2020")) {
			java.util.Map<String, Object> request = new java.util.HashMap<>(
					newAccount(unique("weak"), Role.VOLUNTEER, tree.communityA1().id()));
			request.put("password", weak);
			HttpResponse<String> answer = call("POST", "/api/v1/accounts", hq, request);
			assertThat(answer.statusCode()).as(weak).isEqualTo(400);
			assertThat(answer.body()).as(weak).containsAnyOf("account.password.weak", "account.password.short");
		}
		java.util.Map<String, Object> own = new java.util.HashMap<>(
				newAccount("zhangwei-2024", Role.VOLUNTEER, tree.communityA1().id()));
		own.put("password", "zhangwei-2024");
		assertThat(call("POST", "/api/v1/accounts", hq, own).body()).contains("account.password.weak");
	}

	@Test
	void changingOnesOwnPasswordNeedsTheCurrentOne() throws Exception {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.VOLUNTEER, tree.communityA1());
		String token = this.data.token(baseUrl(), user);
		HttpResponse<String> wrong = call("PUT", "/api/v1/accounts/me/password", token,
				java.util.Map.of("current", "not-my-password", "password", STRONG));
		assertThat(wrong.statusCode()).isEqualTo(400);
		assertThat(wrong.body()).contains("account.password.currentWrong");
		assertThat(call("PUT", "/api/v1/accounts/me/password", token,
				java.util.Map.of("current", TestData.PASSWORD, "password", STRONG))
			.statusCode()).isEqualTo(204);
		assertThat(token(user, TestData.PASSWORD).statusCode()).isEqualTo(401);
		assertThat(token(user, STRONG).statusCode()).isEqualTo(200);
		assertThat(this.jdbc
			.sql("select count(*) from audit_event where action = 'ACCOUNT_PASSWORD_CHANGED' and actor = :u")
			.param("u", user)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aResetPasswordMustBeChangedBeforeTheApiOrThePagesWork() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		String user = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		String before = this.data.token(baseUrl(), user);

		String temporary = JSON
			.readTree(call("POST", "/api/v1/accounts/" + accountId(user) + "/password-reset", hq, null).body())
			.get("temporaryPassword")
			.asString();
		assertThat(call("GET", "/api/v1/nodes", before, null).statusCode()).as("a reset signs the account out")
			.isEqualTo(401);

		String after = JSON.readTree(token(user, temporary).body()).get("token").asString();
		HttpResponse<String> held = call("GET", "/api/v1/nodes", after, null);
		assertThat(held.statusCode()).isEqualTo(403);
		assertThat(held.body()).contains("auth.password.changeRequired");

		// The browser: every page leads to the change-password page until it is done.
		HttpClient browser = browser();
		assertThat(formLogin(browser, user, temporary).statusCode()).isEqualTo(302);
		HttpResponse<String> page = get(browser, "/nodes/" + tree.communityA1().id());
		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(page.headers().firstValue("Location"))
			.hasValueSatisfying(v -> assertThat(v).endsWith("/account/password"));
		HttpResponse<String> form = get(browser, "/account/password");
		assertThat(form.statusCode()).isEqualTo(200);
		assertThat(form.body()).contains("管理员已重置您的密码");
		HttpResponse<String> changed = postForm(browser, "/account/password", "current=" + enc(temporary) + "&password="
				+ enc(STRONG) + "&repeat=" + enc(STRONG) + "&_csrf=" + enc(csrf(form.body())));
		assertThat(changed.statusCode()).isEqualTo(302);
		assertThat(get(browser, "/nodes/" + tree.communityA1().id()).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/api/v1/nodes", after, null).statusCode()).isEqualTo(200);
	}

	@Test
	void aTokenHeldBackByAResetMayStillChooseTheNewPassword() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		String user = this.data.account(Role.SAMPLER, tree.communityA1());
		String temporary = JSON
			.readTree(call("POST", "/api/v1/accounts/" + accountId(user) + "/password-reset", hq, null).body())
			.get("temporaryPassword")
			.asString();
		String token = JSON.readTree(token(user, temporary).body()).get("token").asString();
		assertThat(call("GET", "/api/v1/accounts", token, null).body()).contains("auth.password.changeRequired");
		assertThat(call("PUT", "/api/v1/accounts/me/password", token,
				java.util.Map.of("current", temporary, "password", STRONG))
			.statusCode()).isEqualTo(204);
		assertThat(call("GET", "/api/v1/nodes", token, null).statusCode()).isEqualTo(200);
		assertThat(this.jdbc.sql("select must_change_password from account where username = :u")
			.param("u", user)
			.query(Boolean.class)
			.single()).isFalse();
	}

	// ---------------------------------------------------------------- enrolment

	@Test
	void cadresAreEnrolledFromASpreadsheetAndGetTheirPasswordsByTextOnly() throws Exception {
		TestData.Tree tree = this.data.tree();
		String street = this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, tree.streetA()));
		String a = unique("cadre"), b = unique("cadre"), c = unique("cadre");
		String csv = "下沉干部名单\n姓名,手机号,账号,角色,辖区代码\n" + "王一," + "13800138001," + a + ",卡点值守," + tree.communityA1().code()
				+ "\n" + "王二," + "１３８００１３８００２," + b.toUpperCase() + ",CHECKPOINT_GUARD," + tree.communityA2().code()
				+ "\n" + "王三,13800138003," + c + ",街道管理员," + tree.streetA().code() + "\n" + "王四,12345," + unique("x")
				+ ",卡点值守," + tree.communityA1().code() + "\n" + "王五,13800138005," + unique("x") + ",社区工作者,"
				+ tree.communityA1().code() + "\n" + "王六,13800138006," + unique("x") + ",卡点值守,"
				+ tree.communityB1().code() + "\n" + "王七,13800138007," + unique("x") + ",厨师,"
				+ tree.communityA1().code() + "\n" + "王八,13800138008," + a + ",卡点值守," + tree.communityA1().code()
				+ "\n";
		JsonNode first = JSON.readTree(upload(street, csv).body());
		assertThat(first.get("accepted").asInt()).isEqualTo(3);
		assertThat(first.get("rejected").size()).isEqualTo(5);
		assertThat(first.get("rejected").findValues("row").stream().map(JsonNode::asInt).toList()).containsExactly(6, 7,
				8, 9, 10);
		assertThat(first.toString()).doesNotContain("13800138001").doesNotContain("Password");

		// Texted, never shown: the outbox's readable body and the answer hold no
		// password.
		String body = this.jdbc.sql("select body from outbox_message where dedupe_key = :k")
			.param("k", "security:account:" + accountId(a) + ":initial-password")
			.query(String.class)
			.single();
		assertThat(body).contains(a).contains("******");
		byte[] cipher = this.jdbc.sql("select body_cipher from outbox_message where dedupe_key = :k")
			.param("k", "security:account:" + accountId(a) + ":initial-password")
			.query(byte[].class)
			.single();
		Matcher password = Pattern.compile("初始密码 (\\S+)，").matcher(this.protection.decrypt(cipher));
		assertThat(password.find()).isTrue();
		String initial = password.group(1);
		assertThat(first.toString()).doesNotContain(initial);
		String tokenOfCadre = JSON.readTree(token(a, initial).body()).get("token").asString();
		assertThat(call("GET", "/api/v1/nodes", tokenOfCadre, null).body()).contains("auth.password.changeRequired");

		// The same file again opens nothing and texts nobody twice.
		long texts = this.jdbc.sql("select count(*) from outbox_message").query(Long.class).single();
		JsonNode again = JSON.readTree(upload(street, csv).body());
		assertThat(again.get("accepted").asInt()).isZero();
		assertThat(again.get("unchanged").asInt()).isEqualTo(3);
		assertThat(this.jdbc.sql("select count(*) from outbox_message").query(Long.class).single()).isEqualTo(texts);
		assertThat(this.jdbc.sql("select count(*) from account where lower(username) in (:n)")
			.param("n", List.of(a, b, c))
			.query(Long.class)
			.single()).isEqualTo(3);
	}

	@Test
	void anXlsxWithATitleRowAndChineseRoleNamesIsReadByTheRosterReader() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		String worker = unique("worker"), sampler = unique("sampler");
		ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
		try (org.dhatim.fastexcel.Workbook workbook = new org.dhatim.fastexcel.Workbook(xlsx, "fangxian", "1.0")) {
			org.dhatim.fastexcel.Worksheet sheet = workbook.newWorksheet("干部");
			sheet.value(0, 0, "第三批下沉干部");
			List<String> header = List.of("序号", "＊姓名", "手机号", "账号", "角色", "辖区代码");
			for (int i = 0; i < header.size(); i++) {
				sheet.value(1, i, header.get(i));
			}
			Object[][] rows = { { 1, "赵一", "13900139001", worker, "社区工作者", tree.communityA1().code() },
					{ 2, "赵二", "13900139002", sampler, "采样人员", tree.streetA().code() } };
			for (int r = 0; r < rows.length; r++) {
				for (int c = 0; c < rows[r].length; c++) {
					if (rows[r][c] instanceof Integer n) {
						sheet.value(r + 2, c, n);
					}
					else {
						sheet.value(r + 2, c, (String) rows[r][c]);
					}
				}
			}
		}
		HttpResponse<String> answer = upload(hq, "cadres.xlsx", xlsx.toByteArray());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(JSON.readTree(answer.body()).get("accepted").asInt()).as(answer.body()).isEqualTo(2);
		assertThat(this.jdbc.sql("select role from account where username = :u")
			.param("u", worker)
			.query(String.class)
			.single()).isEqualTo("COMMUNITY_WORKER");
		assertThat(this.jdbc.sql("select phone_masked from account where username = :u")
			.param("u", sampler)
			.query(String.class)
			.single()).isEqualTo("139****9002");
	}

	@Test
	void anUnreadableOrHeaderlessFileIsA400() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		HttpResponse<String> noHeader = upload(hq, "a,b,c\n1,2,3\n");
		assertThat(noHeader.statusCode()).isEqualTo(400);
		assertThat(noHeader.body()).contains("account.import.noHeader");
		String volunteer = this.data.token(baseUrl(), this.data.account(Role.VOLUNTEER, tree.communityA1()));
		assertThat(upload(volunteer, "姓名,手机号,账号,角色,辖区代码\n").statusCode()).isEqualTo(403);
	}

	private HttpResponse<String> upload(String bearer, String csv) throws Exception {
		return upload(bearer, "cadres.csv", csv.getBytes(StandardCharsets.UTF_8));
	}

	private HttpResponse<String> upload(String bearer, String filename, byte[] content) throws Exception {
		String boundary = "----fx" + UUID.randomUUID();
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.write(head);
		body.write(content);
		body.write(tail);
		return this.http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/accounts/imports"))
			.header("Authorization", "Bearer " + bearer)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	// ---------------------------------------------------------------- browser helpers

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static HttpClient browser() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	private HttpResponse<String> get(HttpClient client, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> postForm(HttpClient client, String path, String form) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> formLogin(HttpClient client, String user, String password) throws Exception {
		String csrf = csrf(get(client, "/login").body());
		return postForm(client, "/login",
				"username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf));
	}

	private static String csrf(String html) {
		Matcher m = CSRF.matcher(html);
		assertThat(m.find()).isTrue();
		return m.group(1);
	}

	@Test
	void theAccountViewOtherModulesReadCarriesNoSecret() {
		// security_account (V96) is what screening, returnee and audit read instead of
		// the
		// account table: who, what role, where; never a password hash or a phone.
		assertThat(this.jdbc.sql("""
				select column_name from information_schema.columns where table_name = 'security_account'
				order by column_name""").query(String.class).list()).containsExactly("display_name", "enabled", "id",
				"node_id", "path", "role", "username");
		TestData.Tree tree = this.data.tree();
		String username = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		assertThat(this.jdbc.sql("select path from security_account where username = :u")
			.param("u", username)
			.query(String.class)
			.single()).isEqualTo(tree.communityA1().path());
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
