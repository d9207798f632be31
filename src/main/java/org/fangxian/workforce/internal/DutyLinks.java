package org.fangxian.workforce.internal;

import java.util.Optional;

import org.fangxian.security.PersonalDataProtection;

import org.springframework.stereotype.Component;

/**
 * A volunteer's own no-login link to their shifts, {@code /d/<id>.<signature>}, texted
 * with each new roster: the signature makes it unguessable and unforgeable.
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

	/**
	 * A street's or community's public registration link token
	 * ({@code /join/<node id>.<signature>}).
	 */
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
		return this.protection.signedId(purpose, id);
	}

	public String url(long volunteerId) {
		return this.outbox.link("/d/" + token(volunteerId));
	}

	public Optional<Long> verify(String token) {
		return verify(PURPOSE, token);
	}

	private Optional<Long> verify(String purpose, String token) {
		return this.protection.verifySignedId(purpose, token);
	}

}
