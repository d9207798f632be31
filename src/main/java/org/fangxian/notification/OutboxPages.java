package org.fangxian.notification;

import java.util.List;

import org.fangxian.security.CurrentUser;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** What was sent to residents of the jurisdiction, and what is still waiting or failed. */
@Controller
class OutboxPages {

	private final Outbox outbox;

	OutboxPages(Outbox outbox) {
		this.outbox = outbox;
	}

	@GetMapping("/outbox")
	String page(CurrentUser user, @RequestParam(required = false) Outbox.Status status, Model model) {
		model.addAttribute("entries", this.outbox.recent(user, status, 200));
		model.addAttribute("counts", this.outbox.counts(user));
		model.addAttribute("status", status);
		return "notification/outbox";
	}

	@GetMapping("/api/v1/outbox")
	@ResponseBody
	List<Outbox.Entry> entries(CurrentUser user, @RequestParam(required = false) Outbox.Status status,
			@RequestParam(defaultValue = "100") int limit) {
		return this.outbox.recent(user, status, limit);
	}

}
