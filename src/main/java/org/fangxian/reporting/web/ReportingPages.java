package org.fangxian.reporting.web;

import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.reporting.internal.DailyReport;
import org.fangxian.reporting.internal.DailyReports;
import org.fangxian.reporting.internal.Dashboard;
import org.fangxian.reporting.internal.Dashboards;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.web.PageMessages;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The dashboard page (landing page of HQ and street accounts) and the daily report's
 * pages.
 */
@Controller
class ReportingPages {

	private final Dashboards dashboards;

	private final DailyReports reports;

	private final DivisionTree tree;

	private final PageMessages pages;

	ReportingPages(Dashboards dashboards, DailyReports reports, DivisionTree tree, PageMessages pages) {
		this.dashboards = dashboards;
		this.reports = reports;
		this.tree = tree;
		this.pages = pages;
	}

	private Node nodeOrHome(CurrentUser user, String code) {
		if (code == null || code.isBlank()) {
			return this.dashboards.home(user).orElseThrow(() -> new InvalidInput("code", "dashboard.code.invalid"));
		}
		return this.dashboards.node(user, code);
	}

	@GetMapping("/dashboard")
	String dashboard(CurrentUser user, @RequestParam(required = false) String code,
			@RequestParam(required = false) String date, Model model) {
		if ((code == null || code.isBlank()) && user.nodeId() == null && this.dashboards.home(user).isEmpty()) {
			// A fresh installation: no district yet, so the set-up comes first.
			return "redirect:/welcome";
		}
		Node node = nodeOrHome(user, code);
		Dashboard dashboard = this.dashboards.of(user, node, this.dashboards.day(date));
		model.addAttribute("dashboard", dashboard);
		model.addAttribute("links", this.dashboards.links(dashboard));
		model.addAttribute("trail", this.tree.trail(user, node));
		model.addAttribute("today", this.dashboards.today());
		model.addAttribute("canReport", user.can(Permission.WRITE_DAILY_REPORTS));
		return "reporting/dashboard";
	}

	@GetMapping("/reports")
	String history(CurrentUser user, @RequestParam(required = false) String code, Model model) {
		Node node = nodeOrHome(user, code);
		model.addAttribute("node", node);
		model.addAttribute("reports", this.reports.history(user, node, 60));
		model.addAttribute("today", this.dashboards.today());
		return "reporting/reports";
	}

	@PostMapping("/reports")
	String create(CurrentUser user, @RequestParam String code, @RequestParam(required = false) String date) {
		return "redirect:/reports/" + this.reports.create(user, code, date).report().id();
	}

	@GetMapping("/reports/{id}")
	String report(CurrentUser user, @PathVariable long id, Model model) {
		model.addAttribute("report", this.reports.get(user, id));
		model.addAttribute("canReopen", user.can(Permission.REOPEN_DAILY_REPORTS));
		return "reporting/report";
	}

	@PostMapping("/reports/{id}")
	String save(CurrentUser user, @PathVariable long id, @RequestParam(defaultValue = "") String workDone,
			@RequestParam(defaultValue = "") String problems, @RequestParam(defaultValue = "") String plans,
			@RequestParam(required = false) String submit, RedirectAttributes redirect) {
		try {
			this.reports.edit(user, id, workDone, problems, plans);
			if (submit != null) {
				this.reports.submit(user, id);
			}
			redirect.addFlashAttribute("notice",
					this.pages.text(submit != null ? "report.state.SUBMITTED" : "report.saved"));
		}
		catch (DailyReport.Locked ex) {
			redirect.addFlashAttribute("error", this.pages.text("report.locked"));
		}
		catch (InvalidInput ex) {
			redirect.addFlashAttribute("error", this.pages.text(ex));
		}
		return "redirect:/reports/" + id;
	}

	@PostMapping("/reports/{id}/reopen")
	String reopen(CurrentUser user, @PathVariable long id, @RequestParam(defaultValue = "") String reason,
			RedirectAttributes redirect) {
		try {
			this.reports.reopen(user, id, reason);
		}
		catch (InvalidInput ex) {
			redirect.addFlashAttribute("error", this.pages.text(ex));
		}
		return "redirect:/reports/" + id;
	}

}
