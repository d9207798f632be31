package org.fangxian.testing.web;

import org.fangxian.testing.internal.Coverage;
import org.fangxian.testing.internal.Followups;
import org.fangxian.testing.internal.LabResults;
import org.fangxian.testing.internal.Reminders;
import org.fangxian.testing.internal.Round;
import org.fangxian.testing.internal.Rounds;
import org.fangxian.testing.internal.Sites;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.web.PageMessages;

import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Pages of mass testing: rounds, coverage with its chart and export, the sampler's phone
 * page, lab import.
 */
@Controller
class TestingPages {

	private final Rounds rounds;

	private final Coverage coverage;

	private final Reminders reminders;

	private final LabResults results;

	private final Followups followups;

	private final Sites sites;

	private final DivisionTree tree;

	private final MessageSource messages;

	private final PageMessages pages;

	private final Clock clock;

	private final org.fangxian.checkpoint.Checkpoints checkpoints;

	TestingPages(Rounds rounds, Coverage coverage, Reminders reminders, LabResults results, Followups followups,
			Sites sites, DivisionTree tree, MessageSource messages, PageMessages pages, Clock clock,
			org.fangxian.checkpoint.Checkpoints checkpoints) {
		this.pages = pages;
		this.checkpoints = checkpoints;
		this.rounds = rounds;
		this.coverage = coverage;
		this.reminders = reminders;
		this.results = results;
		this.followups = followups;
		this.sites = sites;
		this.tree = tree;
		this.messages = messages;
		this.clock = clock;
	}

	/**
	 * The round form as a browser sends it: local date-times from {@code datetime-local}
	 * inputs.
	 */
	public record RoundForm(Long nodeId, String name, Integer poolSize, String startsAt, String endsAt,
			Boolean includeAway) {
	}

	@GetMapping("/testing")
	String home(CurrentUser user, Model model) {
		model.addAttribute("rounds", this.rounds.list(user, 100));
		model.addAttribute("sites", this.sites.list(user));
		if (user.can(Permission.MANAGE_TESTING)) {
			model.addAttribute("poolSizes", Rounds.POOL_SIZES);
			model.addAttribute("places", places(user, List.of(NodeKind.DISTRICT, NodeKind.STREET, NodeKind.COMMUNITY,
					NodeKind.COMPOUND, NodeKind.BUILDING)));
			LocalDateTime now = LocalDateTime.now(this.clock).withSecond(0).withNano(0);
			if (!model.containsAttribute("form")) {
				model.addAttribute("form",
						new RoundForm(null, "", 10, now.toString(), now.plusHours(12).toString(), false));
			}
			model.addAttribute("followupCount", this.followups.open(user).size());
		}
		return "testing/home";
	}

	/**
	 * The places of these kinds in the user's jurisdiction, for a select; at most 3,000.
	 */
	private List<Node> places(CurrentUser user, List<NodeKind> kinds) {
		List<Node> places = new ArrayList<>();
		for (Node top : this.tree.tops(user)) {
			for (NodeKind kind : kinds) {
				places.addAll(this.tree.within(user, top.id(), kind));
			}
		}
		places.sort(Comparator.comparing(Node::path));
		return places.size() > 3000 ? places.subList(0, 3000) : places;
	}

	@PostMapping("/testing/rounds")
	String open(CurrentUser user, @ModelAttribute RoundForm form, Model model) {
		return this.pages.submit(model, () -> {
			Round round = this.rounds.open(user, new Rounds.NewRound(form.nodeId(), null, form.name(), form.poolSize(),
					time(form.startsAt(), "startsAt"), time(form.endsAt(), "endsAt"), form.includeAway(), false));
			return "redirect:/testing/rounds/" + round.id();
		}, () -> {
			model.addAttribute("form", form);
			return home(user, model);
		});
	}

	private java.time.Instant time(String local, String field) {
		if (local == null || local.isBlank()) {
			return null;
		}
		try {
			return org.fangxian.shared.DateBounds.require(field,
					LocalDateTime.parse(local).atZone(this.clock.getZone()).toInstant());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidInput(field, "testing.round.window.required");
		}
	}

