package org.fangxian.platform;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fangxian.security.MatrixRows;
import org.fangxian.security.Role;
import org.junit.jupiter.api.DynamicTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Platform's rows of the authorization matrix: the language switch (public) and the
 * operations endpoints (HQ only).
 */
class PlatformMatrixRows extends MatrixRows {

	@Override
	protected List<Route> pageRoutes() {
		return List.of(
				// Public (see anonymous); the language the menu link switches to is the
				// one already in use.
				page("GET", "/language", needs(), UNSCOPED, 302, (c, p) -> Call.get("/language?lang=zh_CN"), null),
				// Landing per role (platform.Landing): "/" itself is in the registry's
				// rows;
				// the top of the jurisdiction moved to /nodes (a node-bound caller goes
				// on
				// to their node) and the first-run guidance is open to any signed-in
				// account.
				page("GET", "/nodes", needs(), UNSCOPED, 302, (c, p) -> Call.get("/nodes"), null),
				page("GET", "/welcome", needs(), UNSCOPED, 200, (c, p) -> Call.get("/welcome"), null));
	}

	@Override
	protected Set<String> publicPages() {
		return Set.of("/language");
	}

	@Override
	protected List<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			Role role = caller.role();
			// Operations endpoints are for HQ only (SecurityConfiguration), bearer tokens
			// included.
			tests.add(special("GET /actuator/metrics", caller, false,
					role == Role.HQ_ADMIN ? Outcome.ALLOWED : Outcome.FORBIDDEN, 200,
					() -> Call.get("/actuator/metrics")));
		}
		// The language switch is public (the login page has it too) and goes back where
		// the visitor came from.
		tests.add(DynamicTest.dynamicTest("GET /language signed out → 302 back to the page it came from", () -> {
			Reply reply = raw("GET", "/language?lang=en",
					Map.of("Accept", "text/html", "Referer", baseUrl() + "/login?logout&lang=zh_CN"), null);
			assertEquals(302, reply.status(), reply::summary);
			URI back = URI.create(reply.location());
			assertEquals("/login?logout", back.getRawPath() + "?" + back.getRawQuery(), reply::summary);
		}));
		// Only the path of the Referer is kept: the switch cannot send anyone to another
		// site.
		for (String referer : List.of("https://elsewhere.example/phish", "//elsewhere.example/phish")) {
			tests.add(DynamicTest.dynamicTest("GET /language signed out, Referer " + referer + " → 302 on this site",
					() -> {
						Reply reply = raw("GET", "/language?lang=en", Map.of("Accept", "text/html", "Referer", referer),
								null);
						assertEquals(302, reply.status(), reply::summary);
						URI back = URI.create(reply.location());
						assertTrue(back.getHost() == null || back.getHost().equals("localhost"), reply::summary);
					}));
		}
		return tests;
	}

}
