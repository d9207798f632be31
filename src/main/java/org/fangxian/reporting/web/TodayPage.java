package org.fangxian.reporting.web;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fangxian.checkpoint.GateAlert;
import org.fangxian.checkpoint.GateAlerts;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.reporting.FigureSource;
import org.fangxian.returnee.Returnees;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.web.PageMessages;
import org.fangxian.testing.TestingFigures;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * A community worker's "today" (今日待办), their landing page: what needs them now in their
 * community, each a count, the first few items and a link to the list where the work is
 * done. Every figure comes from its module's API (the same figures the dashboard shows),
 * scoped to the caller's jurisdiction.
 */
@Controller
class TodayPage {

	/** How many items a card lists before "all". */
	static final int FIRST = 3;

	/** One line of a card, linking where the work is done. */
	record Item(String text, String href) {
	}

	/**
	 * @param tone {@code bad} when something is waiting that should not, {@code ok} when
	 * the card is clear
	 */
	record Card(String key, long count, List<Item> items, String link, String tone) {
	}

	private final DivisionTree tree;

	private final GateAlerts gates;

	private final Quarantines quarantines;

	private final TestingFigures testing;

	private final Returnees returnees;

	private final List<FigureSource> sources;

	private final PageMessages pages;

	private final Clock clock;

	private final DateTimeFormatter day = DateTimeFormatter.ofPattern("MM-dd");

	private final DateTimeFormatter time;

	TodayPage(DivisionTree tree, GateAlerts gates, Quarantines quarantines, TestingFigures testing, Returnees returnees,
			List<FigureSource> sources, PageMessages pages, Clock clock) {
		this.tree = tree;
		this.gates = gates;
		this.quarantines = quarantines;
		this.testing = testing;
		this.returnees = returnees;
		this.sources = sources;
		this.pages = pages;
		this.clock = clock;
		this.time = DateTimeFormatter.ofPattern("HH:mm").withZone(clock.getZone());
	}

	@GetMapping("/today")
	String today(CurrentUser user, Model model) {
		if (user.nodeId() == null) {
			// An installation-wide account has no community to look after.
			return "redirect:/";
		}
		Node node = this.tree.node(user, user.nodeId());
		LocalDate today = LocalDate.now(this.clock);
		List<Card> cards = new ArrayList<>();
		if (user.can(Permission.MANAGE_CHECKPOINTS)) {
			List<GateAlert> alerts = this.gates.openAlerts(user);
			cards
				.add(card("gateAlerts", alerts.size(), alerts.stream()
					.limit(FIRST)
					.map(a -> new Item(
							String.join(" · ", this.time.format(a.createdAt()), a.person() == null ? "—" : a.person(),
									this.pages.text("checkpoint.alert." + a.kind()), a.checkpointName()),
							"/checkpoints"))
					.toList(), "/checkpoints"));
		}
		if (user.can(Permission.MANAGE_CONTAINMENT)) {
			List<Quarantines.Fever> fevers = this.quarantines.fevers(user, today.minusDays(1));
			cards
				.add(card("fevers", fevers.size(),
						fevers.stream()
							.limit(FIRST)
							.map(f -> new Item(
									String.join(" · ", f.person(),
											this.day.format(f.day()) + " "
													+ this.pages.text("quarantine.slot." + f.slot()),
											f.temperature().toPlainString() + " °C"),
									"/containment/quarantines/" + f.quarantineId()))
							.toList(),
						"/containment"));
			List<Quarantines.Quarantine> overdue = this.quarantines.open(user, true);
			cards.add(card("overdueCheckIns", overdue.size(),
					overdue.stream()
						.limit(FIRST)
						.map(q -> new Item(
								q.person() + " · "
										+ (q.lastCheckIn() == null ? this.pages.text("today.never")
												: this.pages.text("today.lastCheckIn",
														this.day.format(q.lastCheckIn()))),
								"/containment/quarantines/" + q.id()))
						.toList(),
					"/containment"));
		}
		if (user.can(Permission.MANAGE_TESTING)) {
			cards
				.add(card("followUps", this.testing.openFollowUps(user, node, today), List.of(), "/testing/followups"));
		}
		if (user.can(Permission.MANAGE_CONTAINMENT)) {
			cards.add(card("returnees", this.returnees.returneesPending(user, node, today), List.of(), "/returnees"));
		}
		if (user.can(Permission.HANDLE_TASKS)) {
			this.sources.stream().filter(s -> s.section().equals("tasks")).findFirst().ifPresent(tasks -> {
				Map<String, Long> figures = tasks.figures(user, node, today);
				long open = figures.getOrDefault("supportOpen", 0L);
				long overdue = figures.getOrDefault("supportOverdue", 0L);
				List<Item> items = overdue > 0
						? List.of(new Item(this.pages.text("today.supportOverdue", overdue), "/tasks/deliveries"))
						: List.of();
				cards.add(card("support", open, items, "/tasks/deliveries"));
			});
		}
		model.addAttribute("node", node);
		model.addAttribute("today", today);
		model.addAttribute("cards", cards);
		model.addAttribute("waiting", cards.stream().mapToLong(Card::count).sum());
		return "reporting/today";
	}

	private static Card card(String key, long count, List<Item> items, String link) {
		return new Card(key, count, items, link, count == 0 ? "ok" : "bad");
	}

}
