package org.fangxian.quarantine.web;

import java.util.List;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Supplier;

import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.seal.Seals;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.quarantine.internal.CheckInLinks;
import org.fangxian.quarantine.internal.QuarantineBook;
import org.fangxian.quarantine.internal.QuarantineOutcomes;
import org.fangxian.quarantine.internal.QuarantineStarts;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The containment board, seal and quarantine pages, and the public check-in link. */
@Controller
class ContainmentPages {

	private final Seals seals;

	private final QuarantineStarts starts;

	private final QuarantineBook quarantines;

	private final QuarantineOutcomes outcomes;

	private final DivisionTree tree;

	private final ResidentDirectory directory;

	private final CheckInLinks links;

	private final org.springframework.beans.factory.ObjectProvider<org.fangxian.shared.ResidentSupportLink> supportLinks;

	private final org.fangxian.registry.Establishments establishments;

	private final MessageSource messages;

	private final org.springframework.context.ApplicationEventPublisher events;

	private final java.time.Clock clock;

	ContainmentPages(org.springframework.context.ApplicationEventPublisher events, Seals seals, QuarantineStarts starts,
			QuarantineBook quarantines, QuarantineOutcomes outcomes, DivisionTree tree, ResidentDirectory directory,
			CheckInLinks links, MessageSource messages, org.fangxian.registry.Establishments establishments,
			java.time.Clock clock,
			org.springframework.beans.factory.ObjectProvider<org.fangxian.shared.ResidentSupportLink> supportLinks) {
		this.supportLinks = supportLinks;
		this.clock = clock;
		this.establishments = establishments;
		this.seals = seals;
		this.starts = starts;
		this.quarantines = quarantines;
		this.outcomes = outcomes;
		this.tree = tree;
		this.directory = directory;
		this.links = links;
		this.messages = messages;
		this.events = events;
	}

	private String text(InvalidInput ex) {
		return this.messages.getMessage(ex.messageKey(), ex.args(), ex.messageKey(), LocaleContextHolder.getLocale());
	}

	/** Runs a form's action; on bad input shows the form again with the message. */
	private String attempt(Model model, Supplier<String> action, Supplier<String> form) {
		try {
			return action.get();
		}
		catch (InvalidInput ex) {
			model.addAttribute("error", text(ex));
			model.addAttribute("errorField", ex.field());
			return form.get();
		}
	}

	@GetMapping("/containment")
	String board(CurrentUser user, Model model) {
		user.require(Permission.MANAGE_CONTAINMENT);
		Instant now = Instant.now();
		model.addAttribute("now", now);
		model.addAttribute("sealed", this.seals.open(user));
		model.addAttribute("ended", this.seals.recentlyEnded(user, 7));
		model.addAttribute("quarantines", this.quarantines.open(user, false));
		return "containment/board";
	}

	@GetMapping("/containment/seals/new")
	String newSeal(CurrentUser user, @RequestParam long node, @RequestParam(required = false) String reason,
			Model model) {
		user.require(Permission.MANAGE_CONTAINMENT);
		model.addAttribute("node", this.tree.node(user, node));
		if (reason != null && !model.containsAttribute("form")) {
			// proposed from elsewhere (a case's flow tracing): the reason comes filled in
			model.addAttribute("form", java.util.Map.of("reason", reason, "order", ""));
		}
		model.addAttribute("people", this.directory.countLivingWithin(this.tree.node(user, node).path()));
		return "containment/seal-new";
	}

	@PostMapping("/containment/seals")
	String seal(CurrentUser user, @RequestParam long nodeId, @RequestParam(required = false) String level,
			@RequestParam(required = false) String reason, @RequestParam(required = false) String order,
			@RequestParam(required = false) Integer hours, Model model) {
		return attempt(model, () -> "redirect:/containment/seals/"
				+ this.seals.seal(user, new Seals.NewSeal(nodeId, level, reason, order, null, null, hours)).id(),
				() -> {
					model.addAttribute("form", java.util.Map.of("reason", reason == null ? "" : reason, "order",
							order == null ? "" : order));
					return newSeal(user, nodeId, null, model);
				});
	}

	@GetMapping("/containment/seals/{id}")
	String seal(CurrentUser user, @PathVariable long id, Model model) {
		Seals.Seal seal = this.seals.get(user, id);
		model.addAttribute("seal", seal);
		model.addAttribute("timeline", this.seals.timeline(user, id));
		// shops and enterprises inside share the status (closed or controlled with the
		// area)
		model.addAttribute("establishments", this.establishments.at(user, seal.nodeId()));
		model.addAttribute("now", Instant.now());
		return "containment/seal";
	}

	@PostMapping("/containment/seals/{id}/extend")
	String extend(CurrentUser user, @PathVariable long id, @RequestParam(required = false) Integer hours,
			@RequestParam(required = false) String note, Model model) {
		return attempt(model, () -> {
			Seals.Seal seal = this.seals.get(user, id);
			Instant end = seal.plannedEndAt().plus(java.time.Duration.ofHours(hours == null ? 0 : hours));
			this.seals.extend(user, id, end, null, note);
			return "redirect:/containment/seals/" + id;
		}, () -> seal(user, id, model));
	}

	@PostMapping("/containment/seals/{id}/end")
	String end(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String note, Model model) {
		return attempt(model, () -> {
			this.seals.end(user, id, note);
			return "redirect:/containment/seals/" + id;
		}, () -> seal(user, id, model));
	}

