package org.fangxian.task.web;

import java.io.IOException;

import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.web.PageMessages;
import org.fangxian.task.internal.HotlineImport;
import org.fangxian.task.internal.WorkOrders;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * The work-order board (工单看板): the orders of the jurisdiction, overdue first, and their
 * figures.
 */
@Controller
class WorkOrderPages {

	private final WorkOrders orders;

	private final HotlineImport hotline;

	private final PageMessages pages;

	WorkOrderPages(WorkOrders orders, HotlineImport hotline, PageMessages pages) {
		this.orders = orders;
		this.hotline = hotline;
		this.pages = pages;
	}

	@GetMapping("/tasks/work-orders/import")
	String importForm(CurrentUser user, Model model) {
		user.require(Permission.SUPERVISE_TASKS);
		return "task/work-order-import";
	}

	/** The hotline's export: the report of the rows on the same page. */
	@PostMapping("/tasks/work-orders/import")
	String importExport(CurrentUser user, @RequestParam(required = false) MultipartFile file, Model model)
			throws IOException {
		user.require(Permission.SUPERVISE_TASKS);
		byte[] bytes = file == null ? null : file.getBytes();
		String name = file == null ? null : file.getOriginalFilename();
		return this.pages.submit(model, () -> {
			HotlineImport.Report report = this.hotline.run(user, name, bytes);
			model.addAttribute("report", report);
			model.addAttribute("reasons",
					report.rejected().stream().map(r -> this.pages.text(r.code(), r.args().toArray())).toList());
			return "task/work-order-import";
		}, () -> "task/work-order-import");
	}

	@GetMapping("/tasks/work-orders")
	String board(CurrentUser user, @RequestParam(defaultValue = "false") boolean overdue, Model model) {
		user.require(Permission.SUPERVISE_TASKS);
		model.addAttribute("orders", this.orders.list(user, overdue));
		model.addAttribute("stats", this.orders.statistics(user));
		model.addAttribute("overdueOnly", overdue);
		return "task/work-orders";
	}

}
