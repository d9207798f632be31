package org.fangxian.platform.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.servlet.filter.OrderedRequestContextFilter;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Spring's {@code RequestContextFilter}, but the request's locale is read from its
 * {@code Accept-Language} only when something asks for it before the
 * {@code DispatcherServlet} replaces it with the {@code LocaleResolver}'s (which never
 * reads the header): Tomcat's parsing of the header on every request was 2.4 % of a gate
 * scan's request CPU (issue 17's profile). Whoever asks gets the same locale, at the same
 * place in the chain.
 */
class LazyLocaleRequestContextFilter extends OrderedRequestContextFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ServletRequestAttributes attributes = new ServletRequestAttributes(request, response);
		LocaleContextHolder.setLocaleContext(request::getLocale);
		RequestContextHolder.setRequestAttributes(attributes);
		try {
			chain.doFilter(request, response);
		}
		finally {
			LocaleContextHolder.resetLocaleContext();
			RequestContextHolder.resetRequestAttributes();
			attributes.requestCompleted();
		}
	}

}
