package org.fangxian.notification.web;

import java.time.Instant;
import java.util.List;

import org.fangxian.notification.Outbox;
import org.fangxian.notification.internal.OutboxDispatcher;
import org.fangxian.notification.internal.PublicAddress;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.web.PageMessages;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * What was sent to residents of the jurisdiction, and what is still waiting or failed.
 */
@Controller
class OutboxPages {

	private final Outbox outbox;

	private final OutboxDispatcher dispatcher;

	private final PageMessages pages;

	private final PublicAddress address;

	OutboxPages(Outbox outbox, OutboxDispatcher dispatcher, PageMessages pages, PublicAddress address) {
		this.address = address;
		this.outbox = outbox;
		this.dispatcher = dispatcher;
		this.pages = pages;
	}

	@GetMapping("/outbox")
	String page(CurrentUser user, @RequestParam(required = false) Outbox.Status status, Model model) {
		model.addAttribute("entries", this.outbox.recent(user, status, 200));
		model.addAttribute("counts", this.outbox.counts(user));
		model.addAttribute("status", status);
		model.addAttribute("logOnly", !this.dispatcher.reachesPhones());
		model.addAttribute("localLinks", this.address.unreachable().orElse(null));
		return "notification/outbox";
	}

	/**
	 * A message as the API gives it: the state as a code and as words in the caller's
	 * language.
	 */
	record Message(long id, String phoneMasked, String template, String body, Outbox.Status status, String statusText,
			int attempts, Instant createdAt, Instant nextAttemptAt, Instant sentAt, Instant deliveredAt,
			String lastError) {
	}

	@GetMapping("/api/v1/outbox")
	@ResponseBody
	List<Message> entries(CurrentUser user, @RequestParam(required = false) Outbox.Status status,
			@RequestParam(defaultValue = "100") int limit) {
		return this.outbox.recent(user, status, limit)
			.stream()
			.map(e -> new Message(e.id(), e.phoneMasked(), e.template(), e.body(), e.status(),
					this.pages.text("outbox.status." + e.status()), e.attempts(), e.createdAt(), e.nextAttemptAt(),
					e.sentAt(), e.deliveredAt(), e.lastError()))
			.toList();
	}

}
