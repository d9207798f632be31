package org.fangxian.screening.internal;

import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.Role;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Door-to-door screening campaigns (敲门行动, "不漏一户"): a campaign over a subtree gets one
 * visit per household there when it is created; visits can be handed out by building;
 * progress is counted from the visits, so a door knocked twice is still one household.
 */
@Service
public class ScreeningCampaigns {

	/** A campaign as listed. */
	public record Campaign(long id, long nodeId, String nodeName, String path, String name, LocalDate startsOn,
			LocalDate endsOn, long households) {
	}

	/** What a manager enters. */
	public record NewCampaign(String name, Long nodeId, LocalDate startsOn, LocalDate endsOn) {
	}

	/**
	 * Counts of one group (the whole campaign, a building, a worker). Each household is
	 * in exactly one of {@code visited} (someone answered, or refused: 已走访),
	 * {@code nobodyHome} (knocked, nobody answered yet: 无人待回访, to go back) and
	 * {@code notVisited} (never knocked: 未走访), so the three add up to {@code households};
	 * pages show them side by side rather than summing any two.
	 */
	public record Counts(long households, long visited, long nobodyHome, long notVisited, long refused,
			long lettersSigned, long symptoms, long returnees) {
	}

	/** A building's (or a worker's) line of the progress table. */
	public record Line(Long id, String name, Counts counts) {
	}

	/**
	 * Progress within the caller's jurisdiction. {@code byWorker}: households by the
	 * account they are assigned to (null id: not assigned), with {@code concluded}:
	 * conclusive visits that account made.
	 */
	public record Progress(Campaign campaign, Counts total, List<Line> byBuilding, List<WorkerLine> byWorker) {
	}

	public record WorkerLine(Long accountId, String name, Counts assigned, long concluded) {
	}

	/**
	 * Who may be handed doors: accounts that visit households, bound inside the
	 * building's subtree's reach.
	 */
	public record Visitor(long id, String displayName, String role) {
	}

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	ScreeningCampaigns(JdbcClient jdbc, DivisionTree tree, ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.events = events;
		this.clock = clock;
	}

	@Transactional
	public Campaign create(CurrentUser user, NewCampaign form) {
		user.require(Permission.MANAGE_CONTAINMENT);
		if (form.nodeId() == null) {
			throw new InvalidInput("nodeId", "screening.node.required");
		}
		Node node = this.tree.node(user, form.nodeId());
		String name = FullWidth.clean(form.name());
		if (name.isEmpty()) {
			throw new InvalidInput("name", "screening.name.required");
		}
		if (name.length() > 100) {
			throw new InvalidInput("name", "returnee.tooLong", 100);
		}
		LocalDate starts = form.startsOn() == null ? LocalDate.now(this.clock) : form.startsOn();
		LocalDate ends = form.endsOn() == null ? starts.plusDays(6) : form.endsOn();
		if (ends.isBefore(starts)) {
			throw new InvalidInput("endsOn", "screening.dates.order");
		}
		if (ends.isAfter(starts.plusDays(366))) {
			throw new InvalidInput("endsOn", "screening.dates.tooLong");
		}
		long id = this.jdbc.sql("""
				insert into screening_campaign (node_id, path, name, starts_on, ends_on, created_by)
				values (:node, :path, :name, :starts, :ends, :by) returning id""")
			.param("node", node.id())
			.param("path", node.path())
			.param("name", name)
			.param("starts", Date.valueOf(starts))
			.param("ends", Date.valueOf(ends))
			.param("by", user.accountId())
			.query(Long.class)
			.single();
		// Every household of the subtree, once; grouped by building (a unit's parent), or
		// by the node the
		// household hangs from directly when there is no building (village compounds).
		int households = this.jdbc.sql("""
				insert into screening_visit (campaign_id, household_id, path, group_id)
				select :campaign, h.id, h.path, case when n.kind = 'UNIT' then n.parent_id else h.node_id end
				from registry_household h join registry_division n on n.id = h.node_id
				where h.path like :nodePath || '%'""").param("campaign", id).param("nodePath", node.path()).update();
		this.events.publishEvent(AuditEvent.of(user, "SCREENING_CAMPAIGN_CREATED", "screening_campaign", id,
				name + ": " + households + " households under node " + node.id()));
		return get(user, id);
	}

