package org.fangxian.platform.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.fangxian.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's request mapping is {@link PrefixedHandlerLookup}, and it finds what
 * Spring's full lookup finds: for every mapping of the application, a path made from each
 * of its patterns with each of its HTTP methods and one it does not take, plus paths no
 * mapping has, the same controller method or the same refusal (404, 405, 415).
 */
class PrefixedHandlerLookupTest extends IntegrationTest {

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mapping;

	@Test
	void theApplicationLooksUpByPrefix() {
		assertThat(this.mapping).isInstanceOf(PrefixedHandlerLookup.class);
	}

	@Test
	void findsWhatSpringsFullLookupFindsForEveryMapping() throws Exception {
		PrefixedHandlerLookup lookup = (PrefixedHandlerLookup) this.mapping;
		Set<List<String>> requests = new LinkedHashSet<>();
		for (RequestMappingInfo info : lookup.getHandlerMethods().keySet()) {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			String contentType = info.getConsumesCondition().isEmpty() ? MediaType.APPLICATION_JSON_VALUE
					: info.getConsumesCondition().getConsumableMediaTypes().iterator().next().toString();
			for (PathPattern pattern : info.getPathPatternsCondition().getPatterns()) {
				String path = sample(pattern.getPatternString());
				for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
					requests.add(List.of(method.name(), path, contentType));
				}
				// one method it does not take: 405 from both, or another mapping's
				// handler
				requests.add(List.of(methods.contains(RequestMethod.DELETE) ? "PATCH" : "DELETE", path, contentType));
				requests.add(List.of("POST", path + "/", MediaType.TEXT_PLAIN_VALUE));
			}
		}
		requests.add(List.of("GET", "/no/such/page", MediaType.APPLICATION_JSON_VALUE));
		requests.add(List.of("POST", "/api/v1/no-such-thing/1/scans", MediaType.APPLICATION_JSON_VALUE));
		requests.add(List.of("POST", "/api/v1/check%70oints/7/scans", MediaType.APPLICATION_JSON_VALUE));
		requests.add(List.of("POST", "/api/v1/checkpoints/7/scans", MediaType.TEXT_PLAIN_VALUE));
		requests.add(List.of("GET", "/", MediaType.APPLICATION_JSON_VALUE));

		List<String> different = new ArrayList<>();
		int found = 0;
		for (List<String> request : requests) {
			String fast = outcome(lookup, request, true);
			String full = outcome(lookup, request, false);
			if (!Objects.equals(fast, full)) {
				different.add(request + ": " + fast + " instead of " + full);
			}
			if (!fast.startsWith("exception") && !fast.equals("none")) {
				found++;
			}
		}
		assertThat(different).isEmpty();
		// Most samples reach a controller: the comparison is not between two nothings.
		assertThat(found).isGreaterThan(lookup.getHandlerMethods().size() / 2);
		assertThat(outcome(lookup, List.of("POST", "/api/v1/checkpoints/7/visits", MediaType.APPLICATION_JSON_VALUE),
				true))
			.endsWith("CheckpointApi#visit(CurrentUser, long, VisitRequest)");
	}

	@Test
	void aPatternsLiteralPrefixEndsAtItsFirstVariableOrWildcard() {
		assertThat(PrefixedHandlerLookup.literalPrefix("/api/v1/checkpoints/{checkpointId}/scans"))
			.isEqualTo("/api/v1/checkpoints/");
		assertThat(PrefixedHandlerLookup.literalPrefix("/css/**")).isEqualTo("/css/");
		assertThat(PrefixedHandlerLookup.literalPrefix("/f/?x")).isEqualTo("/f/");
		assertThat(PrefixedHandlerLookup.literalPrefix("/login")).isEqualTo("/login");
		assertThat(PrefixedHandlerLookup.literalPrefix("{*path}")).isEmpty();
	}

	private static String outcome(PrefixedHandlerLookup lookup, List<String> request, boolean fast) {
		MockHttpServletRequest servlet = new MockHttpServletRequest(request.get(0), request.get(1));
		servlet.setContentType(request.get(2));
		servlet.setContent("{}".getBytes());
		ServletRequestPathUtils.parseAndCache(servlet);
		String lookupPath = ServletRequestPathUtils.getParsedRequestPath(servlet).pathWithinApplication().value();
		try {
			HandlerMethod handler = fast ? lookup.lookupHandlerMethod(lookupPath, servlet)
					: lookup.lookupInFull(lookupPath, servlet);
			return handler == null ? "none" : handler.toString();
		}
		catch (Exception ex) {
			return "exception " + ex.getClass().getSimpleName();
		}
	}

	/** A path the pattern matches: variables and wildcards filled with plain values. */
	private static String sample(String pattern) {
		return pattern.replaceAll("\\{\\*[^}]+}", "a/b")
			.replaceAll("\\{[^}]+}", "1")
			.replace("**", "a/b")
			.replace("*", "x")
			.replace("?", "y");
	}

}
