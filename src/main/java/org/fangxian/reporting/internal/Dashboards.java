package org.fangxian.reporting.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.checkpoint.GateFigures;
import org.fangxian.quarantine.ContainmentFigures;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.reporting.FigureSource;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.shared.InvalidInput;
import org.fangxian.testing.TestingFigures;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dashboard of a node (指挥看板): asks each module for its figures of the subtree and the
 * children, one query per module, and the {@link FigureSource}s for theirs. Types
 * nothing, stores nothing.
 */
@Service
public class Dashboards {

	/** Days of the trend lines, ending with the day shown. */
	public static final int TREND_DAYS = 14;

	private final DivisionTree tree;

	private final GateFigures gate;

	private final TestingFigures testing;

	private final ContainmentFigures containment;

	private final List<FigureSource> sources;

	private final Clock clock;

	Dashboards(DivisionTree tree, GateFigures gate, TestingFigures testing, ContainmentFigures containment,
			List<FigureSource> sources, Clock clock) {
		this.tree = tree;
		this.gate = gate;
		this.testing = testing;
		this.containment = containment;
		this.sources = sources;
		this.clock = clock;
	}

	/** The node with this 12-digit division code, if the user may see its dashboard. */
	public Node node(CurrentUser user, String code) {
		user.require(Permission.VIEW_DASHBOARD);
		String clean = code == null ? "" : code.trim();
		if (!clean.matches("\\d{12}")) {
			throw new InvalidInput("code", "dashboard.code.invalid");
		}
		return this.tree.nodeByCode(user, clean);
	}

	/**
	 * The node a user lands on: their own, or the first top of an installation-wide
	 * account.
	 */
	public java.util.Optional<Node> home(CurrentUser user) {
		user.require(Permission.VIEW_DASHBOARD);
		return this.tree.tops(user).stream().filter(n -> n.code() != null).findFirst();
	}

	/** {@code raw} as YYYY-MM-DD; blank is today in China Standard Time. */
	public LocalDate day(String raw) {
		if (raw == null || raw.isBlank()) {
			return ChinaStandardTime.today(this.clock);
		}
		try {
			return LocalDate.parse(raw.trim());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidInput("date", "dashboard.date.invalid");
		}
	}

	public LocalDate today() {
		return ChinaStandardTime.today(this.clock);
	}

	@Transactional(readOnly = true)
	public Dashboard of(CurrentUser user, Node node, LocalDate day) {
		user.require(Permission.VIEW_DASHBOARD);
		user.requireCovers(node.path());
		GateFigures.Breakdown gates = this.gate.day(user, node, day);
		TestingFigures.Breakdown rounds = this.testing.day(user, node, day);
		ContainmentFigures.Breakdown closures = this.containment.day(user, node, day);
		List<Dashboard.Child> children = new ArrayList<>();
		NodeKind childKind = node.kind().childKind().orElse(null);
		if (childKind != null) {
			for (Node child : this.tree.within(user, node.id(), childKind)) {
				if (child.parentId() == null || child.parentId() != node.id()) {
					continue;
				}
				children.add(new Dashboard.Child(child.id(), child.code(), child.name(), gate(gates.child(child.id())),
						testing(rounds.child(child.id())), containment(closures.child(child.id())),
						more(user, child, day, gates.child(child.id()))));
			}
		}
		return new Dashboard(node.code(), node.name(), node.kind().name(), day, gate(gates.total()),
				testing(rounds.total()), containment(closures.total()), more(user, node, day, gates.total()), children);
	}

	/**
	 * The {@value #TREND_DAYS} days ending with {@code day}: gate figures and people in
	 * quarantine.
	 */
	@Transactional(readOnly = true)
	public List<Dashboard.Trend> trends(CurrentUser user, Node node, LocalDate day) {
		user.require(Permission.VIEW_DASHBOARD);
		user.requireCovers(node.path());
		LocalDate from = day.minusDays(TREND_DAYS - 1);
		Map<LocalDate, GateFigures.Counts> gates = this.gate.days(user, node, from, day);
		Map<LocalDate, Long> quarantined = this.containment.quarantinedByDay(user, node, from, day);
		List<Dashboard.Trend> trends = new ArrayList<>();
		gates.forEach((d, counts) -> trends.add(new Dashboard.Trend(d, gate(counts), quarantined.getOrDefault(d, 0L))));
		return trends;
	}

	private Map<String, Map<String, Long>> more(CurrentUser user, Node node, LocalDate day, GateFigures.Counts gates) {
		Map<String, Map<String, Long>> more = new LinkedHashMap<>();
		Map<String, Long> visits = new LinkedHashMap<>();
		visits.put("visitors", gates.visitors());
		visits.put("vehicles", gates.vehicles());
		more.put("visits", visits);
		for (FigureSource source : this.sources) {
			more.put(source.section(), source.figures(user, node, day));
		}
		return more;
	}

	/**
	 * The list each figure of {@code more} links to, by section and key (visits: the
	 * checkpoints).
	 */
	public Map<String, Map<String, String>> links(Dashboard dashboard) {
		Map<String, Map<String, String>> links = new LinkedHashMap<>();
		dashboard.more().forEach((section, figures) -> {
			Map<String, String> keys = new LinkedHashMap<>();
			FigureSource source = this.sources.stream()
				.filter(s -> s.section().equals(section))
				.findFirst()
				.orElse(null);
			figures.keySet().forEach(key -> keys.put(key, source == null ? "/checkpoints" : source.link(key)));
			links.put(section, keys);
		});
		return links;
	}

	private static Dashboard.Gate gate(GateFigures.Counts c) {
		return new Dashboard.Gate(c.in(), c.out(), c.denied(), c.turnBacks(), c.feverAlerts());
	}

	private static Dashboard.Testing testing(TestingFigures.Counts c) {
		return new Dashboard.Testing(c.expected(), c.sampled(), c.positive());
	}

	private static Dashboard.Containment containment(ContainmentFigures.Counts c) {
		return new Dashboard.Containment(c.sealedAreas(), c.peopleSealed(), c.quarantined(), c.overdueCheckIns());
	}

}
