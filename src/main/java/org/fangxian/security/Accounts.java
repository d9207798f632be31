package org.fangxian.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Repository;

/** Account storage; also the login lookup. */
@Repository
class Accounts implements UserDetailsService {

	static final int MAX_FAILED_ATTEMPTS = 5;

	static final Duration LOCKOUT = Duration.ofMinutes(15);

	private final JdbcClient jdbc;

	Accounts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record AccountRow(long id, String username, String displayName, String passwordHash, Role role, Long nodeId,
			String scopePath, boolean enabled, int failedAttempts, Instant lockedUntil) {

		CurrentUser toCurrentUser() {
			return new CurrentUser(this.id, this.username, this.displayName, this.role, this.nodeId, this.scopePath);
		}

		boolean lockedAt(Instant now) {
			return this.lockedUntil != null && this.lockedUntil.isAfter(now);
		}

	}

	private static final String SELECT = """
			select a.id, a.username, a.display_name, a.password_hash, a.role, a.node_id,
			       coalesce(n.path, '/') as scope_path, a.enabled, a.failed_attempts, a.locked_until
			from account a left join division_node n on n.id = a.node_id
			""";

	Optional<AccountRow> findByUsername(String username) {
		return this.jdbc.sql(SELECT + " where lower(a.username) = lower(:username)")
			.param("username", username)
			.query(AccountRow.class)
			.optional();
	}

	Optional<AccountRow> findById(long id) {
		return this.jdbc.sql(SELECT + " where a.id = :id").param("id", id).query(AccountRow.class).optional();
	}

	/** The account behind a live API token: one statement, as it runs on every API call. */
	Optional<AccountRow> findByLiveToken(byte[] tokenHash, Instant now) {
		return this.jdbc.sql(SELECT + """
				 join api_token t on t.account_id = a.id
				where t.token_hash = :hash and t.revoked_at is null and t.expires_at > :now""")
			.param("hash", tokenHash)
			.param("now", java.sql.Timestamp.from(now))
			.query(AccountRow.class)
			.optional();
	}

	List<AccountRow> findWithin(String scopePattern) {
		return this.jdbc.sql(SELECT + " where coalesce(n.path, '/') like :scope order by a.username")
			.param("scope", scopePattern)
			.query(AccountRow.class)
			.list();
	}

	boolean isEmpty() {
		return this.jdbc.sql("select count(*) from account").query(Long.class).single() == 0;
	}

	long insert(String username, String displayName, String passwordHash, Role role, Long nodeId) {
		return this.jdbc.sql("""
				insert into account (username, display_name, password_hash, role, node_id)
				values (:username, :displayName, :hash, :role, :nodeId) returning id""")
			.param("username", username)
			.param("displayName", displayName)
			.param("hash", passwordHash)
			.param("role", role.name())
			.param("nodeId", nodeId)
			.query(Long.class)
			.single();
	}

	void recordFailure(String username, Instant now) {
		// Lock in the same statement that counts, so parallel guesses cannot slip past the limit.
		this.jdbc.sql("""
				update account set failed_attempts = failed_attempts + 1,
				    locked_until = case when failed_attempts + 1 >= :max then :until else locked_until end
				where lower(username) = lower(:username)""")
			.param("max", MAX_FAILED_ATTEMPTS)
			.param("until", java.sql.Timestamp.from(now.plus(LOCKOUT)))
			.param("username", username)
			.update();
	}

	void recordSuccess(String username) {
		this.jdbc.sql("update account set failed_attempts = 0, locked_until = null where lower(username) = lower(:username)")
			.param("username", username)
			.update();
	}

	void updatePassword(long id, String passwordHash) {
		this.jdbc.sql("update account set password_hash = :hash where id = :id")
			.param("hash", passwordHash)
			.param("id", id)
			.update();
	}

	void setEnabled(long id, boolean enabled) {
		this.jdbc.sql("update account set enabled = :enabled, failed_attempts = 0, locked_until = null where id = :id")
			.param("enabled", enabled)
			.param("id", id)
			.update();
	}

	/** Signs the account out everywhere: sessions live in the database, shared by all instances. */
	void endSessions(String username) {
		this.jdbc.sql("delete from spring_session where principal_name = :username").param("username", username).update();
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		AccountRow row = findByUsername(username).orElseThrow(() -> new UsernameNotFoundException("unknown account"));
		return new AccountDetails(row.toCurrentUser(), row.passwordHash(), row.enabled(), row.lockedAt(Instant.now()));
	}

	/** Path of a division node, for binding accounts; read straight from the table to keep security free of registry. */
	Optional<String> nodePath(long nodeId) {
		return this.jdbc.sql("select path from division_node where id = :id").param("id", nodeId).query(String.class).optional();
	}

}
