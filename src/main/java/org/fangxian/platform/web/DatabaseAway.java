package org.fangxian.platform.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;

/**
 * An API call that finds the database away in a filter (the bearer token's look-up, the
 * idempotency key's claim run before any controller, so {@link ApiErrors} never sees it)
 * is answered as the controllers' own failures are: 503 with {@code Retry-After} and
 * {@code code: error.databaseUnavailable}, not the container's 500. Outermost, around the
 * security filters.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseAway {

	private static final Logger log = LoggerFactory.getLogger(DatabaseAway.class);

	@Bean
	FilterRegistrationBean<Answer> databaseAwayFilter(MessageSource messages, LocaleResolver locales) {
		FilterRegistrationBean<Answer> registration = new FilterRegistrationBean<>(new Answer(messages, locales));
		registration.addUrlPatterns("/api/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		registration.setName("databaseAway");
		return registration;
	}

	static final class Answer extends OncePerRequestFilter {

		private final MessageSource messages;

		private final LocaleResolver locales;

		Answer(MessageSource messages, LocaleResolver locales) {
			this.messages = messages;
			this.locales = locales;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			try {
				chain.doFilter(request, response);
			}
			catch (RuntimeException | ServletException ex) {
				if (!ApiErrors.databaseAway(ex) || response.isCommitted()) {
					throw ex;
				}
				log.warn("Database unavailable: {}", ex.getClass().getSimpleName());
				String detail = this.messages.getMessage("error.databaseUnavailable", null, "error.databaseUnavailable",
						this.locales.resolveLocale(request));
				response.resetBuffer();
				response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
				response.setHeader("Retry-After", "2");
				response.setHeader("Cache-Control", "no-store");
				response.setContentType("application/problem+json;charset=UTF-8");
				response.getOutputStream()
					.write(("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
							+ "\"code\":\"error.databaseUnavailable\",\"detail\":\""
							+ detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"errors\":[]}")
						.getBytes(StandardCharsets.UTF_8));
			}
		}

	}

}
