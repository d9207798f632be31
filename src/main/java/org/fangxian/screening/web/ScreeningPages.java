package org.fangxian.screening.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.IdType;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.web.PageMessages;
import org.fangxian.screening.internal.Newcomers;
import org.fangxian.screening.internal.ScreeningVisits;
import org.fangxian.screening.internal.ScreeningCampaigns;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Screening campaigns: list and plan, progress by building and worker, and the door list
 * and visit form for a phone.
 */
@Controller
class ScreeningPages {

	private final ScreeningCampaigns campaigns;

	private final ScreeningVisits visits;

	private final DivisionTree tree;

	private final Newcomers newcomers;

	private final PageMessages pages;

	ScreeningPages(ScreeningCampaigns campaigns, ScreeningVisits visits, DivisionTree tree, PageMessages pages,
			Newcomers newcomers) {
		this.campaigns = campaigns;
		this.visits = visits;
		this.tree = tree;
		this.pages = pages;
		this.newcomers = newcomers;
	}

	/**
	 * People found at doors and not in the registry, for the community worker to register
	 * or dismiss.
	 */
	@GetMapping("/screening/newcomers")
	String newcomers(CurrentUser user, Model model) {
		model.addAttribute("newcomers", this.newcomers.pending(user));
		model.addAttribute("relations", org.fangxian.registry.Relation.values());
		model.addAttribute("statuses", org.fangxian.registry.ResidentStatus.values());
		model.addAttribute("canReveal", user.can(Permission.REVEAL_PERSONAL_DATA));
		return "containment/newcomers";
	}

	@PostMapping("/screening/newcomers/{id}/reveal")
	String revealNewcomer(CurrentUser user, @PathVariable long id, Model model) {
		Newcomers.Newcomer shown = this.newcomers.reveal(user, id);
		model.addAttribute("revealed", shown);
		return newcomers(user, model);
	}

	@PostMapping("/screening/newcomers/{id}/register")
	String registerNewcomer(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String relation,
			@RequestParam(required = false) String status, Model model, RedirectAttributes redirect,
			HttpServletResponse response) {
		try {
			long residentId = this.newcomers.register(user, id, relation, status);
			redirect.addFlashAttribute("notice", text("screening.newcomer.registered"));
			return "redirect:/residents/" + residentId;
		}
		catch (InvalidInput ex) {
			response.setStatus(400);
			model.addAttribute("error", text("screening.newcomer.notRegistered", text(ex.messageKey(), ex.args())));
			return newcomers(user, model);
		}
	}

	@PostMapping("/screening/newcomers/{id}/dismiss")
	String dismissNewcomer(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String note,
			Model model, RedirectAttributes redirect, HttpServletResponse response) {
		try {
			this.newcomers.handle(user, id, null, note);
			redirect.addFlashAttribute("notice", text("screening.newcomer.dismissed"));
			return "redirect:/screening/newcomers";
		}
		catch (InvalidInput ex) {
			response.setStatus(400);
			model.addAttribute("error", text(ex.messageKey(), ex.args()));
			return newcomers(user, model);
		}
	}

	@GetMapping("/screening")
	String list(CurrentUser user, Model model) {
		model.addAttribute("campaigns", this.campaigns.list(user));
		model.addAttribute("today", LocalDate.now());
		// Link attributes may not call static classes in Thymeleaf, so the page gets the
		// answer ready.
		model.addAttribute("manager", user.can(Permission.MANAGE_CONTAINMENT));
		model.addAttribute("newcomerList",
				user.can(Permission.MANAGE_CONTAINMENT) && user.can(Permission.VIEW_RESIDENTS));
		if (user.can(Permission.MANAGE_CONTAINMENT)) {
			List<Node> places = new ArrayList<>();
			for (Node top : this.tree.tops(user)) {
				places.add(top);
				for (NodeKind kind : List.of(NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.COMPOUND,
						NodeKind.BUILDING)) {
					if (kind.ordinal() > top.kind().ordinal()) {
						places.addAll(this.tree.within(user, top.id(), kind));
					}
				}
			}
			places.sort(Comparator.comparing(Node::path));
			model.addAttribute("places", places.size() > 3000 ? places.subList(0, 3000) : places);
		}
		return "containment/screening-list";
	}

	@PostMapping("/screening")
	String create(CurrentUser user, @RequestParam(required = false) String name,
			@RequestParam(required = false) Long nodeId,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate startsOn,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate endsOn,
			Model model, HttpServletResponse response) {
		try {
			long id = this.campaigns.create(user, new ScreeningCampaigns.NewCampaign(name, nodeId, startsOn, endsOn))
				.id();
			return "redirect:/screening/" + id;
		}
		catch (InvalidInput ex) {
			response.setStatus(400);
			model.addAttribute("error", text(ex.messageKey(), ex.args()));
			return list(user, model);
		}
	}

