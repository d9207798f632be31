package org.fangxian.containment;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import org.fangxian.security.PersonalDataProtection;

import org.springframework.stereotype.Component;

/**
 * The link a person under quarantine uses to check in from their phone without an account:
 * {@code /q/<id>.<signature>}; the signature makes the id unguessable and the link unforgeable.
 */
@Component
class CheckInLinks {

	private static final String PURPOSE = "quarantine-check-in";

	private final PersonalDataProtection protection;

	CheckInLinks(PersonalDataProtection protection) {
		this.protection = protection;
	}

	String token(long quarantineId) {
		byte[] signature = this.protection.sign(PURPOSE, Long.toString(quarantineId));
		return quarantineId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature).substring(0, 22);
	}

	Optional<Long> verify(String token) {
		if (token == null || token.length() > 60) {
			return Optional.empty();
		}
		int dot = token.indexOf('.');
		if (dot <= 0) {
			return Optional.empty();
		}
		long id;
		try {
			id = Long.parseLong(token.substring(0, dot));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
		boolean valid = MessageDigest.isEqual(token(id).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
				token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		return valid ? Optional.of(id) : Optional.empty();
	}

}
