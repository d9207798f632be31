package org.fangxian.reporting.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.fangxian.audit.AuditEvent;
import org.fangxian.checkpoint.RiskAreas;
import org.fangxian.quarantine.ContainmentFigures;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.registry.OfficialDivisions;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.testing.TestingFigures;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The public notices of a district or street (防控公告): the text and hotlines the HQ
 * reviewed and published, next to what is true now (areas sealed or controlled, by name;
 * risk areas; testing sites with their queue). No personal data, so no sign-in.
 */
@Service
public class Notices {

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final ContainmentFigures containment;

	private final RiskAreas riskAreas;

	private final TestingFigures testing;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final OfficialDivisions divisions;

	Notices(JdbcClient jdbc, DivisionTree tree, ContainmentFigures containment, RiskAreas riskAreas,
			TestingFigures testing, ApplicationEventPublisher events, Clock clock, OfficialDivisions divisions) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.containment = containment;
		this.riskAreas = riskAreas;
		this.testing = testing;
		this.events = events;
		this.clock = clock;
		this.divisions = divisions;
	}

	/** An area by its names from below the notice's node ("福乐湾社区 3栋"). */
	public record Area(String name, String level, Instant since) {
	}

	public record Text(String hotlines, String body, boolean published, Instant publishedAt) {

		static final Text NONE = new Text("", "", false, null);

	}

	/**
	 * A risk area as a resident reads it: its place by name ("黑龙江省 哈尔滨市 道里区"), the code
	 * only where the official list does not know it.
	 */
	public record Risk(String place, RiskAreas.Level level, String note) {
	}

	public record Board(Node node, Text text, List<Area> areas, List<Risk> riskAreas,
			List<TestingFigures.SiteQueue> sites) {
	}

	/** Reads the public board as a viewer confined to the node's subtree. */
	@Transactional(readOnly = true)
	public Board board(String code) {
		Node node = node(code);
		CurrentUser viewer = new CurrentUser(0, "public", "public", Role.VOLUNTEER, node.id(), node.path());
		Text text = text(node.id()).filter(Text::published).orElse(Text.NONE);
		List<Area> areas = this.containment.inForce(viewer, node).stream().map(seal -> {
			Node area = this.tree.node(viewer, seal.nodeId());
			String name = this.tree.trail(viewer, area)
				.stream()
				.filter(n -> n.depth() > node.depth())
				.map(Node::name)
				.collect(Collectors.joining(" "));
			return new Area(name.isEmpty() ? area.name() : name, seal.level(), seal.startsAt());
		}).toList();
		LocalDate today = ChinaStandardTime.today(this.clock);
		List<Risk> risks = this.riskAreas.inForce(today)
			.stream()
			.filter(r -> r.level() != RiskAreas.Level.LOW)
			.limit(100)
			.map(r -> new Risk(this.divisions.describe(r.divisionCode()).orElse(r.divisionCode()), r.level(), r.note()))
			.toList();
		return new Board(node, text, areas, risks, this.testing.siteQueues(node.code()));
	}

	@Transactional(readOnly = true)
	public Text draft(CurrentUser user, String code) {
		user.require(Permission.PUBLISH_NOTICES);
		Node node = node(code);
		user.requireCovers(node.path());
		return text(node.id()).orElse(Text.NONE);
	}

	/**
	 * Saves the text; {@code publish} puts it on the public page (after the HQ's review),
	 * false withdraws it.
	 */
	@Transactional
	public void save(CurrentUser user, String code, String hotlines, String body, boolean publish) {
		user.require(Permission.PUBLISH_NOTICES);
		Node node = node(code);
		user.requireCovers(node.path());
		String cleanHotlines = FullWidth.clean(hotlines);
		String cleanBody = body == null ? "" : body.strip();
		if (cleanHotlines.length() > 1000 || cleanBody.length() > 4000) {
			throw new InvalidInput(cleanBody.length() > 4000 ? "body" : "hotlines", "report.text.tooLong", 4000);
		}
		this.jdbc.sql("""
				insert into public_notice (node_id, path, hotlines, body, published, published_at, published_by)
				values (:node, :path, :hotlines, :body, :published, case when :published then now() end,
				        case when :published then cast(:by as bigint) end)
				on conflict (node_id) do update set hotlines = excluded.hotlines, body = excluded.body,
				    published = excluded.published, published_at = excluded.published_at,
				    published_by = excluded.published_by, updated_at = now()""")
			.param("node", node.id())
			.param("path", node.path())
			.param("hotlines", cleanHotlines)
			.param("body", cleanBody)
			.param("published", publish)
			.param("by", user.accountId())
			.update();
		this.events.publishEvent(
				AuditEvent.of(user, publish ? "NOTICE_PUBLISHED" : "NOTICE_WITHDRAWN", "node", node.id(), node.code()));
	}

	private Optional<Text> text(long nodeId) {
		return this.jdbc.sql("select hotlines, body, published, published_at from public_notice where node_id = :node")
			.param("node", nodeId)
			.query((rs, i) -> new Text(rs.getString("hotlines"), rs.getString("body"), rs.getBoolean("published"),
					rs.getTimestamp("published_at") == null ? null : rs.getTimestamp("published_at").toInstant()))
			.optional();
	}

	/** A district or street by its code; anything else is not a notices page. */
	private Node node(String code) {
		String clean = code == null ? "" : code.trim();
		if (!clean.matches("\\d{12}")) {
			throw new NotFound("node.notFound");
		}
		CurrentUser lookup = new CurrentUser(0, "public", "public", Role.VOLUNTEER, null, "/");
		Node node = this.tree.nodeByCode(lookup, clean);
		if (node.kind() != NodeKind.DISTRICT && node.kind() != NodeKind.STREET) {
			throw new NotFound("node.notFound");
		}
		return node;
	}

}
