package org.fangxian.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
 * Here a mapping is first asked whether the path starts with the literal text of one of
 * its patterns (the text before the first variable or wildcard), a test no request can
 * pass without that literal; only the few mappings that pass are tested as before, so the
 * choice among them, the 404/405/415 answers and CORS stay Spring's own. A path with an
 * escaped character ({@code %xx}, matched decoded) is looked up the usual way.
 * {@code fangxian.web.prefixed-handler-lookup=false} switches it off (A/B).
 */
class PrefixedHandlerLookup extends RequestMappingHandlerMapping {

	/** The path being looked up on this thread, while Spring tries the mappings. */
	private static final ThreadLocal<String> PATH = new ThreadLocal<>();

	private static final String[] ANY = new String[0];

	/**
	 * Each mapping's literal prefixes, or {@link #ANY} when one of its patterns has none.
	 */
	private final Map<RequestMappingInfo, String[]> prefixes = new ConcurrentHashMap<>();

	@Override
	protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
		if (lookupPath.indexOf('%') >= 0 || getPatternParser() == null || !getPatternParser().isCaseSensitive()) {
			return super.lookupHandlerMethod(lookupPath, request);
		}
		String outer = PATH.get();
		PATH.set(lookupPath);
		try {
			return super.lookupHandlerMethod(lookupPath, request);
		}
		finally {
			if (outer == null) {
				PATH.remove();
			}
			else {
				PATH.set(outer);
			}
		}
	}

	/** Spring's lookup without the shortcut, for the test that compares the two. */
	HandlerMethod lookupInFull(String lookupPath, HttpServletRequest request) throws Exception {
		return super.lookupHandlerMethod(lookupPath, request);
	}

	@Override
	protected RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request) {
		String path = PATH.get();
		if (path != null && !couldMatch(info, path)) {
			return null;
		}
		return super.getMatchingMapping(info, request);
	}

	private boolean couldMatch(RequestMappingInfo info, String path) {
		String[] literal = this.prefixes.get(info);
		if (literal == null) {
			literal = prefixes(info);
			this.prefixes.put(info, literal);
		}
		if (literal == ANY) {
			return true;
		}
		for (String prefix : literal) {
			if (path.startsWith(prefix)) {
				return true;
			}
		}
		return false;
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
