package org.fangxian.platform.web;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Switches the language and goes back to the page the user came from. The locale itself
 * is set by the {@code lang} parameter interceptor; reloading the current address instead
 * would repeat a form submission, or fail on a page that only answers POST.
 */
@Controller
class LanguageSwitch {

	@GetMapping("/language")
	String switchLanguage(HttpServletRequest request) {
		return "redirect:" + safeReturnPath(request.getHeader("Referer"));
	}

	/**
	 * Only a path on this site, so the switch cannot be used to send people elsewhere.
	 */
	static String safeReturnPath(String referer) {
		if (referer == null) {
			return "/";
		}
		try {
			URI uri = URI.create(referer);
			String path = uri.getRawPath();
			if (path == null || !path.startsWith("/") || path.startsWith("//")) {
				return "/";
			}
			String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery().replaceAll("(^|&)lang=[^&]*", "");
			return path + (query.equals("?") ? "" : query);
		}
		catch (IllegalArgumentException ex) {
			return "/";
		}
	}

}
