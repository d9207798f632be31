package org.fangxian.checkpoint.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Overload protection of the gate's scan API: at most {@code permits} scans are worked on
 * at once; one that finds no room within {@code wait} is answered 503 with
 * {@code Retry-After} at once, instead of joining a queue that grows until every answer
 * is late. The gate page keeps such a scan on the phone and sends it later; an
 * idempotency key makes the resend safe. It runs before the security filters, so a
 * refused scan costs no session or token look-up. Only the scan path is limited: pages
 * and other APIs keep working while the gates are busy.
 */
@Configuration(proxyBeanMethods = false)
class ScanAdmission {

	@Bean
	FilterRegistrationBean<Limit> scanAdmissionFilter(@Value("${fangxian.checkpoint.scan-concurrency:16}") int permits,
			@Value("${fangxian.checkpoint.scan-wait-ms:10}") long waitMillis,
			@Value("${fangxian.checkpoint.scan-retry-after-seconds:2}") int retryAfterSeconds) {
		FilterRegistrationBean<Limit> registration = new FilterRegistrationBean<>(
				new Limit(permits, waitMillis, retryAfterSeconds));
		registration.addUrlPatterns("/api/v1/checkpoints/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		registration.setName("scanAdmission");
		return registration;
	}

	/**
	 * The limit itself: a semaphore tried for a few milliseconds, never waited on for
	 * long.
	 */
	static final class Limit extends OncePerRequestFilter {

		private static final Pattern SCANS = Pattern.compile("^/api/v1/checkpoints/[^/]+/scans/?$");

		private volatile Semaphore permits;

		private volatile long waitMillis;

		private final int retryAfterSeconds;

		Limit(int permits, long waitMillis, int retryAfterSeconds) {
			if (permits < 1 || waitMillis < 0 || retryAfterSeconds < 1) {
				throw new IllegalArgumentException("scan admission: permits >= 1, wait >= 0, retry-after >= 1");
			}
			this.permits = new Semaphore(permits);
			this.waitMillis = waitMillis;
			this.retryAfterSeconds = retryAfterSeconds;
		}

		/**
		 * A new limit from now on (tests drive it low; requests holding an old permit
		 * return it to the old semaphore).
		 */
		void resize(int permits, long waitMillis) {
			this.permits = new Semaphore(permits);
			this.waitMillis = waitMillis;
		}

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !"POST".equals(request.getMethod())
					|| !SCANS.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Semaphore held = this.permits;
			boolean admitted;
			try {
				admitted = held.tryAcquire(this.waitMillis, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				admitted = false;
			}
			if (!admitted) {
				refuse(response);
				return;
			}
			try {
				chain.doFilter(request, response);
			}
			finally {
				held.release();
			}
		}

		private void refuse(HttpServletResponse response) throws IOException {
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader("Retry-After", Integer.toString(this.retryAfterSeconds));
			response.setHeader("Cache-Control", "no-store");
			response.setContentType("application/problem+json");
			byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
					+ "\"code\":\"gate.busy\",\"detail\":\"Too many scans at once: send again after "
					+ this.retryAfterSeconds + " s\",\"errors\":[]}")
				.getBytes(StandardCharsets.UTF_8);
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
		}

	}

}
