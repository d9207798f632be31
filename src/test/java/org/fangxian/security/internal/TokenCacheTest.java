package org.fangxian.security.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer tokens are answered from memory, and a change made anywhere (another node, a
 * database tool) reaches this node's cache through LISTEN/NOTIFY: the changes below are
 * plain SQL, not this node's own revoke, so only the pushed notice can end the cached
 * token.
 */
class TokenCacheTest extends IntegrationTest {

	@Autowired
	ApiTokens tokens;

	@Autowired
	TokenCache cache;

	@Autowired
	JdbcClient jdbc;

	CurrentUser guard;

	@BeforeEach
	void listening() {
		await(this.cache::listening, "the token cache's listener connects");
		TestData.Tree tree = this.data.tree();
		this.guard = this.data.user(Role.CHECKPOINT_GUARD, tree.communityA1());
	}

	@Test
	void aTokenRevokedElsewhereStopsWorkingOnThisNode() {
		String token = this.tokens.issue(this.guard.accountId()).token();
		byte[] hash = ApiTokens.sha256(token);
		assertThat(this.tokens.authenticate(token)).isPresent();
		assertThat(this.cache.peek(hash)).as("held in memory after the first call").isPresent();
		assertThat(this.cache.peek(hash).get().account().passwordHash()).as("no password hash in memory").isNull();
		assertThat(this.tokens.authenticate(token)).isPresent();

		this.jdbc.sql("update api_token set revoked_at = now() where token_hash = :hash").param("hash", hash).update();

		await(() -> this.tokens.authenticate(token).isEmpty(), "the revoked token is refused");
		assertThat(this.cache.peek(hash)).isEmpty();
	}

	@Test
	void anAccountDisabledElsewhereLosesItsTokens() {
		String token = this.tokens.issue(this.guard.accountId()).token();
		assertThat(this.tokens.authenticate(token)).isPresent();
		assertThat(this.cache.peek(ApiTokens.sha256(token))).isPresent();

		this.jdbc.sql("update account set enabled = false where id = :id").param("id", this.guard.accountId()).update();

		await(() -> this.tokens.authenticate(token).isEmpty(), "the disabled account's token is refused");
	}

	@Test
	void anExpiredTokenIsRefusedFromMemoryToo() {
		String token = this.tokens.issue(this.guard.accountId()).token();
		byte[] hash = ApiTokens.sha256(token);
		assertThat(this.tokens.authenticate(token)).isPresent();
		TokenCache.Entry held = this.cache.peek(hash).orElseThrow();
		assertThat(this.cache.get(hash, held.expiresAt().minusSeconds(1), java.util.Optional::empty)).isPresent();
		// past its expiry neither memory nor a (stale) load may answer for it
		assertThat(this.cache.get(hash, held.expiresAt().plusSeconds(1), () -> java.util.Optional.of(held))).isEmpty();
	}

	private static void await(BooleanSupplier condition, String what) {
		Instant end = Instant.now().plus(Duration.ofSeconds(10));
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as(what + " within 10 s").isBefore(end);
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