	@GetMapping("/testing/rounds/{id}")
	String round(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code,
			@RequestParam(required = false) String page, Model model) {
		Coverage.Report report = this.coverage.report(user, id, code, true);
		model.addAttribute("round", this.rounds.get(user, id));
		model.addAttribute("report", report);
		model.addAttribute("total", report.counts());
		// One page of the missing list here (a street's list is thousands long); the
		// whole
		// list has its own page and the export.
		int number = pageNumber(page);
		model.addAttribute("missingPage",
				user.can(Permission.VIEW_RESIDENTS)
						? this.coverage.missingPage(user, id, String.valueOf(report.nodeId()), false,
								(number - 1) * Coverage.MISSING_PAGE, Coverage.MISSING_PAGE)
						: null);
		model.addAttribute("pageNumber", number);
		model.addAttribute("trail", this.tree.trail(user, this.tree.node(user, report.nodeId())));
		// The chart's data as plain lists in data- attributes: the page's script only
		// draws.
		List<Coverage.Hour> hours = this.coverage.timeline(user, id, String.valueOf(report.nodeId()));
		java.time.format.DateTimeFormatter hourFormat = java.time.format.DateTimeFormatter.ofPattern("MM-dd HH:00")
			.withZone(this.clock.getZone());
		model.addAttribute("hourLabels",
				String.join(",", hours.stream().map(h -> hourFormat.format(h.start())).toList()));
		model.addAttribute("hourSwabs", String.join(",", hours.stream().map(h -> String.valueOf(h.swabs())).toList()));
		model.addAttribute("hourTotals",
				String.join(",", hours.stream().map(h -> String.valueOf(h.cumulative())).toList()));
		return "testing/round";
	}

	/** A page number as typed in the address: 1 when absent, 4xx when not a number. */
	private static int pageNumber(String raw) {
		if (raw == null || raw.isBlank()) {
			return 1;
		}
		if (!raw.strip().matches("\\d{1,4}") || Integer.parseInt(raw.strip()) < 1) {
			throw new InvalidInput("page", "testing.missing.page");
		}
		return Integer.parseInt(raw.strip());
	}

	/** The whole missing list below a place, by door, for printing and door-knocking. */
	@GetMapping("/testing/rounds/{id}/missing")
	String missing(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code, Model model) {
		user.require(Permission.VIEW_RESIDENTS);
		Coverage.Report report = this.coverage.report(user, id, code, false);
		model.addAttribute("round", this.rounds.get(user, id));
		model.addAttribute("report", report);
		model.addAttribute("missing", this.coverage.missing(user, id, String.valueOf(report.nodeId()), false));
		model.addAttribute("limit", Coverage.MISSING_LIMIT);
		return "testing/missing";
	}

	@PostMapping("/testing/rounds/{id}/reminders")
	String remind(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code,
			RedirectAttributes redirect) {
		Reminders.Outcome outcome = this.reminders.remindMissing(user, id, code);
		redirect.addFlashAttribute("notice", this.pages.text("testing.remind.done", outcome.queued(), outcome.batch(),
				outcome.alreadySent(), outcome.withoutPhone()));
		return "redirect:/testing/rounds/" + id
				+ (code == null || code.isBlank() ? "" : "?code=" + code.replaceAll("\\D", ""));
	}

	@PostMapping("/testing/rounds/{id}/close")
	String close(CurrentUser user, @PathVariable long id) {
		this.rounds.close(user, id);
		return "redirect:/testing/rounds/" + id;
	}

