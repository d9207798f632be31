package org.fangxian.security.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Account storage; also the login lookup (by the normalised user name, see
 * {@link Usernames}).
 */
@Repository
public class Accounts {

	private final JdbcClient jdbc;

	/**
	 * Told of this node's own changes at once; other nodes hear of them by NOTIFY (V91)
	 * once the change commits.
	 */
	private final TokenCache tokenCache;

	Accounts(JdbcClient jdbc, TokenCache tokenCache) {
		this.tokenCache = tokenCache;
		this.jdbc = jdbc;
	}

	/**
	 * @param scopePath the path of the account's node, "/" for an installation-wide
	 * account
	 * @param nodeName the node's name, null for an installation-wide account
	 */
	public record AccountRow(long id, String username, String displayName, String passwordHash, Role role, Long nodeId,
			String scopePath, String nodeName, boolean enabled, boolean mustChangePassword, String phoneMasked) {

		public CurrentUser toCurrentUser() {
			return new CurrentUser(this.id, this.username, this.displayName, this.role, this.nodeId, this.scopePath);
		}

	}

	private static final String SELECT = """
			select a.id, a.username, a.display_name, a.password_hash, a.role, a.node_id,
			       coalesce(n.path, '/') as scope_path, n.name as node_name, a.enabled, a.must_change_password,
			       a.phone_masked
			from account a left join registry_division n on n.id = a.node_id
			""";

	/** The account a typed user name means; the index on lower(username) answers it. */
	public Optional<AccountRow> findByUsername(String typed) {
		return this.jdbc.sql(SELECT + " where lower(a.username) = :key")
			.param("key", Usernames.normalise(typed))
			.query(AccountRow.class)
			.optional();
	}

	public Optional<AccountRow> findById(long id) {
		return this.jdbc.sql(SELECT + " where a.id = :id").param("id", id).query(AccountRow.class).optional();
	}

	/**
	 * The account behind a live API token: one statement, as it runs on every API call.
	 */
	Optional<AccountRow> findByLiveToken(byte[] tokenHash, Instant now) {
		return this.jdbc.sql(SELECT + """
				 join api_token t on t.account_id = a.id
				where t.token_hash = :hash and t.revoked_at is null and t.expires_at > :now""")
			.param("hash", tokenHash)
			.param("now", java.sql.Timestamp.from(now))
			.query(AccountRow.class)
			.optional();
	}

	public List<AccountRow> findWithin(String scopePattern) {
		return this.jdbc.sql(SELECT + " where coalesce(n.path, '/') like :scope order by a.username")
			.param("scope", scopePattern)
			.query(AccountRow.class)
			.list();
	}

	/** Serialises the first start of several nodes until the transaction ends. */
	public void lockForFirstStart() {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('security:first-administrator'))").query().listOfRows();
	}

	public boolean isEmpty() {
		return this.jdbc.sql("select count(*) from account").query(Long.class).single() == 0;
	}

	/**
	 * @param username already normalised; a clash on the unique index surfaces as
	 * DuplicateKeyException
	 */
	public long insert(String username, String displayName, String passwordHash, Role role, Long nodeId, Long createdBy,
			byte[] phoneCipher, String phoneMasked, boolean mustChangePassword) {
		return this.jdbc.sql("""
				insert into account (username, display_name, password_hash, role, node_id, created_by, phone_cipher,
				                     phone_masked, must_change_password)
				values (:username, :displayName, :hash, :role, :nodeId, :createdBy, :phoneCipher, :phoneMasked, :must)
				returning id""")
			.param("username", username)
			.param("displayName", displayName)
			.param("hash", passwordHash)
			.param("role", role.name())
			.param("nodeId", nodeId)
			.param("createdBy", createdBy)
			.param("phoneCipher", phoneCipher)
			.param("phoneMasked", phoneMasked)
			.param("must", mustChangePassword)
			.query(Long.class)
			.single();
	}

	public void updatePassword(long id, String passwordHash, boolean mustChange) {
		this.jdbc.sql("update account set password_hash = :hash, must_change_password = :must where id = :id")
			.param("hash", passwordHash)
			.param("must", mustChange)
			.param("id", id)
			.update();
		this.tokenCache.changed("account:" + id);
	}

	boolean mustChangePassword(long id) {
		return this.jdbc.sql("select must_change_password from account where id = :id")
			.param("id", id)
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	public void setEnabled(long id, boolean enabled) {
		this.jdbc.sql("update account set enabled = :enabled where id = :id")
			.param("enabled", enabled)
			.param("id", id)
			.update();
		this.tokenCache.changed("account:" + id);
	}

	public void setRole(long id, Role role) {
		this.jdbc.sql("update account set role = :role where id = :id")
			.param("role", role.name())
			.param("id", id)
			.update();
		this.tokenCache.changed("account:" + id);
	}

	public void setNode(long id, long nodeId) {
		this.jdbc.sql("update account set node_id = :node where id = :id")
			.param("node", nodeId)
			.param("id", id)
			.update();
		this.tokenCache.changed("account:" + id);
	}

	/**
	 * Signs the account out everywhere: sessions live in the database, shared by all
	 * instances; platform's function (V97) ends them in this transaction.
	 */
	public void endSessions(String username) {
		this.jdbc.sql("select platform_end_sessions(:username)")
			.param("username", username)
			.query(Integer.class)
			.single();
	}

	/**
	 * Path of a division node, for binding accounts; read from the view registry
	 * publishes (registry_division) to keep security free of a call into registry.
	 */
	public Optional<String> nodePath(long nodeId) {
		return this.jdbc.sql("select path from registry_division where id = :id")
			.param("id", nodeId)
			.query(String.class)
			.optional();
	}

	public record NodeRef(long id, String path) {
	}

	/** A jurisdiction node by its division code (辖区代码), as cadre spreadsheets name it. */
	public Optional<NodeRef> nodeByCode(String code) {
		return this.jdbc.sql("select id, path from registry_division where code = :code")
			.param("code", code)
			.query(NodeRef.class)
			.optional();
	}

	/** Display names (the user name when none) of the given accounts. */
	public java.util.Map<Long, String> displayNames(java.util.Collection<Long> ids) {
		if (ids.isEmpty()) {
			return java.util.Map.of();
		}
		java.util.Map<Long, String> names = new java.util.HashMap<>();
		this.jdbc.sql("select id, coalesce(display_name, username) as name from account where id = any(:ids)")
			.param("ids", ids.toArray(Long[]::new))
			.query((rs, n) -> names.put(rs.getLong("id"), rs.getString("name")))
			.list();
		return names;
	}

}
