package org.fangxian.platform.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.fangxian.security.CurrentUser;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.ModelAndView;

/**
 * What answers when no controller did: an unknown address, or a request refused by a
 * filter. A page gets the same Chinese error page as a controller's error (with the
 * navigation, "页面不存在" for an unknown address); the API gets a problem body with a
 * {@code code}.
 */
@Configuration(proxyBeanMethods = false)
class ErrorPages {

	/**
	 * A request attribute naming the message key of an error a filter answered with
	 * {@code sendError}.
	 */
	static final String MESSAGE_KEY = ErrorPages.class.getName() + ".messageKey";

	static boolean wantsProblem(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String accept = request.getHeader("Accept");
		return (uri != null && uri.startsWith("/api/"))
				|| (accept != null && accept.contains("json") && !accept.contains("text/html"));
	}

	static void writeProblem(HttpServletResponse response, int status, String code, String detail, String field)
			throws IOException {
		Map<String, Object> problem = new HashMap<>();
		problem.put("type", "about:blank");
		problem.put("status", status);
		problem.put("code", code);
		problem.put("detail", detail);
		problem.put("errors", List.of(Map.of("field", field, "code", code, "message", detail)));
		response.setStatus(status);
		response.setContentType("application/problem+json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getOutputStream().write(JsonMapper.shared().writeValueAsBytes(problem));
	}

	/**
	 * The message key for a status: the filter's own, or the one the pages use for that
	 * status.
	 */
	static String keyFor(int status, Object filterKey) {
		if (filterKey instanceof String key) {
			return key;
		}
		return switch (status) {
			case 404 -> "error.notFound";
			case 403 -> "error.forbidden";
			case 401 -> "error.forbidden";
			default -> status >= 500 ? "error.unexpected" : "error.badRequest";
		};
	}

	@Bean
	ErrorViewResolver chineseErrorPage(MessageSource messages) {
		return (request, status, model) -> {
			String key = keyFor(status.value(), request.getAttribute(MESSAGE_KEY));
			Map<String, Object> page = new HashMap<>();
			page.put("message", messages.getMessage(key, null, key, LocaleContextHolder.getLocale()));
			CurrentUser.signedIn().ifPresent(me -> page.put("me", me));
			return new ModelAndView("error", page, status);
		};
	}

	/**
	 * The API's answer from the error path: Boot's attributes plus the stable
	 * {@code code} every problem has.
	 */
	@Bean
	DefaultErrorAttributes errorAttributes() {
		return new DefaultErrorAttributes() {

			@Override
			public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
				Map<String, Object> attributes = super.getErrorAttributes(request, options);
				Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE,
						RequestAttributes.SCOPE_REQUEST);
				int code = status instanceof Integer value ? value : HttpStatus.INTERNAL_SERVER_ERROR.value();
				attributes.put("code",
						keyFor(code, request.getAttribute(MESSAGE_KEY, RequestAttributes.SCOPE_REQUEST)));
				attributes.putIfAbsent("errors", List.of());
				return attributes;
			}

		};
	}

}
