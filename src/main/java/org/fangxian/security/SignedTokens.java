package org.fangxian.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The one signed-token helper: {@code <body>.<signature>}, the signature a MAC under a
 * key of the token's purpose alone (a pass's signature never passes as a family link's),
 * checked in constant time, with an optional expiry written into the body as epoch
 * seconds. Every no-login link, printed pass and form token is made here, through
 * {@link PersonalDataProtection#tokens()}.
 *
 * <p>
 * {@link Length} keeps the formats already printed and texted valid byte for byte
 * (SignedTokensTest pins them): links carry 22 characters of the MAC, passes its first 16
 * bytes, the returnee form all of it.
 */
public final class SignedTokens {

	/**
	 * How much of the 32-byte MAC a token carries, in URL-safe Base64 without padding.
	 */
	public enum Length {

		/**
		 * The first 22 characters of the whole MAC (132 bits): no-login links (signed
		 * ids, family links).
		 */
		LINK,

		/** The first 16 bytes (22 characters): printed passes. */
		PASS,

		/** All 32 bytes (43 characters): the returnee form's shown-at token. */
		FULL

	}

	/** A genuine token, unexpired: its body without the expiry, and the expiry. */
	public record Expiring(String body, Instant expiresAt) {
	}

	private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");

	private static final int MAX_LENGTH = 200;

	private final BiFunction<String, String, byte[]> mac;

	/** {@code mac}: (purpose, message) → the MAC under the purpose's own key. */
	SignedTokens(BiFunction<String, String, byte[]> mac) {
		this.mac = mac;
	}

	/** {@code <body>.<signature of body>}. */
	public String sign(String purpose, String body, Length length) {
		return body + "." + signature(purpose, body, length);
	}

	/**
	 * {@code <body>.<expiry epoch seconds>.<signature of both>}: good until
	 * {@code expiresAt}.
	 */
	public String sign(String purpose, String body, Instant expiresAt, Length length) {
		return sign(purpose, body + "." + expiresAt.getEpochSecond(), length);
	}

	/**
	 * The signature of {@code message} alone: for a token whose signature covers more
	 * than it shows (a family link's generation); compare with {@link #same}.
	 */
	public String signature(String purpose, String message, Length length) {
		byte[] mac = this.mac.apply(purpose, message);
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		return switch (length) {
			case LINK -> base64.encodeToString(mac).substring(0, 22);
			case PASS -> base64.encodeToString(Arrays.copyOf(mac, 16));
			case FULL -> base64.encodeToString(mac);
		};
	}

	/**
	 * The body of a token made by {@link #sign(String, String, Length)} for this purpose,
	 * or empty when it is not one (forged, cut, another purpose's).
	 */
	public Optional<String> verify(String purpose, String token, Length length) {
		if (token == null || token.length() > MAX_LENGTH) {
			return Optional.empty();
		}
		int dot = token.lastIndexOf('.');
		if (dot <= 0) {
			return Optional.empty();
		}
		String body = token.substring(0, dot);
		return same(sign(purpose, body, length), token) ? Optional.of(body) : Optional.empty();
	}

	/**
	 * The body and expiry of a token made by
	 * {@link #sign(String, String, Instant, Length)}, when genuine and not expired at
	 * {@code now}.
	 */
	public Optional<Expiring> verify(String purpose, String token, Instant now, Length length) {
		return verify(purpose, token, length).flatMap(signed -> {
			int dot = signed.lastIndexOf('.');
			String seconds = signed.substring(dot + 1);
			if (dot <= 0 || !EPOCH_SECONDS.matcher(seconds).matches()) {
				return Optional.empty();
			}
			Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(seconds));
			return expiresAt.isAfter(now) ? Optional.of(new Expiring(signed.substring(0, dot), expiresAt))
					: Optional.empty();
		});
	}

	/** Compares two tokens or signatures in constant time. */
	public static boolean same(String expected, String given) {
		return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				given.getBytes(StandardCharsets.US_ASCII));
	}

}
