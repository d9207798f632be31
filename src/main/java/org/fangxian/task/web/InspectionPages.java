package org.fangxian.task.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.web.PageMessages;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.internal.Inspections;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Pages of inspections (巡查): the inspector's phone (what is planned, start one on the
 * spot, the checklist with a photo per item) and the desk's board of open rectifications
 * (整改), overdue first, with a re-inspection (复查) one click away.
 */
@Controller
class InspectionPages {

	private final Inspections inspections;

	private final PageMessages pages;

	private final Clock clock;

	InspectionPages(Inspections inspections, PageMessages pages, Clock clock) {
		this.clock = clock;
		this.inspections = inspections;
		this.pages = pages;
	}

	@GetMapping("/tasks/inspections")
	String list(CurrentUser user, Model model) {
		user.require(Permission.SUPERVISE_TASKS);
		List<Inspections.Inspection> all = this.inspections.list(user, false);
		model.addAttribute("planned", all.stream().filter(i -> i.state().equals("PLANNED")).toList());
		model.addAttribute("done", all.stream().filter(i -> i.state().equals("DONE")).limit(20).toList());
		model.addAttribute("kinds", Inspections.KINDS);
		model.addAttribute("places", this.inspections.places(user));
		model.addAttribute("today", LocalDate.now(this.clock));
		return "task/inspections";
	}

	@PostMapping("/tasks/inspections")
	String plan(CurrentUser user, @RequestParam(required = false) String kind,
			@RequestParam(required = false) String place, @RequestParam(required = false) LocalDate plannedFor,
			Model model) {
		return this.pages.submit(model, () -> {
			Long node = null;
			Long establishment = null;
			// the picker's value: "<node>" or "<node>:<establishment>"
			if (place != null && !place.isBlank()) {
				String[] parts = place.split(":");
				try {
					node = Long.valueOf(parts[0]);
					establishment = parts.length > 1 ? Long.valueOf(parts[1]) : null;
				}
				catch (NumberFormatException ex) {
					node = null;
				}
			}
			Inspections.Inspection planned = this.inspections.plan(user,
					new Inspections.NewInspection(kind, node, establishment, plannedFor));
			return plannedFor == null ? "redirect:/tasks/inspections/" + planned.id() : "redirect:/tasks/inspections";
		}, () -> list(user, model));
	}

	@GetMapping("/tasks/inspections/{id}")
	String inspection(CurrentUser user, @PathVariable long id, Model model) {
		model.addAttribute("inspection", this.inspections.get(user, id));
		return "task/inspection";
	}

	/**
	 * The checklist sent from the phone: {@code passed_<item>} (true/false),
	 * {@code note_<item>}, {@code days_<item>} and files {@code photo_<item>}.
	 */
	@PostMapping("/tasks/inspections/{id}")
	String record(CurrentUser user, @PathVariable long id, @RequestParam MultiValueMap<String, String> form,
			HttpServletRequest request, Model model, RedirectAttributes redirect) {
		Inspections.Inspection inspection = this.inspections.get(user, id);
		List<Inspections.Finding> findings = new ArrayList<>();
		for (Inspections.Item item : inspection.items()) {
			String passed = form.getFirst("passed_" + item.id());
			String days = form.getFirst("days_" + item.id());
			Integer window = null;
			try {
				window = days == null || days.isBlank() ? null : Integer.valueOf(days.strip());
			}
			catch (NumberFormatException ex) {
				window = -1;
			}
			findings.add(new Inspections.Finding(item.id(), passed == null ? null : Boolean.valueOf(passed),
					form.getFirst("note_" + item.id()), window));
		}
		Map<Long, List<byte[]>> photos = new LinkedHashMap<>();
		for (Inspections.Item item : inspection.items()) {
			List<MultipartFile> files = request instanceof MultipartHttpServletRequest multipart
					? multipart.getFiles("photo_" + item.id()) : List.of();
			for (MultipartFile file : files) {
				if (!file.isEmpty()) {
					try {
						photos.computeIfAbsent(item.id(), k -> new ArrayList<>()).add(file.getBytes());
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				}
			}
		}
		try {
			return this.pages.submit(model, () -> {
				Inspections.Outcome outcome = this.inspections.record(user, id, findings, photos,
						form.getFirst("note"));
				redirect.addFlashAttribute("opened", outcome.opened().size());
				redirect.addFlashAttribute("closed", outcome.closed().size());
				redirect.addFlashAttribute("reopened", outcome.reopened().size());
				return "redirect:/tasks/inspections/" + id;
			}, () -> inspection(user, id, model));
		}
		catch (TransitionNotAllowed ex) {
			redirect.addFlashAttribute("taken", true);
			return "redirect:/tasks/inspections/" + id;
		}
	}

	@GetMapping("/tasks/rectifications")
	String board(CurrentUser user, @RequestParam(defaultValue = "true") boolean open, Model model) {
		user.require(Permission.SUPERVISE_TASKS);
		model.addAttribute("rectifications", this.inspections.rectifications(user, open));
		model.addAttribute("openOnly", open);
		return "task/rectifications";
	}

	@PostMapping("/tasks/rectifications/{id}/reinspection")
	String reinspect(CurrentUser user, @PathVariable long id, RedirectAttributes redirect) {
		try {
			return "redirect:/tasks/inspections/" + this.inspections.reinspect(user, id).id();
		}
		catch (TransitionNotAllowed ex) {
			redirect.addFlashAttribute("taken", true);
			return "redirect:/tasks/rectifications";
		}
	}

}
