package org.fangxian.platform.web;

import jakarta.servlet.http.HttpServletResponse;

import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.web.PageMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Errors on pages: a plain sentence in the user's language and a way home, never a stack
 * trace.
 */
@ControllerAdvice(annotations = Controller.class)
@Order(Ordered.LOWEST_PRECEDENCE)
class WebErrors {

	private static final Logger log = LoggerFactory.getLogger(WebErrors.class);

	private final PageMessages pages;

	WebErrors(PageMessages pages) {
		this.pages = pages;
	}

	private String page(Model model, HttpServletResponse response, int status, String key, Object... args) {
		response.setStatus(status);
		model.addAttribute("message", this.pages.text(key, args));
		// An exception handler's model misses what the page advices add: the navigation
		// needs the user.
		org.fangxian.security.CurrentUser.signedIn().ifPresent(me -> model.addAttribute("me", me));
		return "error";
	}

	@ExceptionHandler(NotFound.class)
	String notFound(NotFound ex, Model model, HttpServletResponse response) {
		return page(model, response, 404, ex.messageKey());
	}

	@ExceptionHandler(InvalidInput.class)
	String invalid(InvalidInput ex, Model model, HttpServletResponse response) {
		return page(model, response, 400, ex.messageKey(), ex.args());
	}

	@ExceptionHandler(AccessDeniedException.class)
	String denied(AccessDeniedException ex, Model model, HttpServletResponse response) {
		String key = ex instanceof org.fangxian.security.CurrentUser.OutsideJurisdictionException
				? "error.outsideJurisdiction" : "error.forbidden";
		return page(model, response, 403, key);
	}

	@ExceptionHandler(Exception.class)
	String unexpected(Exception ex, Model model, HttpServletResponse response) {
		BadInput bad = BadInput.of(ex);
		if (bad != null) {
			return page(model, response, 400, bad.key(), bad.args());
		}
		if (ex instanceof org.springframework.web.servlet.resource.NoResourceFoundException
				|| ex instanceof org.springframework.web.servlet.NoHandlerFoundException) {
			return page(model, response, 404, "error.notFound");
		}
		if (ex instanceof org.springframework.web.ErrorResponse known) {
			int status = known.getStatusCode().value();
			return page(model, response, status, status == 404 ? "error.notFound" : "error.badRequest");
		}
		log.error("Unexpected error on a page", ex);
		return page(model, response, 500, "error.unexpected");
	}

}