	@GetMapping("/containment/quarantines/new")
	String newQuarantine(CurrentUser user, @RequestParam long resident, Model model) {
		user.require(Permission.MANAGE_CONTAINMENT);
		ResidentDirectory.ResidentSnapshot person = this.directory.byId(resident)
			.orElseThrow(() -> new NotFound("resident.notFound"));
		user.requireCovers(person.path());
		model.addAttribute("person", person);
		model.addAttribute("today", LocalDate.now(this.clock));
		return "containment/quarantine-new";
	}

	@PostMapping("/containment/quarantines")
	String startQuarantine(CurrentUser user, @RequestParam long residentId,
			@RequestParam(defaultValue = "false") boolean household, @RequestParam(required = false) String kind,
			@RequestParam(required = false) String reason, @RequestParam(required = false) String place,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate startsOn,
			@RequestParam(required = false) Integer days, @RequestParam(required = false) String testDays,
			Model model) {
		return attempt(model, () -> {
			Long householdId = household
					? this.directory.byId(residentId).map(ResidentDirectory.ResidentSnapshot::householdId).orElse(null)
					: null;
			var ids = this.starts.start(user, new Quarantines.NewQuarantine(household ? null : residentId, householdId,
					kind, reason, place, startsOn, days, null, testDays));
			return "redirect:/containment/quarantines/" + ids.get(0);
		}, () -> newQuarantine(user, residentId, model));
	}

	@GetMapping("/containment/quarantines/{id}")
	String quarantine(CurrentUser user, @PathVariable long id, Model model) {
		Quarantines.Quarantine q = this.quarantines.get(user, id);
		// health records of a named person: the view is audited like a resident's details
		this.events
			.publishEvent(org.fangxian.audit.AuditEvent.of(user, "VIEW_QUARANTINE", "resident", q.residentId(), null));
		model.addAttribute("q", q);
		List<Quarantines.CheckIn> checkIns = this.quarantines.checkIns(user, id);
		model.addAttribute("checkIns", checkIns);
		// A fever stays on top of the page whatever was reported after it.
		model.addAttribute("fevers", checkIns.stream().filter(Quarantines.CheckIn::fever).toList());
		model.addAttribute("tests", this.outcomes.tests(user, id));
		model.addAttribute("link", "/q/" + this.links.token(id));
		model.addAttribute("today", this.quarantines.today());
		return "containment/quarantine";
	}

	@PostMapping("/containment/quarantines/{id}/check-ins")
	String checkIn(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String temperature,
			@RequestParam(required = false) String symptoms, @RequestParam(required = false) String note, Model model,
			RedirectAttributes redirect) {
		return attempt(model, () -> {
			this.quarantines.checkIn(user, id, temperature, symptoms, note);
			redirect.addFlashAttribute("saved", true);
			return "redirect:/containment/quarantines/" + id;
		}, () -> quarantine(user, id, model));
	}

	@PostMapping("/containment/quarantines/{id}/tests")
	String test(CurrentUser user, @PathVariable long id, @RequestParam(required = false) Integer day,
			@RequestParam(required = false) String result, @RequestParam(required = false) String confirmed,
			Model model, RedirectAttributes redirect) {
		boolean positive = "POSITIVE".equalsIgnoreCase(result == null ? "" : result.trim());
		if (positive && !"yes".equals(confirmed)) {
			// A positive is escalated at once (texts go out): ask first, record nothing
			// yet.
			model.addAttribute("confirmPositive", day);
			return quarantine(user, id, model);
		}
		return attempt(model, () -> {
			this.outcomes.recordTest(user, id, day, result);
			if (positive) {
				redirect.addFlashAttribute("escalated", true);
			}
			return "redirect:/containment/quarantines/" + id;
		}, () -> quarantine(user, id, model));
	}

	@PostMapping("/containment/quarantines/{id}/release")
	String release(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String note, Model model) {
		return attempt(model, () -> {
			this.outcomes.release(user, id, note);
			return "redirect:/containment/quarantines/" + id;
		}, () -> quarantine(user, id, model));
	}

	// ---------------------------------------------------------------- the person's own
	// check-in link

	@GetMapping("/q/{token}")
	String selfCheckIn(@PathVariable String token, Model model) {
		Quarantines.Quarantine q = this.links.verify(token)
			.flatMap(this.quarantines::find)
			.filter(Quarantines.Quarantine::open)
			.orElse(null);
		model.addAttribute("q", q);
		model.addAttribute("token", token);
		// the resident's own supply-request page (生活保障), when the task module is there
		this.supportLinks.ifAvailable(
				links -> model.addAttribute("supportLink", q == null ? null : links.forResident(q.residentId())));
		return "containment/check-in";
	}

	@PostMapping("/q/{token}")
	String selfCheckIn(@PathVariable String token, @RequestParam(required = false) String temperature,
			@RequestParam(required = false) String symptoms, Model model, RedirectAttributes redirect) {
		Long id = this.links.verify(token).orElse(null);
		if (id == null) {
			return selfCheckIn(token, model);
		}
		return attempt(model, () -> {
			this.quarantines.checkInByResident(id, temperature, symptoms);
			redirect.addFlashAttribute("saved", true);
			return "redirect:/q/" + token;
		}, () -> selfCheckIn(token, model));
	}

}
