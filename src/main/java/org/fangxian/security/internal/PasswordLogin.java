package org.fangxian.security.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.fangxian.security.AccountService;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Checks a user name and password for the login form and {@code POST /api/v1/auth/token}.
 * An unknown name, a wrong password, a disabled account and an address throttled by
 * {@link LoginThrottle} all get the same {@link BadCredentialsException} after the same
 * work (one password hash comparison), so neither the answer nor its timing tells a
 * guesser which it was.
 */
@Component
class PasswordLogin implements AuthenticationProvider {

	/**
	 * Compared against when the name is unknown, so that costs what a real comparison
	 * costs.
	 */
	private final String decoyHash;

	private final Accounts accounts;

	private final LoginThrottle throttle;

	private final PasswordEncoder passwordEncoder;

	private final Clock clock;

	PasswordLogin(Accounts accounts, LoginThrottle throttle, PasswordEncoder passwordEncoder, Clock clock) {
		this.accounts = accounts;
		this.throttle = throttle;
		this.passwordEncoder = passwordEncoder;
		this.clock = clock;
		this.decoyHash = passwordEncoder.encode(AccountService.generatePassword());
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String key = Usernames.normalise(authentication.getName());
		String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
		String client = clientAddress(authentication);
		Instant now = this.clock.instant();

		boolean throttled = this.throttle.isLocked(key, client, now);
		Optional<Accounts.AccountRow> account = this.accounts.findByUsername(key);
		boolean matches = this.passwordEncoder.matches(password,
				account.map(Accounts.AccountRow::passwordHash).orElse(this.decoyHash));
		if (throttled || !matches || account.isEmpty() || !account.get().enabled()) {
			if (!throttled) {
				this.throttle.recordFailure(key, client, now);
			}
			throw new BadCredentialsException("bad credentials");
		}
		this.throttle.recordSuccess(key, client);
		AccountDetails details = new AccountDetails(account.get().toCurrentUser(), account.get().mustChangePassword());
		UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(details, null,
				details.getAuthorities());
		result.setDetails(authentication.getDetails());
		return result;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/**
	 * The address as the servlet container sees it (the client's, once forwarded headers
	 * are trusted).
	 */
	static String clientAddress(Authentication authentication) {
		if (authentication.getDetails() instanceof WebAuthenticationDetails details
				&& details.getRemoteAddress() != null) {
			return details.getRemoteAddress();
		}
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return "unknown";
	}

}