	@GetMapping("/testing/rounds/{id}/coverage.xlsx")
	void export(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code,
			HttpServletResponse response) throws IOException {
		// Checked before the first byte, so a refusal is a clean error page rather than a
		// broken file.
		this.coverage.report(user, id, code, false);
		response.setContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
				ContentDisposition.attachment().filename("coverage-" + id + ".xlsx").build().toString());
		this.coverage.export(user, id, code, response.getOutputStream(), this.pages::text);
	}

	@GetMapping("/testing/rounds/{id}/sampling")
	String sampling(CurrentUser user, @PathVariable long id, Model model) {
		user.require(Permission.COLLECT_SAMPLES);
		model.addAttribute("round", this.rounds.get(user, id));
		model.addAttribute("sites", this.sites.list(user));
		model.addAttribute("roadCheckpoints", this.checkpoints.list(user).stream().filter(c -> c.road()).toList());
		return "testing/sampling";
	}

	public record SiteForm(Long nodeId, String name, String address, String openingHours) {
	}

	/**
	 * Sites and their points; the counter at the end of the line reports the queue from
	 * here.
	 */
	@GetMapping("/testing/sites")
	String sites(CurrentUser user, Model model) {
		if (!user.can(Permission.COLLECT_SAMPLES)) {
			user.require(Permission.MANAGE_TESTING);
		}
		model.addAttribute("sites", this.sites.list(user));
		if (user.can(Permission.MANAGE_TESTING)) {
			model.addAttribute("places",
					places(user, List.of(NodeKind.DISTRICT, NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.COMPOUND)));
			if (!model.containsAttribute("siteForm")) {
				model.addAttribute("siteForm", new SiteForm(null, "", "", "07:00-19:00"));
			}
		}
		return "testing/sites";
	}

	@PostMapping("/testing/sites")
	String createSite(CurrentUser user, @ModelAttribute SiteForm form, Model model, RedirectAttributes redirect) {
		return this.pages.submit(model, () -> {
			Sites.Site site = this.sites.create(user,
					new Sites.NewSite(form.nodeId(), form.name(), form.address(), form.openingHours()));
			redirect.addFlashAttribute("notice", this.pages.text("testing.site.created", site.name()));
			return "redirect:/testing/sites#site-" + site.id();
		}, () -> {
			model.addAttribute("siteForm", form);
			return sites(user, model);
		});
	}

	@PostMapping("/testing/sites/{id}/points")
	String addPoint(CurrentUser user, @PathVariable long id, @ModelAttribute Sites.NewPoint form, Model model,
			RedirectAttributes redirect) {
		return this.pages.submit(model, () -> {
			this.sites.addPoint(user, id, form);
			redirect.addFlashAttribute("notice", this.pages.text("testing.point.added", form.name()));
			return "redirect:/testing/sites#site-" + id;
		}, () -> sites(user, model));
	}

	@PostMapping("/testing/sites/{id}/queue")
	String countQueue(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String waiting,
			Model model, RedirectAttributes redirect) {
		return this.pages.submit(model, () -> {
			Sites.Site site = this.sites.countQueue(user, id, number(waiting));
			redirect.addFlashAttribute("notice",
					this.pages.text("testing.site.queue.saved", site.waiting(), site.name()));
			return "redirect:/testing/sites#site-" + id;
		}, () -> sites(user, model));
	}

	/**
	 * A typed count, full-width digits allowed; anything else is the invalid count it is.
	 */
	private static Integer number(String raw) {
		String clean = org.fangxian.shared.FullWidth.clean(raw);
		if (!clean.matches("\\d{1,6}")) {
			return clean.isEmpty() ? null : -1;
		}
		return Integer.valueOf(clean);
	}

	/**
	 * The public queue board (排队情况), for residents deciding when to go: no sign-in, no
	 * personal data. {@code c} narrows it to the sites serving a division code; it
	 * reloads itself every minute.
	 */
	@GetMapping("/sites")
	String board(@RequestParam(name = "c", required = false) String code, Model model) {
		model.addAttribute("sites", this.sites.board(code));
		model.addAttribute("code", code == null ? "" : code);
		model.addAttribute("freshMinutes", Sites.QUEUE_COUNT_FRESH.toMinutes());
		return "testing/board";
	}

	@GetMapping("/testing/imports")
	String importForm(CurrentUser user) {
		user.require(Permission.MANAGE_TESTING);
		return "testing/import";
	}

	@PostMapping("/testing/imports")
	String importFile(CurrentUser user, @RequestParam(name = "file", required = false) MultipartFile file, Model model)
			throws IOException {
		user.require(Permission.MANAGE_TESTING);
		if (file == null || file.isEmpty()) {
			this.pages.rejected(model, new InvalidInput("file", "testing.import.empty"));
			return "testing/import";
		}
		byte[] content = file.getBytes();
		return this.pages.submit(model, () -> {
			model.addAttribute("report", TestingApi
				.answer(this.results.importFile(user, file.getOriginalFilename(), content), this.messages));
			return "testing/import";
		}, () -> "testing/import");
	}

	@GetMapping("/testing/followups")
	String followups(CurrentUser user, Model model) {
		model.addAttribute("followups", this.followups.open(user));
		return "testing/followups";
	}

	@PostMapping("/testing/followups/{id}/acknowledge")
	String acknowledge(CurrentUser user, @PathVariable long id) {
		this.followups.acknowledge(user, id);
		return "redirect:/testing/followups";
	}

}
