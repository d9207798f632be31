package org.fangxian.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fangxian.TestData.NodeRef;
import org.fangxian.TestData;
import org.junit.jupiter.api.DynamicTest;

import static org.fangxian.security.Permission.MANAGE_ACCOUNTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security's rows of the authorization matrix: account management, one's own password,
 * bearer tokens and the sign-in page.
 */
class SecurityMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(
				// Account management (issue 10, trust-accounts). Each change acts on a
				// checkpoint guard of its own at the
				// place: a role whose permissions every account manager holds, so only
				// the place decides the outcome.
				api("GET", "/api/v1/accounts", needs(MANAGE_ACCOUNTS), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/accounts"), null),
				api("POST", "/api/v1/accounts", needs(MANAGE_ACCOUNTS), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/accounts", newAccount(Role.CHECKPOINT_GUARD, p)), null),
				api("POST", "/api/v1/accounts/{id}/disable", needs(MANAGE_ACCOUNTS), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/accounts/" + guard(p) + "/disable", null), null),
				api("POST", "/api/v1/accounts/{id}/enable", needs(MANAGE_ACCOUNTS), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/accounts/" + guard(p) + "/enable", null), null),
				api("PUT", "/api/v1/accounts/{id}/role", needs(MANAGE_ACCOUNTS), SCOPED, 204,
						(c, p) -> Call.json("PUT", "/api/v1/accounts/" + guard(p) + "/role",
								Map.of("role", "CHECKPOINT_GUARD")),
						null),
				api("PUT", "/api/v1/accounts/{id}/node", needs(MANAGE_ACCOUNTS), SCOPED, 204,
						(c, p) -> Call.json("PUT", "/api/v1/accounts/" + guard(p) + "/node",
								Map.of("nodeId", String.valueOf(p.community().id()))),
						null),
				api("POST", "/api/v1/accounts/{id}/password-reset", needs(MANAGE_ACCOUNTS), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/accounts/" + guard(p) + "/password-reset", null),
						p -> "temporaryPassword"),
				// Enrolment reports rows outside the caller's reach per row (see
				// accountImportOutside), so: unscoped.
				api("POST", "/api/v1/accounts/imports", needs(MANAGE_ACCOUNTS), UNSCOPED, 200,
						(c, p) -> Call.multipart("/api/v1/accounts/imports", Map.of(), cadres(p)),
						p -> "\"accepted\":1"));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(
				page("GET", "/accounts", needs(MANAGE_ACCOUNTS), UNSCOPED, 200, (c, p) -> Call.get("/accounts"), null),
				page("POST", "/accounts", needs(MANAGE_ACCOUNTS), SCOPED, 302,
						(c, p) -> Call.form("/accounts", newAccount(Role.CHECKPOINT_GUARD, p)), null),
				page("POST", "/accounts/{id}/enabled", needs(MANAGE_ACCOUNTS), SCOPED, 302,
						(c, p) -> Call.form("/accounts/" + guard(p) + "/enabled", Map.of("enabled", "false")), null),
				// Account management (issue 10, trust-accounts): each on a checkpoint
				// guard of its own, as in the API.
				page("GET", "/accounts/{id}", needs(MANAGE_ACCOUNTS), SCOPED, 200,
						(c, p) -> Call.get("/accounts/" + guard(p)), p -> p.community().name()),
				page("POST", "/accounts/{id}/role", needs(MANAGE_ACCOUNTS), SCOPED, 302,
						(c, p) -> Call.form("/accounts/" + guard(p) + "/role", Map.of("role", "CHECKPOINT_GUARD")),
						null),
				page("POST", "/accounts/{id}/node", needs(MANAGE_ACCOUNTS), SCOPED, 302,
						(c, p) -> Call.form("/accounts/" + guard(p) + "/node",
								Map.of("nodeId", String.valueOf(p.community().id()))),
						null),
				page("POST", "/accounts/{id}/password-reset", needs(MANAGE_ACCOUNTS), SCOPED, 200,
						(c, p) -> Call.form("/accounts/" + guard(p) + "/password-reset", Map.of()),
						p -> "class=\"secret\""),
				page("GET", "/account/password", needs(), UNSCOPED, 200, (c, p) -> Call.get("/account/password"),
						null));
	}

	@Override
	protected List<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			Role role = caller.role();
			// Nobody grants a role above their own: only HQ may open an HQ account.
			tests.add(special("POST /accounts granting HQ_ADMIN inside", caller, true,
					role == Role.HQ_ADMIN ? Outcome.ALLOWED : Outcome.FORBIDDEN, 302,
					() -> Call.form("/accounts", newAccount(Role.HQ_ADMIN, caller.inside()))));
			// Account management (issue 10, trust-accounts): an account may hand out only
			// roles whose permissions are
			// all its own (a street administrator, who may not reveal ID numbers, cannot
			// make a community worker).
			boolean accountManager = SPEC.get(role).contains(MANAGE_ACCOUNTS);
			for (Role granted : Role.values()) {
				tests.add(special("POST /api/v1/accounts granting " + granted + " inside", caller, false,
						accountManager && SPEC.get(role).containsAll(SPEC.get(granted)) ? Outcome.ALLOWED
								: Outcome.FORBIDDEN,
						201, () -> Call.json("POST", "/api/v1/accounts", newAccount(granted, caller.inside()))));
				tests.add(special("POST /api/v1/accounts/{id}/password-reset of a " + granted + " inside", caller,
						false,
						accountManager
								&& SPEC.get(role).containsAll(SPEC.get(granted)) ? Outcome.ALLOWED : Outcome.FORBIDDEN,
						200,
						() -> Call.json("POST",
								"/api/v1/accounts/" + accountId(this.data.account(granted, caller.inside().community()))
										+ "/password-reset",
								null)));
			}
			tests.add(
					special("POST /api/v1/accounts/{id}/disable of one's own account", caller, false, Outcome.FORBIDDEN,
							204, () -> Call.json("POST", "/api/v1/accounts/" + caller.accountId() + "/disable", null)));
			tests.add(special("POST /api/v1/accounts/{id}/disable of a missing account", caller, false,
					accountManager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 204,
					() -> Call.json("POST", "/api/v1/accounts/" + MISSING_ID + "/disable", null)));
			// One's own password: every role, on an account of its own made for the call
			// (the caller's must stay).
			tests.add(special("PUT /api/v1/accounts/me/password", fresh(caller), false, Outcome.ALLOWED, 204,
					() -> Call.json("PUT", "/api/v1/accounts/me/password",
							Map.of("current", TestData.PASSWORD, "password", STRONG_PASSWORD))));
			tests.add(special("POST /account/password", fresh(caller), true, Outcome.ALLOWED, 302, () -> Call.form(
					"/account/password",
					Map.of("current", TestData.PASSWORD, "password", STRONG_PASSWORD, "repeat", STRONG_PASSWORD))));
			tests.add(DynamicTest.dynamicTest("POST /api/v1/accounts/imports of a row outside as " + role + " → "
					+ (accountManager ? "200, the row rejected" : "403"), () -> {
						Reply reply = send(caller, false, Call.multipart("/api/v1/accounts/imports", Map.of(),
								cadres(caller.outside() == null ? this.elsewhere : caller.outside())));
						assertEquals(accountManager ? 200 : 403, reply.status(), reply::summary);
						if (accountManager) {
							assertTrue(reply.text().contains("\"accepted\":0"), reply::summary);
							assertTrue(reply.text().contains("\"row\":2"), reply::summary);
						}
					}));
		}
		for (Caller caller : this.callers.values()) {
			tests.add(DynamicTest.dynamicTest("POST /api/v1/auth/token as " + caller.role() + " → 200", () -> {
				Reply reply = raw("POST", "/api/v1/auth/token", Map.of("Content-Type", "application/json"),
						JSON.writeValueAsBytes(Map.of("username", caller.username(), "password", TestData.PASSWORD)));
				assertEquals(200, reply.status(), reply::summary);
				String token = json(reply).get("token").asString();
				assertEquals(200, apiCall(token, Call.get("/api/v1/nodes")).status());
			}));
			tests.add(DynamicTest.dynamicTest(
					"DELETE /api/v1/auth/token as " + caller.role() + " → 204, then the token is refused", () -> {
						String token = this.data.token(baseUrl(), caller.username());
						assertEquals(200, apiCall(token, Call.get("/api/v1/nodes")).status());
						assertEquals(204,
								apiCall(token, new Call("DELETE", "/api/v1/auth/token", null, null, null, null))
									.status());
						assertEquals(401, apiCall(token, Call.get("/api/v1/nodes")).status());
					}));
		}
		tests.add(DynamicTest.dynamicTest("POST /api/v1/auth/token with a wrong password → 401", () -> {
			String username = this.data.account(Role.VOLUNTEER, this.tree.communityA1());
			Reply reply = raw("POST", "/api/v1/auth/token", Map.of("Content-Type", "application/json"),
					JSON.writeValueAsBytes(Map.of("username", username, "password", "not-the-password")));
			assertEquals(401, reply.status(), reply::summary);
			assertFalse(reply.text().contains("\"token\""), reply::summary);
		}));
		tests.add(DynamicTest.dynamicTest("GET /login signed out → 200", () -> {
			Session visitor = new Session();
			assertEquals(200, visitor.send(Call.get("/login"), false).status());
		}));
		return tests;
	}

	static Map<String, String> newAccount(Role role, Place place) {
		return Map.of("username", unique("made"), "displayName", "Made by the matrix", "password", STRONG_PASSWORD,
				"role", role.name(), "nodeId", String.valueOf(place.community().id()));
	}

	/**
	 * Passes the password policy (nbvcxz), unlike the fixture's password, which predates
	 * it.
	 */
	static final String STRONG_PASSWORD = "Quarry-Lantern-Matrix-1958";

	/**
	 * A new account of the caller's role and node, signed in: for calls that change the
	 * account itself.
	 */
	private Caller fresh(Caller caller) {
		NodeRef node = caller.role() == Role.HQ_ADMIN ? this.tree.district()
				: caller.role() == Role.STREET_ADMIN ? this.tree.streetA() : this.tree.communityA1();
		String username = this.data.account(caller.role(), node);
		return new Caller(caller.role(), username, accountId(username), node.id(), this.data.token(baseUrl(), username),
				signIn(username), caller.inside(), caller.outside());
	}

	/**
	 * A fresh checkpoint guard bound to the place's community: something any account
	 * manager there may change.
	 */
	private long guard(Place place) {
		return accountId(this.data.account(Role.CHECKPOINT_GUARD, place.community()));
	}

	/** A cadre spreadsheet of one checkpoint guard at the place's community. */
	static FilePart cadres(Place place) {
		return new FilePart("cadres.csv",
				("姓名,手机号,账号,角色,辖区代码\n矩阵干部,13800138000," + unique("cadre") + ",卡点值守," + place.community().code() + "\n")
					.getBytes(StandardCharsets.UTF_8));
	}

}