	/**
	 * Campaigns the caller takes part in: over their subtree, or over a node above it.
	 */
	public List<Campaign> list(CurrentUser user) {
		requireAny(user);
		return this.jdbc
			.sql("""
					select c.id, c.node_id, n.name as node_name, c.path, c.name, c.starts_on, c.ends_on,
					       (select count(*) from screening_visit v where v.campaign_id = c.id and v.path like :scope) as households
					from screening_campaign c join registry_division n on n.id = c.node_id
					where c.path like :scope or :scopePath like c.path || '%'
					order by c.ends_on desc, c.id desc
					limit 200""")
			.param("scope", user.scopePattern())
			.param("scopePath", user.scopePath())
			.query(Campaign.class)
			.list();
	}

	/**
	 * A campaign the caller takes part in; 404 if missing, 403 if it concerns none of
	 * their households.
	 */
	public Campaign get(CurrentUser user, long id) {
		requireAny(user);
		Campaign campaign = this.jdbc
			.sql("""
					select c.id, c.node_id, n.name as node_name, c.path, c.name, c.starts_on, c.ends_on,
					       (select count(*) from screening_visit v where v.campaign_id = c.id and v.path like :scope) as households
					from screening_campaign c join registry_division n on n.id = c.node_id
					where c.id = :id""")
			.param("id", id)
			.param("scope", user.scopePattern())
			.query(Campaign.class)
			.optional()
			.orElseThrow(() -> new NotFound("screening.notFound"));
		if (!user.covers(campaign.path()) && !user.scopePath().startsWith(campaign.path())) {
			throw new CurrentUser.OutsideJurisdictionException();
		}
		return campaign;
	}

	public static void requireAny(CurrentUser user) {
		if (!user.can(Permission.VISIT_HOUSEHOLDS)) {
			user.require(Permission.MANAGE_CONTAINMENT);
		}
	}

	private static final String COUNTS = """
			count(*) as households,
			count(*) filter (where v.outcome in ('AT_HOME', 'REFUSED')) as visited,
			count(*) filter (where v.outcome = 'NOBODY_HOME') as nobody_home,
			count(*) filter (where v.outcome is null) as not_visited,
			count(*) filter (where v.outcome = 'REFUSED') as refused,
			count(*) filter (where v.letter_signed) as letters_signed,
			count(*) filter (where v.symptoms) as symptoms,
			coalesce(sum(v.returnees), 0) as returnees
			""";

	public record GroupCounts(Long id, String name, long households, long visited, long nobodyHome, long notVisited,
			long refused, long lettersSigned, long symptoms, long returnees) {

		Counts counts() {
			return new Counts(this.households, this.visited, this.nobodyHome, this.notVisited, this.refused,
					this.lettersSigned, this.symptoms, this.returnees);
		}

	}

