package org.fangxian.registry.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Storage of the jurisdiction tree. Scoping is the caller's job: see
 * {@link DivisionTree}.
 */
@Repository
public class DivisionNodes {

	private static final String SELECT = "select id, parent_id, kind, code, name, path from division_node ";

	private final JdbcClient jdbc;

	DivisionNodes(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Node> findById(long id) {
		return this.jdbc.sql(SELECT + "where id = :id").param("id", id).query(Node.class).optional();
	}

	public Optional<Node> findByCode(String code) {
		return this.jdbc.sql(SELECT + "where code = :code").param("code", code).query(Node.class).optional();
	}

	public Optional<Node> findChild(Long parentId, String name) {
		return this.jdbc.sql(SELECT + "where coalesce(parent_id, 0) = coalesce(:parent, 0) and name = :name")
			.param("parent", parentId)
			.param("name", name)
			.query(Node.class)
			.optional();
	}

	/** A node's district (V122's rule, kept by the database). */
	public long districtOf(long id) {
		return this.jdbc.sql("select district_id from division_node where id = :id")
			.param("id", id)
			.query(Long.class)
			.single();
	}

	/**
	 * Every node below a subtree's root, not the root itself: a roster import's places in
	 * one round trip.
	 */
	public List<Node> below(Node root) {
		return this.jdbc.sql(SELECT + "where path like :pattern and id <> :root")
			.param("pattern", root.path() + "%")
			.param("root", root.id())
			.query(Node.class)
			.list();
	}

	public List<Node> children(long parentId) {
		return this.jdbc.sql(SELECT + "where parent_id = :parent").param("parent", parentId).query(Node.class).list();
	}

	public List<Node> roots() {
		return this.jdbc.sql(SELECT + "where parent_id is null").query(Node.class).list();
	}

	public List<Node> byIds(List<Long> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql(SELECT + "where id in (:ids)").param("ids", ids).query(Node.class).list();
	}

	/** Nodes of one kind inside a subtree, e.g. every community of a street. */
	public List<Node> within(String pathPattern, NodeKind kind) {
		return this.jdbc.sql(SELECT + "where path like :pattern and kind = :kind order by code, name")
			.param("pattern", pathPattern)
			.param("kind", kind.name())
			.query(Node.class)
			.list();
	}

	public Node insert(Long parentId, NodeKind kind, String code, String name) {
		return inserting(parentId, kind, code, name, "").single();
	}

	/** A place to add below its parent, without a code: {@link #insertAllIfAbsent}. */
	public record Child(long parentId, NodeKind kind, String name) {
	}

	/**
	 * Adds these places in one statement, each unless its parent has a child of that name
	 * already (then it is left out and nothing is written for it): the places added, in
	 * no particular order. A roster import adds a district's thousands of buildings and
	 * units this way, a few statements per chunk of rows instead of one each.
	 */
	public List<Node> insertAllIfAbsent(Collection<Child> children) {
		if (children.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select * from unnest(cast(:parents as bigint[]), cast(:kinds as text[]), cast(:names as text[]))
				on conflict (coalesce(parent_id, 0), name) do nothing
				returning id, parent_id, kind, code, name, path""")
			.param("parents", children.stream().map(Child::parentId).toArray(Long[]::new))
			.param("kinds", children.stream().map(c -> c.kind().name()).toArray(String[]::new))
			.param("names", children.stream().map(Child::name).toArray(String[]::new))
			.query(Node.class)
			.list();
	}

	/** The stored places of these parents and names, in one round trip. */
	public List<Node> findChildren(Collection<Child> children) {
		if (children.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				select n.id, n.parent_id, n.kind, n.code, n.name, n.path
				from unnest(cast(:parents as bigint[]), cast(:names as text[])) as k(parent_id, name)
				join division_node n on n.parent_id = k.parent_id and n.name = k.name""")
			.param("parents", children.stream().map(Child::parentId).toArray(Long[]::new))
			.param("names", children.stream().map(Child::name).toArray(String[]::new))
			.query(Node.class)
			.list();
	}

	private JdbcClient.MappedQuerySpec<Node> inserting(Long parentId, NodeKind kind, String code, String name,
			String onConflict) {
		return this.jdbc
			.sql("insert into division_node (parent_id, kind, code, name) values (:parent, :kind, :code, :name) "
					+ onConflict + " returning id, parent_id, kind, code, name, path")
			.param("parent", parentId)
			.param("kind", kind.name())
			.param("code", code)
			.param("name", name)
			.query(Node.class);
	}

	public void rename(long id, String name) {
		this.jdbc.sql("update division_node set name = :name, updated_at = now() where id = :id")
			.param("name", name)
			.param("id", id)
			.update();
	}

	public long countHouseholds(String pathPattern) {
		return this.jdbc.sql("select count(*) from household where path like :p")
			.param("p", pathPattern)
			.query(Long.class)
			.single();
	}

	public long countResidents(String pathPattern) {
		// The district first: the path index is led by it (V123).
		return this.jdbc.sql("""
				select count(*) from resident
				where district_id = any(districts_under(rtrim(:p, '%'))) and path like :p
				  and resident_is_present(status)""").param("p", pathPattern).query(Long.class).single();
	}

}
