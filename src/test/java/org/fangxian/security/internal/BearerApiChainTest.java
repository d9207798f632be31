package org.fangxian.security.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import jakarta.servlet.Filter;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.savedrequest.RequestCacheAwareFilter;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.session.SessionManagementFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API calls with a bearer token go through a chain of their own without the session's
 * filters (issue 17); everything else, and the token request, through the main chain.
 * Both answer a bearer call the same way.
 */
class BearerApiChainTest extends IntegrationTest {

	@Autowired
	FilterChainProxy filterChainProxy;

	private final HttpClient http = HttpClient.newHttpClient();

	private List<Class<?>> chainFor(String method, String path, boolean bearer) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		if (bearer) {
			request.addHeader("Authorization", "Bearer abc");
		}
		SecurityFilterChain chain = this.filterChainProxy.getFilterChains()
			.stream()
			.filter(candidate -> candidate.matches(request))
			.findFirst()
			.orElseThrow();
		return chain.getFilters().stream().<Class<?>>map(Filter::getClass).toList();
	}

	@Test
	void aBearerCallToTheApiSkipsTheSessionsFiltersAndEveryOtherCallKeepsThem() {
		List<Class<?>> scan = chainFor("POST", "/api/v1/checkpoints/7/scans", true);
		assertThat(scan).contains(BearerTokenFilter.class, PasswordChangeGate.class)
			.doesNotContain(CsrfFilter.class, LogoutFilter.class, RequestCacheAwareFilter.class,
					UsernamePasswordAuthenticationFilter.class, SessionManagementFilter.class,
					DisableEncodeUrlFilter.class);
		assertThat(chainFor("GET", "/api/v1/nodes/1", true)).isEqualTo(scan);

		for (List<Class<?>> main : List.of(chainFor("POST", "/api/v1/checkpoints/7/scans", false),
				chainFor("POST", "/api/v1/auth/token", true), chainFor("DELETE", "/api/v1/auth/token", true),
				chainFor("GET", "/checkpoints", true), chainFor("GET", "/apiary", true))) {
			assertThat(main).contains(CsrfFilter.class, LogoutFilter.class, UsernamePasswordAuthenticationFilter.class,
					BearerTokenFilter.class);
		}
	}

	private HttpResponse<String> get(String path, String bearer) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void aBearerCallIsAnsweredAsBeforeWithoutASessionAndWithTheSameHeaders() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));

		HttpResponse<String> own = get("/api/v1/nodes/" + tree.communityA1().id(), token);
		assertThat(own.statusCode()).isEqualTo(200);
		assertThat(own.headers().firstValue("Set-Cookie")).isEmpty();
		assertThat(own.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
				csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
		assertThat(own.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
		assertThat(own.headers().firstValue("X-Frame-Options")).contains("DENY");
		assertThat(own.headers().firstValue("Cache-Control"))
			.hasValueSatisfying(c -> assertThat(c).contains("no-store"));

		HttpResponse<String> unknown = get("/api/v1/nodes/" + tree.communityA1().id(), "not-a-token");
		assertThat(unknown.statusCode()).isEqualTo(401);
		assertThat(unknown.body()).contains("auth.token.invalid");
		assertThat(unknown.headers().firstValue("Set-Cookie")).isEmpty();

		HttpResponse<String> none = get("/api/v1/nodes/" + tree.communityA1().id(), null);
		assertThat(none.statusCode()).isEqualTo(401);
		assertThat(none.body()).contains("auth.required");

		// A path no controller has still needs an account first, then is not found.
		assertThat(get("/api/v1/no-such-thing", "not-a-token").statusCode()).isEqualTo(401);
		assertThat(get("/api/v1/no-such-thing", token).statusCode()).isEqualTo(404);
	}

}
