package org.fangxian.checkpoint.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.RiskAreas;
import org.fangxian.checkpoint.internal.Places;
import org.fangxian.checkpoint.internal.RoadChecks;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.web.PageMessages;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * The road officer's page (a plain form: each render carries a fresh idempotency key, so
 * a double tap or a resubmitted form records one check) and the HQ's risk-area register.
 */
@Controller
class RoadCheckPages {

	private final Checkpoints checkpoints;

	private final RoadChecks roadChecks;

	private final RiskAreas riskAreas;

	/** A refused input's sentence led by its field's label (车牌: …). */
	private final PageMessages pages;

	private final Clock clock;

	private final Places places;

	RoadCheckPages(Checkpoints checkpoints, RoadChecks roadChecks, RiskAreas riskAreas, PageMessages pages, Clock clock,
			Places places) {
		this.places = places;
		this.clock = clock;
		this.checkpoints = checkpoints;
		this.roadChecks = roadChecks;
		this.riskAreas = riskAreas;
		this.pages = pages.labelled();
	}

	@GetMapping("/checkpoints/{id}/road")
	String form(CurrentUser user, @PathVariable long id, Model model) {
		model.addAttribute("checkpoint", this.checkpoints.get(user, id));
		model.addAttribute("rules", this.roadChecks.rules(user, id));
		model.addAttribute("stats",
				this.roadChecks.daily(user, id, LocalDate.now(this.clock), LocalDate.now(this.clock)));
		model.addAttribute("key", UUID.randomUUID().toString());
		return "checkpoint/road";
	}

	@PostMapping("/checkpoints/{id}/road")
	String check(CurrentUser user, @PathVariable long id, @RequestParam String plate,
			@RequestParam(required = false) String origin, @RequestParam(required = false) String itinerary,
			@RequestParam(required = false) String healthCode,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime lastTest,
			@RequestParam(required = false) Integer passengers, @RequestParam String key, Model model) {
		List<String> places = itinerary == null || itinerary.isBlank() ? List.of()
				: Arrays.stream(itinerary.split("[,，、\\s]+")).filter(s -> !s.isBlank()).toList();
		return this.pages.submit(model, () -> {
			RoadChecks.CheckResult result = this.roadChecks.check(user, id,
					new RoadChecks.CheckRequest(plate, origin, places, healthCode,
							lastTest == null ? null : lastTest.atZone(this.clock.getZone()).toInstant(), passengers,
							key));
			model.addAttribute("result", result);
			model.addAttribute("resultText", resultText(result));
			return form(user, id, model);
		}, () -> {
			// The form keeps what the officer typed; only the wrong part needs changing.
			model.addAttribute("typed", new Typed(plate, origin, itinerary, healthCode, lastTest, passengers));
			return form(user, id, model);
		});
	}

	/** What the officer sent, shown again after an error. */
	record Typed(String plate, String origin, String itinerary, String healthCode, LocalDateTime lastTest,
			Integer passengers) {
	}

	/**
	 * The rule in words with what made it fire: a place by its name and level (北京市 朝阳区,
	 * 高风险), a validity in hours; never a raw code or an enum name.
	 */
	String resultText(RoadChecks.CheckResult result) {
		String rule = this.pages.text(result.rule());
		if (result.detail() == null) {
			return rule;
		}
		String detail = result.detail();
		if ("road.rule.riskArea".equals(result.rule())) {
			String[] parts = detail.split(" ");
			String place = this.places.describe(parts[0]);
			String level = parts.length > 1 ? this.pages.text("risk.level." + parts[1]) : "";
			return rule + "（" + this.pages.text("road.detail.riskArea", place, level) + "）";
		}
		if ("road.rule.testExpired".equals(result.rule()) && detail.endsWith("h")) {
			return rule + "（" + this.pages.text("road.detail.validity", detail.substring(0, detail.length() - 1)) + "）";
		}
		return rule;
	}

	/** A risk area as listed: its place by name, the code beside it for reference. */
	record ListedArea(RiskAreas.RiskArea area, String place) {
	}

	@GetMapping("/risk-areas")
	String riskAreas(CurrentUser user, Model model) {
		model.addAttribute("areas",
				this.riskAreas.inForce(LocalDate.now(this.clock))
					.stream()
					.map(a -> new ListedArea(a, this.places.describe(a.divisionCode())))
					.toList());
		model.addAttribute("today", LocalDate.now(this.clock));
		model.addAttribute("canEdit", user.can(Permission.MANAGE_RISK_AREAS));
		return "checkpoint/risk-areas";
	}

	@PostMapping("/risk-areas")
	String addRiskArea(CurrentUser user, @RequestParam String divisionCode, @RequestParam String level,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate effectiveFrom,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate effectiveTo,
			@RequestParam(required = false) String note, Model model) {
		return this.pages.submit(model, () -> {
			this.riskAreas.add(user, new RiskAreas.NewRiskArea(divisionCode, level, effectiveFrom, effectiveTo, note));
			return "redirect:/risk-areas";
		}, () -> riskAreas(user, model));
	}

	@PostMapping("/risk-areas/imports")
	String importRiskAreas(CurrentUser user, @RequestParam MultipartFile file, Model model) throws IOException {
		try (InputStream in = file.getInputStream()) {
			model.addAttribute("imported", this.riskAreas.importList(user, in));
		}
		return riskAreas(user, model);
	}

}
