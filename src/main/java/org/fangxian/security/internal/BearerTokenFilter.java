package org.fangxian.security.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API calls carrying {@code Authorization: Bearer <token>}; never creates a
 * session.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

	static final String PREFIX = "Bearer ";

	/** The one call a token may make while its account must choose a new password. */
	static final RequestMatcher OWN_PASSWORD = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.PUT, "/api/v1/accounts/me/password");

	private final ApiTokens tokens;

	BearerTokenFilter(ApiTokens tokens) {
		this.tokens = tokens;
	}

	public static boolean hasBearer(HttpServletRequest request) {
		String header = request.getHeader("Authorization");
		return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
	}

	public static String bearer(HttpServletRequest request) {
		return request.getHeader("Authorization").substring(PREFIX.length()).trim();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!hasBearer(request)) {
			chain.doFilter(request, response);
			return;
		}
		var account = this.tokens.authenticate(bearer(request));
		if (account.isEmpty()) {
			ProblemResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED, "auth.token.invalid",
					"The token is unknown, expired or revoked. Request a new one at /api/v1/auth/token.");
			return;
		}
		if (account.get().mustChangePassword() && !OWN_PASSWORD.matches(request)) {
			ProblemResponses.write(response, HttpServletResponse.SC_FORBIDDEN, "auth.password.changeRequired",
					"An administrator reset this account's password: choose a new one first with PUT /api/v1/accounts/me/password.");
			return;
		}
		AccountDetails details = new AccountDetails(account.get().toCurrentUser(), account.get().mustChangePassword());
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(
				UsernamePasswordAuthenticationToken.authenticated(details, null, details.getAuthorities()));
		SecurityContextHolder.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

}
