package org.fangxian;

import java.util.UUID;

import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** Builds a fresh corner of the jurisdiction tree and accounts in it, for one test. */
@Component
public class TestData {

	public static final String PASSWORD = "correct-horse-battery";

	private final JdbcClient jdbc;

	private final PasswordEncoder passwordEncoder;

	/**
	 * {@link #PASSWORD} encoded once: bcrypt is meant to be slow (it was half of the
	 * integration tests' CPU when every account encoded it again); signing in still
	 * checks it with bcrypt.
	 */
	private volatile String passwordHash;

	TestData(JdbcClient jdbc, PasswordEncoder passwordEncoder) {
		this.jdbc = jdbc;
		this.passwordEncoder = passwordEncoder;
	}

	public record NodeRef(long id, String code, String path, String name) {
	}

	/**
	 * A district with two streets; street A has communities A1 and A2, street B has
	 * community B1. A test acting in A1 must never see A2 or B1.
	 */
	public record Tree(NodeRef district, NodeRef streetA, NodeRef communityA1, NodeRef communityA2, NodeRef streetB,
			NodeRef communityB1) {
	}

	public Tree tree() {
		String tag = UUID.randomUUID().toString().substring(0, 6);
		NodeRef district = node(null, "DISTRICT", IntegrationTest.uniqueCode(), "测试区" + tag);
		NodeRef streetA = node(district.id(), "STREET", IntegrationTest.uniqueCode(), "甲街道");
		NodeRef a1 = node(streetA.id(), "COMMUNITY", IntegrationTest.uniqueCode(), "福乐湾社区");
		NodeRef a2 = node(streetA.id(), "COMMUNITY", IntegrationTest.uniqueCode(), "福同社区");
		NodeRef streetB = node(district.id(), "STREET", IntegrationTest.uniqueCode(), "乙街道");
		NodeRef b1 = node(streetB.id(), "COMMUNITY", IntegrationTest.uniqueCode(), "民茂社区");
		return new Tree(district, streetA, a1, a2, streetB, b1);
	}

	public NodeRef node(Long parentId, String kind, String code, String name) {
		return this.jdbc.sql("""
				insert into division_node (parent_id, kind, code, name) values (:parent, :kind, :code, :name)
				returning id, code, path, name""")
			.param("parent", parentId)
			.param("kind", kind)
			.param("code", code)
			.param("name", name)
			.query(NodeRef.class)
			.single();
	}

	/**
	 * Opens an account bound to a node; returns its username (password is
	 * {@link #PASSWORD}).
	 */
	public String account(Role role, NodeRef node) {
		String username = role.name().toLowerCase().replace('_', '-') + "-"
				+ UUID.randomUUID().toString().substring(0, 8);
		this.jdbc.sql("""
				insert into account (username, display_name, password_hash, role, node_id)
				values (:username, :username, :hash, :role, :node)""")
			.param("username", username)
			.param("hash", passwordHash())
			.param("role", role.name())
			.param("node", node.id())
			.update();
		return username;
	}

	private String passwordHash() {
		String hash = this.passwordHash;
		if (hash == null) {
			hash = this.passwordEncoder.encode(PASSWORD);
			this.passwordHash = hash;
		}
		return hash;
	}

	/**
	 * Removes every resident and household. ID numbers are unique installation-wide, so
	 * test classes that import the same fixture start from an empty registry (test
	 * classes run one after another).
	 */
	public void forgetAllResidents() {
		// Gate scans, quarantines, samples... point at residents and households; CASCADE
		// empties every table
		// that does, whichever module owns it. Only tests may do this: the application
		// never deletes a resident.
		this.jdbc.sql("truncate table resident, household cascade").update();
	}

	/** A signed-in user for calling module services directly. */
	public CurrentUser user(Role role, NodeRef node) {
		String username = account(role, node);
		long id = this.jdbc.sql("select id from account where username = :u")
			.param("u", username)
			.query(Long.class)
			.single();
		return new CurrentUser(id, username, username, role, node.id(), node.path());
	}

	/** A bearer token through the public token endpoint. */
	public String token(String baseUrl, String username) {
		record Token(String token) {
		}
		return RestClient.create(baseUrl)
			.post()
			.uri("/api/v1/auth/token")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
			.retrieve()
			.body(Token.class)
			.token();
	}

}
