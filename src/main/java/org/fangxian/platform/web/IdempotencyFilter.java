package org.fangxian.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import org.fangxian.audit.AuditEvent;
import org.fangxian.security.PersonalDataProtection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes any API write safe to retry: a POST/PUT/PATCH/DELETE under {@code /api/} carrying
 * an {@code Idempotency-Key} header runs once per signed-in account and key; a retry gets
 * the first answer back (with {@code Idempotency-Replayed: true}) and changes nothing.
 * The same key with a different request (method, path, query, and the body's SHA-256, for
 * uploads over every part's name, file name and content) is refused (422
 * {@code idempotency.mismatch}); a retry while the first call still runs gets 409
 * {@code idempotency.inProgress}.
 *
 * <p>
 * Stored answers are encrypted with {@link PersonalDataProtection}: they may hold
 * personal data. A call that revealed personal data (it published an audit event whose
 * action ends in {@code _REVEALED}) is not stored at all: its retry runs again, so the
 * reveal is checked against the caller's permission of the moment and audited again, like
 * the first. A reveal changes nothing but the audit trail, so running it twice is what a
 * retry should do, and no copy of the number waits in a cache for two days. A call in
 * progress holds its key through a lease ({@code fangxian.idempotency.lease}, 60 s),
 * renewed while it runs; a crash leaves a lease that soon ends, and the retry runs. A key
 * whose call failed while the database was away (its release could not be written) is
 * held by this process but run by none of its threads: this process takes it at once on
 * the retry, other nodes when the lease ends.
 */
