package org.fangxian.platform.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Finds the controller method of a path with a variable
 * ({@code /api/v1/checkpoints/{id}/scans}) without testing each of the application's few
 * hundred mappings in full. Spring MVC finds such a path by asking every mapping whether
 * it matches, its HTTP method first (through a dozen request wrappers), then its
 * patterns: a third of a gate scan's CPU in the profile (docs/benchmarks.md, issue 17).
 * Here only the mappings one of whose patterns' literal start (the text before its first
 * variable or wildcard) the path has are tested, in full: no other can match. When
 * exactly one of them matches it is the answer, as it would be Spring's; when none or
 * several do, Spring's own lookup answers (the best of several, 404/405/415), as it does
 * for CORS pre-flights and for a path with an escaped character ({@code %xx}, matched
 * decoded). {@code fangxian.web.prefixed-handler-lookup=false} switches it off (A/B).
 */
class PrefixedHandlerLookup extends RequestMappingHandlerMapping {

	private static final String[] ANY = new String[0];

	/** A mapping, its controller method and the literal starts of its patterns. */
	private record Entry(RequestMappingInfo info, HandlerMethod handler, String[] prefixes) {

		boolean couldMatch(String path) {
			if (this.prefixes == ANY) {
				return true;
			}
			for (String prefix : this.prefixes) {
				if (path.startsWith(prefix)) {
					return true;
				}
			}
			return false;
		}

	}

	/**
	 * Every mapping, built on first use and again after a mapping is added or removed.
	 */
	private volatile Entry[] entries;

	/**
	 * The one mapping that matches among those the path has the literal start of, or
	 * Spring's full lookup when none or several do (it picks the best of several and
	 * answers 404/405/415 as before), for CORS pre-flights, and for a path with an
	 * escaped character.
	 */
	@Override
	protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
		if (lookupPath.indexOf('%') >= 0 || getPatternParser() == null || !getPatternParser().isCaseSensitive()
				|| CorsUtils.isPreFlightRequest(request)) {
			return super.lookupHandlerMethod(lookupPath, request);
		}
		Entry[] all = this.entries;
		if (all == null) {
			all = index();
		}
		RequestMappingInfo matched = null;
		HandlerMethod handler = null;
		for (Entry entry : all) {
			if (entry.couldMatch(lookupPath)) {
				RequestMappingInfo match = getMatchingMapping(entry.info(), request);
				if (match != null) {
					if (matched != null) {
						return super.lookupHandlerMethod(lookupPath, request);
					}
					matched = match;
					handler = entry.handler();
				}
			}
		}
		if (matched == null) {
			return super.lookupHandlerMethod(lookupPath, request);
		}
		// What Spring does with its one match.
		request.setAttribute(BEST_MATCHING_HANDLER_ATTRIBUTE, handler);
		handleMatch(matched, lookupPath, request);
		return handler;
	}

	/** Spring's lookup without the shortcut, for the test that compares the two. */
	HandlerMethod lookupInFull(String lookupPath, HttpServletRequest request) throws Exception {
		return super.lookupHandlerMethod(lookupPath, request);
	}

	private Entry[] index() {
		Entry[] all = getHandlerMethods().entrySet()
			.stream()
			.map(e -> new Entry(e.getKey(), e.getValue(), prefixes(e.getKey())))
			.toArray(Entry[]::new);
		this.entries = all;
		return all;
	}

	@Override
	protected void registerHandlerMethod(Object handler, java.lang.reflect.Method method, RequestMappingInfo mapping) {
		super.registerHandlerMethod(handler, method, mapping);
		this.entries = null;
	}

	@Override
	public void registerMapping(RequestMappingInfo mapping, Object handler, java.lang.reflect.Method method) {
		super.registerMapping(mapping, handler, method);
		this.entries = null;
	}

	@Override
	public void unregisterMapping(RequestMappingInfo mapping) {
		super.unregisterMapping(mapping);
		this.entries = null;
	}

	/**
	 * The text each of a mapping's patterns starts with before its first variable or
	 * wildcard; {@link #ANY} when a pattern starts with one (or has no pattern).
	 */
	static String[] prefixes(RequestMappingInfo info) {
		PathPatternsRequestCondition condition = info.getPathPatternsCondition();
		if (condition == null || condition.getPatterns().isEmpty()) {
			return ANY;
		}
		List<String> literal = new ArrayList<>();
		for (PathPattern pattern : condition.getPatterns()) {
			String prefix = literalPrefix(pattern.getPatternString());
			if (prefix.isEmpty()) {
				return ANY;
			}
			literal.add(prefix);
		}
		return literal.toArray(String[]::new);
	}

	static String literalPrefix(String pattern) {
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			if (c == '{' || c == '*' || c == '?') {
				return pattern.substring(0, i);
			}
		}
		return pattern;
	}

	/** Spring Boot's hook for the application's own request mapping. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "fangxian.web.prefixed-handler-lookup", havingValue = "true", matchIfMissing = true)
	static class Registration {

		@Bean
		WebMvcRegistrations prefixedHandlerLookup() {
			return new WebMvcRegistrations() {

				@Override
				public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
					return new PrefixedHandlerLookup();
				}

			};
		}

	}

}
