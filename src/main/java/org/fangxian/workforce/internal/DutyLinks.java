package org.fangxian.workforce.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import org.fangxian.security.PersonalDataProtection;

import org.springframework.stereotype.Component;

/**
 * A volunteer's own no-login link to their shifts, {@code /d/<id>.<signature>}, texted with each new
 * roster: the signature makes it unguessable and unforgeable.
 */
@Component
public class DutyLinks {

	private static final String PURPOSE = "duty-shifts";

	private static final String JOIN = "volunteer-join";

	private final PersonalDataProtection protection;

	private final org.fangxian.notification.Outbox outbox;

	DutyLinks(PersonalDataProtection protection, org.fangxian.notification.Outbox outbox) {
		this.protection = protection;
		this.outbox = outbox;
	}

	/** A post's code as a link: what its printed QR opens. */
	public String postUrl(String qrToken) {
		return this.outbox.link("/p/" + qrToken);
	}

	public String token(long volunteerId) {
		return signed(PURPOSE, volunteerId);
	}

	/** A street's or community's public registration link token ({@code /join/<node id>.<signature>}). */
	public String joinToken(long nodeId) {
		return signed(JOIN, nodeId);
	}

	public String joinUrl(long nodeId) {
		return this.outbox.link("/join/" + joinToken(nodeId));
	}

	public Optional<Long> verifyJoin(String token) {
		return verify(JOIN, token);
	}

	private String signed(String purpose, long id) {
		byte[] signature = this.protection.sign(purpose, Long.toString(id));
		return id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature).substring(0, 22);
	}

	public String url(long volunteerId) {
		return this.outbox.link("/d/" + token(volunteerId));
	}

	public Optional<Long> verify(String token) {
		return verify(PURPOSE, token);
	}

	private Optional<Long> verify(String purpose, String token) {
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
		boolean valid = MessageDigest.isEqual(signed(purpose, id).getBytes(StandardCharsets.US_ASCII),
				token.getBytes(StandardCharsets.US_ASCII));
		return valid ? Optional.of(id) : Optional.empty();
	}

}
