package org.fangxian.security;

import java.time.Clock;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/** Counts failed passwords and locks the account for a while after too many. */
@Component
class LoginAttempts {

	private final Accounts accounts;

	private final Clock clock;

	LoginAttempts(Accounts accounts, Clock clock) {
		this.accounts = accounts;
		this.clock = clock;
	}

	@EventListener
	void onFailure(AuthenticationFailureBadCredentialsEvent event) {
		this.accounts.recordFailure(event.getAuthentication().getName(), this.clock.instant());
	}

	@EventListener
	void onSuccess(AuthenticationSuccessEvent event) {
		if (event.getAuthentication().getPrincipal() instanceof AccountDetails details) {
			this.accounts.recordSuccess(details.getUsername());
		}
	}

}
