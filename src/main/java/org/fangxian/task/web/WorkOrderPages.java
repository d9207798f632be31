package org.fangxian.task.web;

import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.task.internal.WorkOrders;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The work-order board (工单看板): the orders of the jurisdiction, overdue first, and their
 * figures.
 */
@Controller
class WorkOrderPages {

	private final WorkOrders orders;

	WorkOrderPages(WorkOrders orders) {
		this.orders = orders;
	}

	@GetMapping("/tasks/work-orders")
	String board(CurrentUser user, @RequestParam(defaultValue = "false") boolean overdue, Model model) {
		user.require(Permission.HANDLE_TASKS);
		model.addAttribute("orders", this.orders.list(user, overdue));
		model.addAttribute("stats", this.orders.statistics(user));
		model.addAttribute("overdueOnly", overdue);
		return "task/work-orders";
	}

}
