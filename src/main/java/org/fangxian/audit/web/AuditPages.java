package org.fangxian.audit.web;

import java.util.List;

import org.fangxian.audit.internal.AuditLog;
import org.fangxian.audit.internal.AuditTexts;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit trail, for HQ administrators only; as a page and as JSON. */
@Controller
class AuditPages {

	private final AuditLog log;

	private final AuditTexts texts;

	AuditPages(AuditLog log, AuditTexts texts) {
		this.log = log;
		this.texts = texts;
	}

	@GetMapping("/audit")
	String page(CurrentUser user, @RequestParam(required = false) String actor,
			@RequestParam(required = false) String action, @RequestParam(required = false) Long before, Model model) {
		List<AuditLog.Entry> entries = entries(user, actor, action, before);
		model.addAttribute("entries", entries);
		model.addAttribute("texts", this.texts);
		model.addAttribute("actor", actor);
		model.addAttribute("action", action);
		model.addAttribute("next", entries.size() == 100 ? entries.get(99).id() : null);
		return "audit/log";
	}

	List<AuditLog.Entry> entries(CurrentUser user, String actor, String action, Long before) {
		user.require(Permission.VIEW_AUDIT);
		// A district HQ sees the trail of its own district, not of the whole
		// installation.
		String scope = "/".equals(user.scopePath()) ? null : user.scopePattern();
		return this.log.latest(scope, blankToNull(actor), blankToNull(action), before, 100);
	}

	@org.springframework.web.bind.annotation.RestController
	static class AuditApi {

		private final AuditPages pages;

		AuditApi(AuditPages pages) {
			this.pages = pages;
		}

		@GetMapping("/api/v1/audit")
		List<AuditLog.Entry> entries(CurrentUser user, @RequestParam(required = false) String actor,
				@RequestParam(required = false) String action, @RequestParam(required = false) Long before) {
			return this.pages.entries(user, actor, action, before);
		}

	}

	private static String blankToNull(String text) {
		return text == null || text.isBlank() ? null : text.trim();
	}

}
