package org.fangxian.returnee.web;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.registry.OfficialDivisions;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.IdType;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.QrCode;
import org.fangxian.returnee.ReturneeDecision;
import org.fangxian.returnee.internal.ReturneeReviews;
import org.fangxian.returnee.internal.ReturneeReports;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The returnee's public form ({@code /report}, no sign-in; a community prints its link
 * {@code /report?c=<code>} as a QR code) and the workers' review pages
 * ({@code /returnees}).
 */
@Controller
class ReturneePages {

	/**
	 * A report is a few hundred bytes; anything far larger is not someone filling in the
	 * form.
	 */
	static final long MAX_FORM_BYTES = 16 * 1024;

	private final ReturneeReports reports;

	private final ReturneeReviews reviews;

	private final OfficialDivisions divisions;

	private final DivisionTree tree;

	private final MessageSource messages;

	private final Clock clock;

	ReturneePages(ReturneeReports reports, ReturneeReviews reviews, OfficialDivisions divisions, DivisionTree tree,
			MessageSource messages, Clock clock) {
		this.reports = reports;
		this.reviews = reviews;
		this.divisions = divisions;
		this.tree = tree;
		this.messages = messages;
		this.clock = clock;
	}

	// ---------------------------------------------------------------- public

	@GetMapping("/report")
	String form(@RequestParam(name = "c", required = false) String communityCode, Model model) {
		ReturneeReports.Submission empty = new ReturneeReports.Submission(null, "RESIDENT_ID", null, null,
				communityCode, null, null, null, null, LocalDate.now(this.clock).toString(), "TRAIN", null, null, null);
		return showForm(empty, Map.of(), null, model);
	}

	@PostMapping("/report")
	String submit(@ModelAttribute ReturneeReports.Submission form, HttpServletRequest request,
			HttpServletResponse response, Model model, RedirectAttributes redirect) {
		if (request.getContentLengthLong() > MAX_FORM_BYTES) {
			response.setStatus(413);
			return showForm(form, Map.of(), text("returnee.form.tooLarge"), model);
		}
		try {
			ReturneeReports.Receipt receipt = this.reports.submit(form, request.getRemoteAddr());
			redirect.addFlashAttribute("receipt", receipt);
			return "redirect:/report/done";
		}
		catch (ReturneeReports.InvalidReport ex) {
			response.setStatus(400);
			Map<String, String> errors = new LinkedHashMap<>();
			ex.errors().forEach(e -> errors.putIfAbsent(e.field(), text(e.messageKey(), e.args())));
			return showForm(form, errors, text("returnee.form.fix"), model);
		}
		catch (InvalidInput ex) {
			response.setStatus(ex.messageKey().startsWith("returnee.limit") ? 429 : 400);
			return showForm(form, Map.of(), text(ex.messageKey(), ex.args()), model);
		}
	}

	@GetMapping("/report/done")
	String done(Model model) {
		return "containment/returnee-done";
	}

	/**
	 * Districts of a city for the form's second picker (JavaScript); the form works
	 * without it.
	 */
	@GetMapping(path = "/report/districts", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<List<OfficialDivisions.Division>> districts(@RequestParam String city) {
		List<OfficialDivisions.Division> list = city.matches("\\d{4}") ? this.divisions.districts(city) : List.of();
		return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(1))).body(list);
	}

	private String showForm(ReturneeReports.Submission form, Map<String, String> errors, String error, Model model) {
		var community = this.reports.community(form.community());
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		model.addAttribute("error", error);
		model.addAttribute("community", community.orElse(null));
		if (community.isEmpty()) {
			model.addAttribute("communities", this.reports.communities());
		}
		model.addAttribute("provinces", this.divisions.provinces());
		model.addAttribute("cities", this.divisions.cities(null));
		String city = form.originCity() != null && form.originCity().matches("\\d{4}") ? form.originCity() : null;
		model.addAttribute("districts", city == null ? List.of() : this.divisions.districts(city));
		model.addAttribute("idTypes", IdType.values());
		model.addAttribute("transports", ReturneeReports.Transport.values());
		model.addAttribute("started", this.reports.formToken());
		LocalDate today = LocalDate.now(this.clock);
		model.addAttribute("today", today);
		model.addAttribute("earliest", today.minusDays(ReturneeReports.MAX_DAYS_AGO));
		return "containment/returnee-form";
	}

	// ---------------------------------------------------------------- workers

	@GetMapping("/returnees")
	String list(CurrentUser user, Model model) {
		model.addAttribute("reports", this.reviews.list(user));
		model.addAttribute("communities", communities(user));
		return "containment/returnee-list";
	}

	@GetMapping("/returnees/{id}")
	String view(CurrentUser user, @PathVariable long id, Model model) {
		return detail(user, this.reviews.view(user, id), model);
	}

	@PostMapping("/returnees/{id}/reveal")
	String reveal(CurrentUser user, @PathVariable long id, Model model) {
		return detail(user, this.reviews.reveal(user, id), model);
	}

	@PostMapping("/returnees/{id}/decision")
	String decide(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String decision,
			@RequestParam(required = false) String note, Model model, HttpServletResponse response) {
		try {
			this.reviews.decide(user, id, decision, note);
			return "redirect:/returnees/" + id;
		}
		catch (InvalidInput ex) {
			response.setStatus(400);
			model.addAttribute("error", text(ex.messageKey(), ex.args()));
			return detail(user, this.reviews.view(user, id), model);
		}
	}

	/** The community's report link as a QR code, to print and put up at the gate. */
	@GetMapping(path = "/returnees/link.png", produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> linkImage(CurrentUser user, @RequestParam long community, HttpServletRequest request)
			throws IOException {
		user.require(Permission.MANAGE_CONTAINMENT);
		Node node = this.tree.node(user, community);
		if (node.code() == null) {
			throw new InvalidInput("community", "returnee.community.unknown");
		}
		String url = org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromContextPath(request)
			.path("/report")
			.queryParam("c", node.code())
			.toUriString();
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.IMAGE_PNG)
			.body(QrCode.png(url));
	}

	private String detail(CurrentUser user, ReturneeReviews.ReportDetail report, Model model) {
		model.addAttribute("report", report);
		model.addAttribute("decisions", ReturneeDecision.values());
		model.addAttribute("mayReveal", user.can(Permission.REVEAL_PERSONAL_DATA) && !report.revealed());
		return "containment/returnee-detail";
	}

	/**
	 * The communities of the caller's jurisdiction, whose report links the list page
	 * shows.
	 */
	private List<Node> communities(CurrentUser user) {
		List<Node> found = new java.util.ArrayList<>();
		for (Node top : this.tree.tops(user)) {
			if (top.kind() == NodeKind.COMMUNITY) {
				found.add(top);
			}
			else if (top.kind().ordinal() < NodeKind.COMMUNITY.ordinal()) {
				found.addAll(this.tree.within(user, top.id(), NodeKind.COMMUNITY));
			}
		}
		found.removeIf(n -> n.code() == null);
		return found.size() > 50 ? found.subList(0, 50) : found;
	}

	private String text(String key, Object... args) {
		return this.messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
	}

}
