package org.fangxian.workforce.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Teams (突击队, 工作队, 机动队, 临时党支部) at a node with a leader, deputies and members. A person is
 * in one team at a time (a unique constraint); the leader is told when someone of the
 * team is late at a post.
 */
@Service
public class Teams {

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final Volunteers volunteers;

	private final ApplicationEventPublisher events;

	Teams(JdbcClient jdbc, DivisionTree tree, Volunteers volunteers, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.volunteers = volunteers;
		this.events = events;
	}

	public record NewTeam(Long nodeId, String name, String kind, Long leaderId, List<Long> deputyIds,
			List<Long> memberIds) {
	}

	public record Member(long volunteerId, String name, String role) {
	}

	public record Team(long id, long nodeId, String name, TeamKind kind, List<Member> members) {
	}

	public record Created(long id) {
	}

	@Transactional
	public Created create(CurrentUser user, NewTeam body) {
		user.require(Permission.MANAGE_WORKFORCE);
		if (body == null || body.nodeId() == null) {
			throw new InvalidInput("nodeId", "workforce.post.node");
		}
		Node node = this.tree.node(user, body.nodeId());
		String name = body.name() == null ? "" : body.name().strip();
		if (name.isEmpty() || name.length() > 100) {
			throw new InvalidInput("name", "workforce.post.name");
		}
		TeamKind kind;
		try {
			kind = TeamKind.valueOf(String.valueOf(body.kind()).strip().toUpperCase(java.util.Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("kind", "workforce.team.kind");
		}
		if (body.leaderId() == null) {
			throw new InvalidInput("leaderId", "workforce.team.leader");
		}
		Map<Long, String> roles = new java.util.LinkedHashMap<>();
		roles.put(body.leaderId(), "LEADER");
		for (Long id : body.deputyIds() == null ? List.<Long>of() : body.deputyIds()) {
			if (id == null) {
				throw new InvalidInput("deputyIds", "workforce.volunteer.notFound");
			}
			roles.putIfAbsent(id, "DEPUTY");
		}
		for (Long id : body.memberIds() == null ? List.<Long>of() : body.memberIds()) {
			if (id == null) {
				throw new InvalidInput("memberIds", "workforce.volunteer.notFound");
			}
			roles.putIfAbsent(id, "MEMBER");
		}
		for (Long id : roles.keySet()) {
			// Throws for people outside the caller's jurisdiction or unknown.
			this.volunteers.get(user, id);
		}
		Set<Long> taken = new LinkedHashSet<>(
				this.jdbc.sql("select volunteer_id from volunteer_team_member where volunteer_id in (:ids)")
					.param("ids", new ArrayList<>(roles.keySet()))
					.query(Long.class)
					.list());
		if (!taken.isEmpty()) {
			throw new InvalidInput("memberIds", "workforce.team.taken", taken.iterator().next());
		}
		long id = this.jdbc.sql("""
				insert into volunteer_team (node_id, path, name, kind, created_by)
				values (:node, :path, :name, :kind, :by) returning id""")
			.param("node", node.id())
			.param("path", node.path())
			.param("name", name)
			.param("kind", kind.name())
			.param("by", user.accountId())
			.query(Long.class)
			.single();
		roles.forEach((volunteer, role) -> this.jdbc.sql("""
				insert into volunteer_team_member (team_id, volunteer_id, role) values (:team, :volunteer, :role)""")
			.param("team", id)
			.param("volunteer", volunteer)
			.param("role", role)
			.update());
		this.events.publishEvent(
				AuditEvent.of(user, "TEAM_CREATED", "volunteer_team", id, kind + ", " + roles.size() + " people"));
		return new Created(id);
	}

	public List<Team> list(CurrentUser user, Node node) {
		user.require(Permission.MANAGE_WORKFORCE);
		return this.jdbc
			.sql("select id, node_id, name, kind from volunteer_team where path like :subtree order by name, id")
			.param("subtree", node.path() + "%")
			.query((rs, n) -> new Team(rs.getLong("id"), rs.getLong("node_id"), rs.getString("name"),
					TeamKind.valueOf(rs.getString("kind")), members(rs.getLong("id"))))
			.list();
	}

	private List<Member> members(long team) {
		return this.jdbc
			.sql("""
					select m.volunteer_id, v.name, m.role from volunteer_team_member m join volunteer v on v.id = m.volunteer_id
					where m.team_id = :team order by case m.role when 'LEADER' then 0 when 'DEPUTY' then 1 else 2 end, v.name""")
			.param("team", team)
			.query((rs, n) -> new Member(rs.getLong("volunteer_id"), rs.getString("name"), rs.getString("role")))
			.list();
	}

	/**
	 * Each person's team among the given people, for the solver's "keep with the team"
	 * preference.
	 */
	Map<Long, Long> teamOf(List<Long> volunteerIds) {
		Map<Long, Long> teams = new java.util.HashMap<>();
		if (volunteerIds.isEmpty()) {
			return teams;
		}
		this.jdbc.sql("select volunteer_id, team_id from volunteer_team_member where volunteer_id = any(:ids)")
			.param("ids", volunteerIds.toArray(Long[]::new))
			.query((rs, n) -> teams.put(rs.getLong("volunteer_id"), rs.getLong("team_id")))
			.list();
		return teams;
	}

}
