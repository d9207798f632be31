package org.fangxian.security.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Opaque bearer tokens for the JSON API. Only a SHA-256 of each token is stored, so a
 * copy of the database does not let anyone call the API; tokens expire and can be
 * revoked.
 */
@Component
public class ApiTokens {

	private final JdbcClient jdbc;

	private final Accounts accounts;

	private final Duration timeToLive;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private final TokenCache cache;

	ApiTokens(JdbcClient jdbc, Accounts accounts, @Value("${fangxian.security.token-ttl:PT8H}") Duration timeToLive,
			Clock clock, TokenCache cache) {
		this.jdbc = jdbc;
		this.cache = cache;
		this.accounts = accounts;
		this.timeToLive = timeToLive;
		this.clock = clock;
	}

	public record IssuedToken(String token, Instant expiresAt) {
	}

	public IssuedToken issue(long accountId) {
		byte[] secret = new byte[32];
		this.random.nextBytes(secret);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		Instant expiresAt = this.clock.instant().plus(this.timeToLive);
		this.jdbc.sql("insert into api_token (token_hash, account_id, expires_at) values (:hash, :account, :expires)")
			.param("hash", sha256(token))
			.param("account", accountId)
			.param("expires", Timestamp.from(expiresAt))
			.update();
		return new IssuedToken(token, expiresAt);
	}

	/**
	 * The account behind a live token, or empty for an unknown, expired or revoked one,
	 * or a disabled account. Failed sign-ins by others never end a token (see
	 * {@link LoginThrottle}).
	 */
	Optional<Accounts.AccountRow> authenticate(String token) {
		Instant now = this.clock.instant();
		byte[] hash = sha256(token);
		if (!this.cache.listening()) {
			return this.accounts.findByLiveToken(hash, now).filter(Accounts.AccountRow::enabled);
		}
		return this.cache
			.get(hash, now,
					() -> this.accounts.findByLiveToken(hash, now)
						.map(row -> new TokenCache.Entry(row, expiresAt(hash).orElse(now))))
			.filter(Accounts.AccountRow::enabled);
	}

	private Optional<Instant> expiresAt(byte[] hash) {
		return this.jdbc.sql("select expires_at from api_token where token_hash = :hash")
			.param("hash", hash)
			.query(java.sql.Timestamp.class)
			.optional()
			.map(java.sql.Timestamp::toInstant);
	}

	// This node's own revocations take effect here at once; the others hear of them by
	// NOTIFY (V91) once they commit.
	public boolean revoke(String token) {
		byte[] hash = sha256(token);
		boolean revoked = this.jdbc
			.sql("update api_token set revoked_at = now() where token_hash = :hash and revoked_at is null")
			.param("hash", hash)
			.update() > 0;
		this.cache.changed("token:" + java.util.HexFormat.of().formatHex(hash));
		return revoked;
	}

	public void revokeAll(long accountId) {
		this.jdbc.sql("update api_token set revoked_at = now() where account_id = :id and revoked_at is null")
			.param("id", accountId)
			.update();
		this.cache.changed("account:" + accountId);
	}

	static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256")
				.digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
