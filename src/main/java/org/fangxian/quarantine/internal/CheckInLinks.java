package org.fangxian.quarantine.internal;

import java.util.Optional;

import org.fangxian.security.PersonalDataProtection;

import org.springframework.stereotype.Component;

/**
 * The link a person under quarantine uses to check in from their phone without an
 * account: {@code /q/<id>.<signature>}; the signature makes the id unguessable and the
 * link unforgeable.
 */
@Component
public class CheckInLinks {

	private static final String PURPOSE = "quarantine-check-in";

	private final PersonalDataProtection protection;

	CheckInLinks(PersonalDataProtection protection) {
		this.protection = protection;
	}

	public String token(long quarantineId) {
		return this.protection.signedId(PURPOSE, quarantineId);
	}

	public Optional<Long> verify(String token) {
		return this.protection.verifySignedId(PURPOSE, token);
	}

}
