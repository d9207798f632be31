package org.fangxian.reporting.web;

import java.time.Duration;

import jakarta.servlet.http.HttpServletResponse;

import org.fangxian.reporting.internal.Notices;
import org.fangxian.security.CurrentUser;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The public notices page of a district or street (no sign-in, cacheable) and the HQ's
 * editor for it.
 */
@Controller
class NoticePages {

	/**
	 * Shared caches may keep the page a minute: seals and queues change by the minute,
	 * not the second.
	 */
	static final CacheControl PUBLIC = CacheControl.maxAge(Duration.ofSeconds(60)).cachePublic();

	private final Notices notices;

	NoticePages(Notices notices) {
		this.notices = notices;
	}

	@GetMapping("/notices/{code}")
	String board(@PathVariable String code, Model model, HttpServletResponse response) {
		model.addAttribute("board", this.notices.board(code));
		response.setHeader(HttpHeaders.CACHE_CONTROL, PUBLIC.getHeaderValue());
		return "reporting/notices";
	}

	@GetMapping("/notices/{code}/edit")
	String edit(CurrentUser user, @PathVariable String code, Model model) {
		model.addAttribute("text", this.notices.draft(user, code));
		model.addAttribute("code", code);
		return "reporting/notice-edit";
	}

	@PostMapping("/notices/{code}/edit")
	String save(CurrentUser user, @PathVariable String code, @RequestParam(defaultValue = "") String hotlines,
			@RequestParam(defaultValue = "") String body, @RequestParam(defaultValue = "false") boolean publish) {
		this.notices.save(user, code, hotlines, body, publish);
		return "redirect:/notices/" + code;
	}

}
