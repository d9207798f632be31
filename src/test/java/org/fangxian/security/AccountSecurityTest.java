package org.fangxian.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Login, lockout, tokens, the first administrator and the append-only audit trail. */
class AccountSecurityTest extends IntegrationTest {

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	PasswordEncoder passwordEncoder;

	private HttpResponse<String> token(String username, String password) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/auth/token"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String bearer) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return this.http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void passwordsAreStoredHashed() {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.VOLUNTEER, tree.communityA1());
		String hash = this.jdbc.sql("select password_hash from account where username = :u")
			.param("u", user)
			.query(String.class)
			.single();
		assertThat(hash).doesNotContain(TestData.PASSWORD).startsWith("{bcrypt}");
		assertThat(this.passwordEncoder.matches(TestData.PASSWORD, hash)).isTrue();
	}

	@Test
	void holdsBackTheAddressAfterFiveWrongPasswords() throws Exception {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> wrong = token(user, "wrong-password-" + i);
			assertThat(wrong.statusCode()).isEqualTo(401);
			assertThat(wrong.headers().firstValue("Content-Type"))
				.hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
		}
		// Refused even with the right password, and told nothing a wrong password would
		// not be told.
		HttpResponse<String> right = token(user, TestData.PASSWORD);
		assertThat(right.statusCode()).isEqualTo(401);
		assertThat(right.body()).contains("auth.badCredentials").doesNotContain("locked");
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'LOGIN_FAILED' and actor = :u")
			.param("u", user)
			.query(Long.class)
			.single()).isGreaterThanOrEqualTo(5);
	}

	@Test
	void aGoodPasswordResetsTheFailureCount() throws Exception {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		for (int i = 0; i < 4; i++) {
			token(user, "wrong");
		}
		assertThat(token(user, TestData.PASSWORD).statusCode()).isEqualTo(200);
		for (int i = 0; i < 4; i++) {
			token(user, "wrong");
		}
		assertThat(token(user, TestData.PASSWORD).statusCode()).isEqualTo(200);
	}

	@Test
	void revokedTokensNoLongerWork() throws Exception {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.HQ_ADMIN, tree.district());
		String token = this.data.token(baseUrl(), user);
		assertThat(get("/api/v1/nodes", token).statusCode()).isEqualTo(200);

		HttpResponse<String> revoked = this.http
			.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/auth/token"))
				.header("Authorization", "Bearer " + token)
				.DELETE()
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(revoked.statusCode()).isEqualTo(204);

		HttpResponse<String> after = get("/api/v1/nodes", token);
		assertThat(after.statusCode()).isEqualTo(401);
		assertThat(after.body()).contains("auth.token.invalid");
	}

	@Test
	void expiredTokensNoLongerWork() throws Exception {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.HQ_ADMIN, tree.district());
		String token = this.data.token(baseUrl(), user);
		this.jdbc.sql(
				"update api_token set expires_at = now() - interval '1 second' where account_id = (select id from account where username = :u)")
			.param("u", user)
			.update();
		assertThat(get("/api/v1/nodes", token).statusCode()).isEqualTo(401);
	}

	@Test
	void disablingAnAccountRevokesItsTokens() throws Exception {
		TestData.Tree tree = this.data.tree();
		CurrentUser admin = this.data.user(Role.HQ_ADMIN, tree.district());
		String user = this.data.account(Role.VOLUNTEER, tree.communityA1());
		String token = this.data.token(baseUrl(), user);
		long id = this.jdbc.sql("select id from account where username = :u")
			.param("u", user)
			.query(Long.class)
			.single();

		this.accounts.setEnabled(admin, id, false);

		assertThat(get("/api/v1/nodes", token).statusCode()).isEqualTo(401);
		assertThat(token(user, TestData.PASSWORD).statusCode()).isEqualTo(401);
	}

	@Autowired
	AccountService accounts;

	@Test
	void accountsCanOnlyBeOpenedWithinOnesJurisdictionAndRights() {
		TestData.Tree tree = this.data.tree();
		CurrentUser street = this.data.user(Role.STREET_ADMIN, tree.streetA());
		long id = this.accounts.create(street, new AccountService.NewAccount("guard-" + System.nanoTime(), "门卫",
				"Tide-Lantern-Quarry-1947", Role.CHECKPOINT_GUARD, tree.communityA1().id()));
		assertThat(id).isPositive();
		assertThatThrownBy(() -> this.accounts.create(street,
				new AccountService.NewAccount("x-" + System.nanoTime(), "x", "Tide-Lantern-Quarry-1947",
						Role.CHECKPOINT_GUARD, tree.communityB1().id())))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		assertThatThrownBy(() -> this.accounts.create(street,
				new AccountService.NewAccount("y-" + System.nanoTime(), "y", "Tide-Lantern-Quarry-1947", Role.HQ_ADMIN,
						tree.communityA1().id())))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		assertThatThrownBy(() -> this.accounts.create(worker,
				new AccountService.NewAccount("z-" + System.nanoTime(), "z", "Tide-Lantern-Quarry-1947", Role.VOLUNTEER,
						tree.communityA1().id())))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	@Test
	void theFirstAdministratorUsesTheConfiguredPassword() throws Exception {
		assertThat(token("admin", "test-admin-password").statusCode()).isEqualTo(200);
		assertThat(this.jdbc.sql("select count(*) from account where username = 'admin' and node_id is null")
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void theAuditTrailCannotBeChangedOrDeleted() {
		this.jdbc.sql("insert into audit_event (actor, action) values ('test', 'TEST')").update();
		assertThatThrownBy(
				() -> this.jdbc.sql("update audit_event set actor = 'someone else' where action = 'TEST'").update())
			.hasMessageContaining("append-only");
		assertThatThrownBy(() -> this.jdbc.sql("delete from audit_event where action = 'TEST'").update())
			.hasMessageContaining("append-only");
	}

	@Test
	void anonymousCallsAreTurnedAway() throws Exception {
		HttpResponse<String> api = get("/api/v1/residents", null);
		assertThat(api.statusCode()).isEqualTo(401);
		assertThat(api.body()).contains("auth.required");
		HttpResponse<String> page = get("/residents", null);
		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(page.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/login"));
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
	}

}
