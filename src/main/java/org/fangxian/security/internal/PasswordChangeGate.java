package org.fangxian.security.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * After an administrator reset its password, a signed-in account is sent to the
 * change-password page until it has chosen its own; its API calls in the session answer
 * 403 {@code auth.password.changeRequired}. (Bearer tokens are held back by
 * {@link BearerTokenFilter} the same way.)
 */
public class PasswordChangeGate extends OncePerRequestFilter {

	public static final String PAGE = "/account/password";

	private final Accounts accounts;

	PasswordChangeGate(Accounts accounts) {
		this.accounts = accounts;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		// The flag was read at sign-in; the database has the last word, so a changed
		// password lets the session on.
		if (authentication != null && authentication.getPrincipal() instanceof AccountDetails details
				&& details.mustChangePassword() && !allowed(request)
				&& this.accounts.mustChangePassword(details.user().accountId())) {
			if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
				ProblemResponses.write(response, HttpServletResponse.SC_FORBIDDEN, "auth.password.changeRequired",
						"Choose a new password first: PUT /api/v1/accounts/me/password.");
			}
			else {
				response.sendRedirect(request.getContextPath() + PAGE);
			}
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean allowed(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.equals(PAGE) || path.equals("/logout") || path.equals("/login")
				|| path.equals("/api/v1/accounts/me/password") || path.startsWith("/css/") || path.startsWith("/js/")
				|| path.startsWith("/webjars/") || path.equals("/favicon.ico") || path.equals("/error")
				|| path.equals("/language");
	}

}