	public Progress progress(CurrentUser user, long id) {
		Campaign campaign = get(user, id);
		List<GroupCounts> buildings = this.jdbc.sql("select g.id, g.name, " + COUNTS + """
				from screening_visit v join registry_division g on g.id = v.group_id
				where v.campaign_id = :campaign and v.path like :scope
				group by g.id, g.name, g.path
				order by g.path""")
			.param("campaign", id)
			.param("scope", user.scopePattern())
			.query(GroupCounts.class)
			.list();
		List<GroupCounts> workers = this.jdbc.sql("select a.id, a.display_name as name, " + COUNTS + """
				from screening_visit v left join security_account a on a.id = v.assigned_to
				where v.campaign_id = :campaign and v.path like :scope
				group by a.id, a.display_name
				order by a.display_name nulls last""")
			.param("campaign", id)
			.param("scope", user.scopePattern())
			.query(GroupCounts.class)
			.list();
		Map<Long, Long> concluded = new LinkedHashMap<>();
		Map<Long, String> concluders = new LinkedHashMap<>();
		this.jdbc.sql("""
				select a.id, a.display_name, count(*) as n
				from screening_visit v join security_account a on a.id = v.concluded_by
				where v.campaign_id = :campaign and v.path like :scope
				group by a.id, a.display_name""")
			.param("campaign", id)
			.param("scope", user.scopePattern())
			.query((rs, i) -> {
				concluded.put(rs.getLong("id"), rs.getLong("n"));
				concluders.put(rs.getLong("id"), rs.getString("display_name"));
				return null;
			})
			.list();
		List<WorkerLine> byWorker = new ArrayList<>();
		for (GroupCounts w : workers) {
			byWorker.add(new WorkerLine(w.id(), w.name(), w.counts(),
					w.id() == null ? 0 : concluded.getOrDefault(w.id(), 0L)));
			concluders.remove(w.id());
		}
		// Someone who knocked without doors assigned to them still shows, with what they
		// concluded.
		concluders.forEach((accountId, name) -> byWorker
			.add(new WorkerLine(accountId, name, new Counts(0, 0, 0, 0, 0, 0, 0, 0), concluded.get(accountId))));
		Counts total = this.jdbc.sql("select null as id, null as name, " + COUNTS + """
				from screening_visit v where v.campaign_id = :campaign and v.path like :scope""")
			.param("campaign", id)
			.param("scope", user.scopePattern())
			.query(GroupCounts.class)
			.single()
			.counts();
		return new Progress(campaign, total,
				buildings.stream().map(b -> new Line(b.id(), b.name(), b.counts())).toList(), byWorker);
	}

	/**
	 * The buildings (visit groups) of the campaign within the caller's jurisdiction, for
	 * the assignment form.
	 */
	public List<Line> groups(CurrentUser user, long id) {
		return progress(user, id).byBuilding();
	}

	/**
	 * Hands every door of a building in this campaign to an account (or takes them back
	 * with {@code accountId} null). The account must be one that visits households and
	 * whose own jurisdiction holds the building, so it can open those doors.
	 */
	@Transactional
	public int assign(CurrentUser user, long id, Long groupId, Long accountId) {
		user.require(Permission.MANAGE_CONTAINMENT);
		get(user, id);
		if (groupId == null) {
			throw new InvalidInput("buildingId", "screening.building.required");
		}
		Node group = this.tree.node(user, groupId);
		if (accountId != null) {
			record Account(String role, String path) {
			}
			Account account = this.jdbc.sql("""
					select a.role, a.path from security_account a
					where a.id = :id and a.enabled and a.path is not null""")
				.param("id", accountId)
				.query(Account.class)
				.optional()
				.orElseThrow(() -> new InvalidInput("accountId", "screening.assignee.invalid"));
			if (!Role.valueOf(account.role()).can(Permission.VISIT_HOUSEHOLDS)
					|| !group.path().startsWith(account.path()) || !user.covers(account.path())) {
				throw new InvalidInput("accountId", "screening.assignee.invalid");
			}
		}
		int doors = this.jdbc.sql("""
				update screening_visit set assigned_to = :account
				where campaign_id = :campaign and group_id = :group and path like :scope""")
			.param("account", accountId)
			.param("campaign", id)
			.param("group", group.id())
			.param("scope", user.scopePattern())
			.update();
		this.events.publishEvent(AuditEvent.of(user, "SCREENING_ASSIGNED", "screening_campaign", id,
				doors + " doors of node " + group.id() + " to account " + accountId));
		return doors;
	}

	/**
	 * Accounts that may be handed doors of this campaign: they visit households and sit
	 * inside the caller's jurisdiction.
	 */
	public List<Visitor> visitors(CurrentUser user, long id) {
		user.require(Permission.MANAGE_CONTAINMENT);
		Campaign campaign = get(user, id);
		List<String> roles = java.util.Arrays.stream(Role.values())
			.filter(r -> r.can(Permission.VISIT_HOUSEHOLDS))
			.map(Role::name)
			.toList();
		return this.jdbc.sql("""
				select a.id, a.display_name, a.role from security_account a
				where a.enabled and a.role in (:roles) and a.path like :scope
				  and (a.path like :campaignPath || '%' or :campaignPath like a.path || '%')
				order by a.display_name limit 500""")
			.param("roles", roles)
			.param("scope", user.scopePattern())
			.param("campaignPath", campaign.path())
			.query(Visitor.class)
			.list();
	}

}
