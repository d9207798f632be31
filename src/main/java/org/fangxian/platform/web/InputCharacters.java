package org.fangxian.platform.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses text no field can hold, before any controller sees it: a NUL character
 * (PostgreSQL cannot store it) or half of a surrogate pair (not a character at all), in
 * the query string, a form or a JSON body. One guard for every endpoint, so a stray
 * {@code %00} or {@code "\ud800"} is a 400 with a problem body (the API) or the error
 * page (the pages), never a 500 from deep inside.
 *
 * <p>
 * Runs after the character-encoding filter and before security, so the sign-in form is
 * covered too.
 */
@Component
@Order(-200)
class InputCharacters extends OncePerRequestFilter {

	/**
	 * JSON bodies larger than this are files in disguise; they are left to the size
	 * limits elsewhere.
	 */
	private static final int MAX_JSON = 2 * 1024 * 1024;

	/**
	 * A cheap first look at a JSON body: an escaped NUL or surrogate, which the slow
	 * check then confirms.
	 */
	private static final Pattern SUSPECT_ESCAPE = Pattern.compile("\\\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})");

	private final MessageSource messages;

	InputCharacters(MessageSource messages) {
		this.messages = messages;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
		boolean multipart = contentType.startsWith("multipart/");
		// A multipart body is a file: its parts are parsed (and bounded) by the upload
		// handling, not here.
		if (bad(request.getQueryString() == null ? null : decodedQuery(request))
				|| (!multipart && badParameters(request.getParameterMap()))) {
			refuse(request, response);
			return;
		}
		if (contentType.contains("json") && request.getContentLengthLong() <= MAX_JSON) {
			IdempotencyFilter.BufferedBody body = new IdempotencyFilter.BufferedBody(request);
			if (badJson(body.getInputStream().readAllBytes())) {
				refuse(request, response);
				return;
			}
			chain.doFilter(body, response);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * The parameters as the application will see them (the query string is among them for
	 * GETs too).
	 */
	private static boolean badParameters(Map<String, String[]> parameters) {
		for (Map.Entry<String, String[]> entry : parameters.entrySet()) {
			if (bad(entry.getKey())) {
				return true;
			}
			for (String value : entry.getValue()) {
				if (bad(value)) {
					return true;
				}
			}
		}
		return false;
	}

	private static String decodedQuery(HttpServletRequest request) {
		try {
			return java.net.URLDecoder.decode(request.getQueryString(), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// A broken %-escape: Tomcat drops such parameters itself; nothing reaches the
			// application.
			return null;
		}
	}

	static boolean badJson(byte[] json) {
		for (byte b : json) {
			if (b == 0) {
				return true;
			}
		}
		if (!SUSPECT_ESCAPE.matcher(new String(json, StandardCharsets.UTF_8)).find()) {
			return false;
		}
		try {
			return bad(JsonMapper.shared().readTree(json));
		}
		catch (JacksonException ex) {
			// Not JSON: the controller answers that.
			return false;
		}
	}

	private static boolean bad(JsonNode node) {
		if (node.isString()) {
			return bad(node.asString());
		}
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			if (bad(field.getKey()) || bad(field.getValue())) {
				return true;
			}
		}
		if (node.isArray()) {
			for (JsonNode item : node) {
				if (bad(item)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * A NUL, or a high surrogate without its low half (or a low one without its high
	 * half).
	 */
	static boolean bad(String text) {
		if (text == null) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == 0) {
				return true;
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return true;
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return true;
			}
		}
		return false;
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (ErrorPages.wantsProblem(request)) {
			String detail = this.messages.getMessage("error.badCharacters", null, "error.badCharacters",
					LocaleContextHolder.getLocale());
			ErrorPages.writeProblem(response, 400, "error.badCharacters", detail, "input");
		}
		else {
			request.setAttribute(ErrorPages.MESSAGE_KEY, "error.badCharacters");
			response.sendError(400);
		}
	}

}
