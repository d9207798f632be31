package org.fangxian.reporting.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.fangxian.registry.Node;
import org.fangxian.reporting.internal.Dashboards;
import org.fangxian.reporting.internal.PersonalDataPurges;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/purge} {@code {code, before?, confirm: "PURGE"}}: an HQ
 * administrator ends an emergency by deleting the personal records of their jurisdiction
 * made before {@code before} (default: the retention policy's cut-off). Rerunning is
 * harmless: what is gone stays gone.
 */
@RestController
class PurgeApi {

	private final Dashboards dashboards;

	private final PersonalDataPurges purges;

	PurgeApi(Dashboards dashboards, PersonalDataPurges purges) {
		this.dashboards = dashboards;
		this.purges = purges;
	}

	record PurgeRequest(String code, String before, String confirm) {
	}

	@PostMapping("/api/v1/purge")
	PersonalDataPurges.Result purge(CurrentUser user, @RequestBody PurgeRequest request) {
		user.require(Permission.PURGE_PERSONAL_DATA);
		if (!"PURGE".equals(request.confirm())) {
			throw new InvalidInput("confirm", "purge.confirm.required");
		}
		Node node = this.dashboards.node(user, request.code());
		LocalDate before = null;
		if (request.before() != null && !request.before().isBlank()) {
			try {
				before = LocalDate.parse(request.before().trim());
			}
			catch (DateTimeParseException ex) {
				throw new InvalidInput("before", "dashboard.date.invalid");
			}
		}
		return this.purges.purge(user, node, before);
	}

}
