package org.fangxian.platform.internal;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter binds what Spring's RequestContextFilter binds, the request's own locale
 * among it, and unbinds it after the chain.
 */
class LazyLocaleRequestContextFilterTest {

	@Test
	void theChainSeesTheRequestAndItsAcceptLanguageAndNothingIsLeftBoundAfter() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/checkpoints/1/scans");
		request.addHeader("Accept-Language", "en-GB,en;q=0.8");
		request.addPreferredLocale(Locale.UK);
		AtomicReference<Locale> locale = new AtomicReference<>();
		AtomicReference<Object> bound = new AtomicReference<>();
		new LazyLocaleRequestContextFilter().doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			locale.set(LocaleContextHolder.getLocale());
			bound.set(((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest());
		});
		assertThat(locale.get()).isEqualTo(Locale.UK);
		assertThat(bound.get()).isSameAs(request);
		assertThat(LocaleContextHolder.getLocaleContext()).isNull();
		assertThat(RequestContextHolder.getRequestAttributes()).isNull();
	}

}
