package org.fangxian.reporting.web;

import java.util.List;

import org.fangxian.registry.Node;
import org.fangxian.reporting.internal.Dashboard;
import org.fangxian.reporting.internal.Dashboards;
import org.fangxian.security.CurrentUser;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** JSON of the dashboard; the page polls it every 30 s and updates in place. */
@RestController
@RequestMapping("/api/v1/dashboard")
class DashboardApi {

	private final Dashboards dashboards;

	DashboardApi(Dashboards dashboards) {
		this.dashboards = dashboards;
	}

	@GetMapping
	Dashboard dashboard(CurrentUser user, @RequestParam(required = false) String code,
			@RequestParam(required = false) String date) {
		Node node = this.dashboards.node(user, code);
		return this.dashboards.of(user, node, this.dashboards.day(date));
	}

	@GetMapping("/trends")
	List<Dashboard.Trend> trends(CurrentUser user, @RequestParam(required = false) String code,
			@RequestParam(required = false) String date) {
		Node node = this.dashboards.node(user, code);
		return this.dashboards.trends(user, node, this.dashboards.day(date));
	}

}