@Component
class IdempotencyFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

	static final String HEADER = "Idempotency-Key";

	static final Duration KEEP = Duration.ofDays(2);

	/** How long a running call holds its key without renewal (another node's view). */
	private final Duration lease;

	/** Request attribute set when the call revealed personal data. */
	static final String REVEALED = IdempotencyFilter.class.getName() + ".revealed";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final PersonalDataProtection protection;

	private final MessageSource messages;

	private final LocaleResolver locales;

	/** This process, as the holder of the leases it takes. */
	private final String owner = UUID.randomUUID().toString();

	/**
	 * principal + "\n" + key of the calls this process is running, whose leases it
	 * renews.
	 */
	private final Set<String> running = ConcurrentHashMap.newKeySet();

	IdempotencyFilter(JdbcClient jdbc, Clock clock, PersonalDataProtection protection, MessageSource messages,
			LocaleResolver locales, @Value("${fangxian.idempotency.lease:60s}") Duration lease) {
		this.lease = lease;
		this.jdbc = jdbc;
		this.clock = clock;
		this.protection = protection;
		this.messages = messages;
		this.locales = locales;
	}

	record Stored(byte[] requestHash, Integer status, String contentType, byte[] body, boolean reexecute,
			Timestamp leaseUntil, String owner) {
	}

	private enum Claim {

		/** This call holds the key now: run it and store its answer. */
		RUN,
		/** Answered already (a replay or a refusal). */
		ANSWERED,
		/**
		 * The first answer revealed personal data and was not kept: run again without
		 * storing.
		 */
		RUN_AGAIN

	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String method = request.getMethod();
		return request.getHeader(HEADER) == null || !request.getRequestURI().startsWith("/api/")
				|| !(method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
						|| method.equals("DELETE"));
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
			Optional<String> parts = partsHash(request);
			if (parts.isEmpty()) {
				// Unparseable: the handler answers the same 4xx to every try, nothing to
				// protect.
				chain.doFilter(request, response);
				return;
			}
			identity += " " + parts.get();
		}
		else {
			BufferedBody buffered = new BufferedBody(request);
			identity += " " + java.util.HexFormat.of().formatHex(hash(buffered.body));
			forward = buffered;
		}
		byte[] requestHash = hash(identity);
		Claim claim = claim(principal, key, requestHash, request, response);
		if (claim == Claim.ANSWERED) {
			return;
		}
		if (claim == Claim.RUN_AGAIN) {
			chain.doFilter(forward, response);
			return;
		}
		// claim() put the call among this process's running ones
		String id = principal + "\n" + key;
		ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
		boolean stored = false;
		try {
			chain.doFilter(forward, wrapper);
			if (wrapper.getStatus() < 500) {
				if (Boolean.TRUE.equals(request.getAttribute(REVEALED))) {
					this.jdbc.sql("""
							update idempotent_request set status = :s, reexecute = true, lease_until = null
							where principal = :p and key = :k""")
						.param("s", wrapper.getStatus())
						.param("p", principal)
						.param("k", key)
						.update();
				}
				else {
					byte[] body = wrapper.getContentAsByteArray();
					this.jdbc.sql("""
							update idempotent_request set status = :s, content_type = :t, body = :b, lease_until = null
							where principal = :p and key = :k""")
						.param("s", wrapper.getStatus())
						.param("t", wrapper.getContentType())
						.param("b", this.protection.encrypt(Base64.getEncoder().encodeToString(body)))
						.param("p", principal)
						.param("k", key)
						.update();
				}
				stored = true;
			}
		}
		finally {
			this.running.remove(id);
			if (!stored) {
				// A failed call may be retried for real.
				try {
					this.jdbc.sql(
							"delete from idempotent_request where principal = :p and key = :k and owner = :o and status is null")
						.param("p", principal)
						.param("k", key)
						.param("o", this.owner)
						.update();
				}
				catch (DataAccessException unreachable) {
					// The database is away (the likely reason the call failed): the key
					// stays held by this process, which takes it on the retry (claim).
					log.info("Idempotency key kept until the retry: {}", unreachable.getClass().getSimpleName());
				}
			}
			wrapper.copyBodyToResponse();
		}
	}

	/** Takes the key for this call, or answers from what the key already holds. */
	private Claim claim(String principal, String key, byte[] requestHash, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		String id = principal + "\n" + key;
		for (int attempt = 0; attempt < 3; attempt++) {
			Optional<Stored> previous = find(principal, key);
			Instant now = this.clock.instant();
			if (previous.isEmpty()) {
				if (!this.running.add(id)) {
					break;
				}
				try {
					this.jdbc.sql("""
							insert into idempotent_request (principal, key, request_hash, lease_until, owner)
							values (:p, :k, :h, :lease, :o)""")
						.param("p", principal)
						.param("k", key)
						.param("h", requestHash)
						.param("lease", Timestamp.from(now.plus(this.lease)))
						.param("o", this.owner)
						.update();
					return Claim.RUN;
				}
				catch (DuplicateKeyException raced) {
					this.running.remove(id);
					continue;
				}
				catch (RuntimeException ex) {
					this.running.remove(id);
					throw ex;
				}
			}
			Stored stored = previous.get();
			if (!Arrays.equals(stored.requestHash(), requestHash)) {
				problem(request, response, 422, "idempotency.mismatch");
				return Claim.ANSWERED;
			}
			if (stored.status() != null) {
				if (stored.reexecute()) {
					return Claim.RUN_AGAIN;
				}
				replay(stored, response);
				return Claim.ANSWERED;
			}
			boolean expired = stored.leaseUntil() == null || stored.leaseUntil().toInstant().isBefore(now);
			// Held by this process and run by none of its threads: its call failed and
			// the release could not be written (the database was away).
			boolean ours = this.owner.equals(stored.owner());
			if (!(expired || ours) || !this.running.add(id)) {
				break;
			}
			// The call that held the key stopped renewing its lease (its process died),
			// or it was ours and ended: this try runs it.
			int taken;
			try {
				taken = this.jdbc.sql("""
						update idempotent_request set lease_until = :lease, owner = :o
						where principal = :p and key = :k and status is null
						  and (lease_until is null or lease_until < :now or owner = :o)""")
					.param("lease", Timestamp.from(now.plus(this.lease)))
					.param("o", this.owner)
					.param("p", principal)
					.param("k", key)
					.param("now", Timestamp.from(now))
					.update();
			}
			catch (RuntimeException ex) {
				this.running.remove(id);
				throw ex;
			}
			if (taken == 1) {
				return Claim.RUN;
			}
			this.running.remove(id);
		}
		problem(request, response, 409, "idempotency.inProgress");
		return Claim.ANSWERED;
	}

	/**
	 * Calls this process runs keep their keys: their leases are renewed well before they
	 * end.
	 */
	@Scheduled(fixedDelayString = "${fangxian.idempotency.renew-ms:15000}",
			initialDelayString = "${fangxian.idempotency.renew-ms:15000}")
	void renewLeases() {
		for (String id : this.running) {
			int split = id.indexOf('\n');
			this.jdbc.sql("""
					update idempotent_request set lease_until = :lease
					where principal = :p and key = :k and owner = :o and status is null""")
				.param("lease", Timestamp.from(this.clock.instant().plus(this.lease)))
				.param("p", id.substring(0, split))
				.param("k", id.substring(split + 1))
				.param("o", this.owner)
				.update();
		}
	}

	/**
	 * Marks the current request when it reveals personal data. Every reveal is audited in
	 * the caller's transaction with an action ending in {@code _REVEALED}
	 * (RESIDENT_REVEALED, RETURNEE_REPORT_REVEALED...), so that event is the one signal
	 * all of them share.
	 */
	@EventListener
	void onAudit(AuditEvent event) {
		if (event.action() != null && event.action().endsWith("_REVEALED")) {
			RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
			if (attributes != null) {
				attributes.setAttribute(REVEALED, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
			}
		}
	}

	/**
	 * What identifies an upload: each part's name, file name, type and the SHA-256 of its
	 * content, in order; empty if the container cannot parse the parts.
	 */
	private static Optional<String> partsHash(HttpServletRequest request) throws IOException {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			byte[] buffer = new byte[64 * 1024];
			for (Part part : request.getParts()) {
				for (String text : new String[] { part.getName(), part.getSubmittedFileName(),
						part.getContentType() }) {
					digest.update(String.valueOf(text).getBytes(java.nio.charset.StandardCharsets.UTF_8));
					digest.update((byte) 0);
				}
				MessageDigest content = MessageDigest.getInstance("SHA-256");
				try (InputStream in = part.getInputStream()) {
					int read;
					while ((read = in.read(buffer)) > 0) {
						content.update(buffer, 0, read);
					}
				}
				digest.update(content.digest());
			}
			return Optional.of(java.util.HexFormat.of().formatHex(digest.digest()));
		}
		catch (ServletException | IllegalStateException ex) {
			return Optional.empty();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Optional<Stored> find(String principal, String key) {
		return this.jdbc.sql("""
				select request_hash, status, content_type, body, reexecute, lease_until, owner
				from idempotent_request where principal = :p and key = :k""")
			.param("p", principal)
			.param("k", key)
			.query(Stored.class)
			.optional();
	}

	private void replay(Stored stored, HttpServletResponse response) throws IOException {
		response.setStatus(stored.status());
		if (stored.contentType() != null) {
			response.setContentType(stored.contentType());
		}
		response.setHeader("Idempotency-Replayed", "true");
		if (stored.body() != null) {
			response.getOutputStream().write(Base64.getDecoder().decode(this.protection.decrypt(stored.body())));
		}
	}

	/**
	 * A problem in the caller's language (zh-CN by default), as the API's other errors
	 * are.
	 */
	private void problem(HttpServletRequest request, HttpServletResponse response, int status, String code)
			throws IOException {
		String detail = this.messages.getMessage(code, null, code, this.locales.resolveLocale(request));
		response.setStatus(status);
		response.setContentType("application/problem+json;charset=UTF-8");
		response.getOutputStream()
			.write(("{\"type\":\"about:blank\",\"status\":" + status + ",\"code\":\"" + code + "\",\"detail\":\""
					+ detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
				.getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), java.nio.charset.Charset
				.forName(getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding())));
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