	@GetMapping("/screening/{id}")
	String progress(CurrentUser user, @PathVariable long id, Model model) {
		ScreeningCampaigns.Progress progress = this.campaigns.progress(user, id);
		model.addAttribute("progress", progress);
		model.addAttribute("campaign", progress.campaign());
		if (user.can(Permission.MANAGE_CONTAINMENT)) {
			model.addAttribute("visitors", this.campaigns.visitors(user, id));
		}
		return "containment/screening-progress";
	}

	@PostMapping("/screening/{id}/assignments")
	String assign(CurrentUser user, @PathVariable long id, @RequestParam(required = false) Long buildingId,
			@RequestParam(required = false) Long accountId, RedirectAttributes redirect) {
		try {
			int doors = this.campaigns.assign(user, id, buildingId, accountId);
			redirect.addFlashAttribute("notice", text("screening.assigned", doors));
		}
		catch (InvalidInput ex) {
			redirect.addFlashAttribute("error", text(ex.messageKey(), ex.args()));
		}
		return "redirect:/screening/" + id;
	}

	/**
	 * The visitor's doors, by building: their own by default, every door in their reach
	 * with {@code all}.
	 */
	@GetMapping("/screening/{id}/doors")
	String doors(CurrentUser user, @PathVariable long id, @RequestParam(defaultValue = "false") boolean all,
			Model model) {
		ScreeningCampaigns.Campaign campaign = this.campaigns.get(user, id);
		List<ScreeningVisits.Door> doors = this.visits.doors(user, id, !all);
		if (!all && doors.isEmpty()) {
			// Nothing handed to this visitor: show every door they can reach rather than
			// an empty page.
			doors = this.visits.doors(user, id, false);
			all = true;
		}
		// By building id, not name: two compounds each have a 1栋.
		Map<Long, List<ScreeningVisits.Door>> byBuilding = new LinkedHashMap<>();
		for (ScreeningVisits.Door door : doors) {
			byBuilding.computeIfAbsent(door.groupId(), k -> new ArrayList<>()).add(door);
		}
		model.addAttribute("campaign", campaign);
		model.addAttribute("byBuilding", byBuilding);
		model.addAttribute("all", all);
		model.addAttribute("left", doors.stream().filter(ScreeningVisits.Door::needsVisit).count());
		return "containment/screening-doors";
	}

	@GetMapping("/screening/{id}/doors/{householdId}")
	String door(CurrentUser user, @PathVariable long id, @PathVariable long householdId, Model model) {
		model.addAttribute("campaign", this.campaigns.get(user, id));
		model.addAttribute("door", this.visits.door(user, id, householdId));
		// A fresh key with each form: sending the same form twice (a double tap, a retry)
		// is one knock.
		model.addAttribute("key", UUID.randomUUID().toString());
		model.addAttribute("idTypes", IdType.values());
		model.addAttribute("reports", this.visits.reportsAtDoor(user, id, householdId));
		return "containment/screening-visit";
	}

	@PostMapping("/screening/{id}/doors/{householdId}")
	String visit(CurrentUser user, @PathVariable long id, @PathVariable long householdId,
			@RequestParam(required = false) String outcome, @RequestParam(required = false) String key,
			@RequestParam(required = false) String symptoms, @RequestParam(required = false) String symptomsNote,
			@RequestParam(required = false) Integer returnees, @RequestParam(required = false) String letterSigned,
			@RequestParam(required = false) String note, @RequestParam(required = false) String newcomerName,
			@RequestParam(required = false) String newcomerIdType, @RequestParam(required = false) String newcomerId,
			@RequestParam(required = false) String newcomerPhone, @RequestParam(required = false) Long returneeReportId,
			Model model, HttpServletResponse response, RedirectAttributes redirect) {
		List<ScreeningVisits.Newcomer> newcomers = List
			.of(new ScreeningVisits.Newcomer(newcomerName, newcomerIdType, newcomerId, newcomerPhone));
		// A refused knock shows the form again with everything typed (the page reads it
		// back from the request), under the same key: nothing was recorded.
		return this.pages.submit(model, () -> {
			ScreeningVisits.Recorded recorded = this.visits.record(user, id, householdId,
					new ScreeningVisits.VisitReport(outcome, key,
							"yes".equals(symptoms) ? Boolean.TRUE : "no".equals(symptoms) ? Boolean.FALSE : null,
							symptomsNote, returnees, returneeReportId, "yes".equals(letterSigned), note, newcomers));
			redirect.addFlashAttribute("notice", text("screening.recorded", recorded.door().address(),
					text("screening.outcome." + recorded.door().outcome())));
			return "redirect:/screening/" + id + "/doors";
		}, () -> {
			response.setStatus(400);
			door(user, id, householdId, model);
			model.addAttribute("key", key);
			return "containment/screening-visit";
		});
	}

	private String text(String key, Object... args) {
		return this.pages.text(key, args);
	}

}
