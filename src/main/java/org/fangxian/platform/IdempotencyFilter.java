package org.fangxian.platform;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes any API write safe to retry: a POST/PUT/PATCH/DELETE under {@code /api/} carrying an
 * {@code Idempotency-Key} header runs once per signed-in account and key; a retry gets the first
 * answer back (with {@code Idempotency-Replayed: true}) and changes nothing. The same key with a
 * different body is refused (422); a retry while the first call still runs gets 409.
 */
@Component
class IdempotencyFilter extends OncePerRequestFilter {

	static final String HEADER = "Idempotency-Key";

	static final Duration KEEP = Duration.ofDays(2);

	private final JdbcClient jdbc;

	private final Clock clock;

	IdempotencyFilter(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	record Stored(byte[] requestHash, Integer status, String contentType, byte[] body) {
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String method = request.getMethod();
		return request.getHeader(HEADER) == null || !request.getRequestURI().startsWith("/api/")
				|| !(method.equals("POST") || method.equals("PUT") || method.equals("PATCH") || method.equals("DELETE"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String key = request.getHeader(HEADER).trim();
		if (authentication == null || !authentication.isAuthenticated() || key.isEmpty() || key.length() > 100) {
			chain.doFilter(request, response);
			return;
		}
		String principal = authentication.getName();
		HttpServletRequest forward = request;
		String identity = request.getMethod() + " " + request.getRequestURI() + "?" + request.getQueryString();
		String contentType = request.getContentType() == null ? "" : request.getContentType();
		if (contentType.startsWith("multipart/")) {
			// Uploads are parsed by the container; their size stands in for their content.
			identity += " " + request.getContentLengthLong();
		}
		else {
			BufferedBody buffered = new BufferedBody(request);
			identity += " " + java.util.HexFormat.of().formatHex(hash(buffered.body));
			forward = buffered;
		}
		byte[] requestHash = hash(identity);
		Optional<Stored> previous = find(principal, key);
		if (previous.isPresent()) {
			replay(previous.get(), requestHash, response);
			return;
		}
		try {
			this.jdbc.sql("insert into idempotent_request (principal, key, request_hash) values (:p, :k, :h)")
				.param("p", principal)
				.param("k", key)
				.param("h", requestHash)
				.update();
		}
		catch (DuplicateKeyException raced) {
			replay(find(principal, key).orElseThrow(), requestHash, response);
			return;
		}
		ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
		boolean stored = false;
		try {
			chain.doFilter(forward, wrapper);
			if (wrapper.getStatus() < 500) {
				this.jdbc.sql("""
						update idempotent_request set status = :s, content_type = :t, body = :b
						where principal = :p and key = :k""")
					.param("s", wrapper.getStatus())
					.param("t", wrapper.getContentType())
					.param("b", wrapper.getContentAsByteArray())
					.param("p", principal)
					.param("k", key)
					.update();
				stored = true;
			}
		}
		finally {
			if (!stored) {
				// A failed call may be retried for real.
				this.jdbc.sql("delete from idempotent_request where principal = :p and key = :k")
					.param("p", principal)
					.param("k", key)
					.update();
			}
			wrapper.copyBodyToResponse();
		}
	}

	private Optional<Stored> find(String principal, String key) {
		return this.jdbc.sql("select request_hash, status, content_type, body from idempotent_request where principal = :p and key = :k")
			.param("p", principal)
			.param("k", key)
			.query(Stored.class)
			.optional();
	}

	private void replay(Stored stored, byte[] requestHash, HttpServletResponse response) throws IOException {
		if (!Arrays.equals(stored.requestHash(), requestHash)) {
			problem(response, 422, "idempotency.mismatch", "This Idempotency-Key was used for a different request.");
			return;
		}
		if (stored.status() == null) {
			problem(response, 409, "idempotency.inProgress", "The first request with this Idempotency-Key is still running.");
			return;
		}
		response.setStatus(stored.status());
		if (stored.contentType() != null) {
			response.setContentType(stored.contentType());
		}
		response.setHeader("Idempotency-Replayed", "true");
		if (stored.body() != null) {
			response.getOutputStream().write(stored.body());
		}
	}

	private static void problem(HttpServletResponse response, int status, String code, String detail) throws IOException {
		response.setStatus(status);
		response.setContentType("application/problem+json");
		response.getOutputStream().write(("{\"type\":\"about:blank\",\"status\":" + status + ",\"code\":\"" + code
				+ "\",\"detail\":\"" + detail + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** The request body read once, so it can be hashed and still handed on. */
	static final class BufferedBody extends jakarta.servlet.http.HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBody(HttpServletRequest request) throws IOException {
			super(request);
			this.body = request.getInputStream().readNBytes(10 * 1024 * 1024);
		}

		@Override
		public jakarta.servlet.ServletInputStream getInputStream() {
			java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(this.body);
			return new jakarta.servlet.ServletInputStream() {
				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(jakarta.servlet.ReadListener listener) {
					throw new UnsupportedOperationException();
				}
			};
		}

		@Override
		public java.io.BufferedReader getReader() {
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
					java.nio.charset.Charset.forName(getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding())));
		}

	}

	private static byte[] hash(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] hash(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Scheduled(fixedDelay = 3_600_000, initialDelay = 120_000)
	void forgetOldAnswers() {
		this.jdbc.sql("delete from idempotent_request where created_at < :before")
			.param("before", Timestamp.from(this.clock.instant().minus(KEEP)))
			.update();
	}

}
