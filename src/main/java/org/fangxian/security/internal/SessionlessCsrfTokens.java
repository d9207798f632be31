package org.fangxian.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * CSRF tokens without a session for whoever has none: the public pages (a returnee's
 * report, a check-in link, the sign-in form) carry a form, and keeping its token in the
 * session wrote a session row to the database for every anonymous visit. Without a
 * session the token lives in an HttpOnly cookie (double submit); once signed in, in the
 * session as before.
 */
final class SessionlessCsrfTokens implements CsrfTokenRepository {

	private final HttpSessionCsrfTokenRepository session = new HttpSessionCsrfTokenRepository();

	private final CookieCsrfTokenRepository cookie = new CookieCsrfTokenRepository();

	SessionlessCsrfTokens() {
		this.cookie.setCookieName("FX-CSRF");
		this.cookie.setCookieCustomizer(c -> c.sameSite("Lax"));
	}

	@Override
	public CsrfToken generateToken(HttpServletRequest request) {
		return this.session.generateToken(request);
	}

	@Override
	public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
		if (request.getSession(false) != null) {
			this.session.saveToken(token, request, response);
		}
		else {
			this.cookie.saveToken(token, request, response);
		}
	}

	@Override
	public CsrfToken loadToken(HttpServletRequest request) {
		CsrfToken token = request.getSession(false) == null ? null : this.session.loadToken(request);
		return token != null ? token : this.cookie.loadToken(request);
	}

}
