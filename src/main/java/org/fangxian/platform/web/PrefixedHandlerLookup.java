package org.fangxian.platform.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

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
	}

	/**
	 * The mappings by literal start, with the lengths those starts have, so a path asks
	 * for its own starts of those lengths (a few dozen hash look-ups) rather than testing
	 * every mapping's start (5 % of a scan's request CPU in the profile of 2026-12-03);
	 * and those that start with a variable, tested always.
	 */
	private record Index(Entry[] always, int[] lengths, Map<String, Entry[]> byPrefix) {

		static Index of(List<Entry> entries) {
			List<Entry> always = new ArrayList<>();
			Map<String, List<Entry>> byPrefix = new HashMap<>();
			for (Entry entry : entries) {
				if (entry.prefixes() == ANY) {
					always.add(entry);
				}
				else {
					for (String prefix : new LinkedHashSet<>(Arrays.asList(entry.prefixes()))) {
						byPrefix.computeIfAbsent(prefix, k -> new ArrayList<>()).add(entry);
					}
				}
			}
			Map<String, Entry[]> frozen = new HashMap<>();
			byPrefix.forEach((prefix, list) -> frozen.put(prefix, list.toArray(Entry[]::new)));
			int[] lengths = byPrefix.keySet().stream().mapToInt(String::length).distinct().sorted().toArray();
			return new Index(always.toArray(Entry[]::new), lengths, frozen);
		}

	}

	/**
	 * Every mapping, built on first use and again after a mapping is added or removed.
	 */
	private volatile Index entries;

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
		Index index = this.entries;
		if (index == null) {
			index = index();
		}
		Match found = new Match();
		for (Entry entry : index.always()) {
			if (!found.test(entry, request)) {
				return super.lookupHandlerMethod(lookupPath, request);
			}
		}
		for (int length : index.lengths()) {
			if (length > lookupPath.length()) {
				break;
			}
			Entry[] candidates = index.byPrefix().get(lookupPath.substring(0, length));
			if (candidates != null) {
				for (Entry entry : candidates) {
					if (!found.test(entry, request)) {
						return super.lookupHandlerMethod(lookupPath, request);
					}
				}
			}
		}
		if (found.info == null) {
			return super.lookupHandlerMethod(lookupPath, request);
		}
		// What Spring does with its one match.
		request.setAttribute(BEST_MATCHING_HANDLER_ATTRIBUTE, found.handler);
		handleMatch(found.info, lookupPath, request);
		return found.handler;
	}

	/** The one match so far; a second mapping that matches too ends the shortcut. */
	private final class Match {

		private Entry entry;

		private RequestMappingInfo info;

		private HandlerMethod handler;

		/**
		 * False when a second mapping matches (a mapping found under two starts is one).
		 */
		boolean test(Entry candidate, HttpServletRequest request) {
			if (candidate == this.entry) {
				return true;
			}
			RequestMappingInfo match = getMatchingMapping(candidate.info(), request);
			if (match == null) {
				return true;
			}
			if (this.entry != null) {
				return false;
			}
			this.entry = candidate;
			this.info = match;
			this.handler = candidate.handler();
			return true;
		}

	}

	/** Spring's lookup without the shortcut, for the test that compares the two. */
	HandlerMethod lookupInFull(String lookupPath, HttpServletRequest request) throws Exception {
		return super.lookupHandlerMethod(lookupPath, request);
	}

	private Index index() {
		Index index = Index.of(getHandlerMethods().entrySet()
			.stream()
			.map(e -> new Entry(e.getKey(), e.getValue(), prefixes(e.getKey())))
			.toList());
		this.entries = index;
		return index;
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
