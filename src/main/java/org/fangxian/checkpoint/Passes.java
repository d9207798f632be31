package org.fangxian.checkpoint;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.SignedTokens;
import org.fangxian.shared.NotFound;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Residents' passes (出入证). The QR text is {@code FXP1.<passId>.<expiry>.<signature>}: it
 * names no person, cannot be forged without the server's key (HMAC-SHA256, 128 bits
 * kept), expires, and is revoked by marking its row, so a lost phone or a moved-out
 * resident is shut out at once.
 */
@Service
public class Passes {

	static final String PREFIX = "FXP1";

	/**
	 * A pass id and an expiry in epoch seconds, compiled once rather than on every scan.
	 */
	private static final java.util.regex.Pattern PASS_ID = java.util.regex.Pattern.compile("\\d{1,18}");

	private static final java.util.regex.Pattern EXPIRY = java.util.regex.Pattern.compile("\\d{1,12}");

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	private final ResidentDirectory directory;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Duration validity;

	Passes(JdbcClient jdbc, PersonalDataProtection protection, ResidentDirectory directory,
			ApplicationEventPublisher events, Clock clock, @Value("${fangxian.pass.validity:P90D}") Duration validity) {
		this.jdbc = jdbc;
		this.protection = protection;
		this.directory = directory;
		this.events = events;
		this.clock = clock;
		this.validity = validity;
	}

	/** The pass as shown on a phone or printed on a card. */
	public record Pass(String qr, Instant expiresAt) {
	}

	/** The outcome of reading a QR at the gate. */
	public record PassCheck(boolean valid, Long residentId, String reason) {

		static PassCheck invalid(String reason) {
			return new PassCheck(false, null, reason);
		}

	}

	/**
	 * The resident's live pass, or a new one: a worker opening this person's pass on
	 * purpose, which is how a pass revoked earlier is replaced. Handing it out is
	 * audited.
	 */
	@Transactional
	public Pass current(CurrentUser user, long residentId) {
		ResidentSnapshot resident = resident(user, residentId);
		return liveOrNew(resident.id(), true,
				passId -> AuditEvent.of(user, "PASS_ISSUED", "resident", residentId, "pass " + passId))
			.orElseThrow();
	}

	/**
	 * The resident's live pass, or a new one unless their latest pass was revoked: for
	 * sheets of many cards, where nobody looks at each person, a revocation must not be
	 * undone in passing.
	 */
	@Transactional
	public Optional<Pass> currentUnlessRevoked(CurrentUser user, long residentId) {
		ResidentSnapshot resident = resident(user, residentId);
		return liveOrNew(resident.id(), false,
				passId -> AuditEvent.of(user, "PASS_ISSUED", "resident", residentId, "pass " + passId));
	}

	/**
	 * Who the audit trail names when a pass is handed out through a family link, where
	 * nobody signs in.
	 */
	public static final String FAMILY_LINK_ACTOR = "family link";

	/**
	 * The member's live pass, or a new one, for the family link of their household. The
	 * caller has verified the link and that the resident belongs to that household and
	 * still lives there.
	 */
	@Transactional
	public Optional<Pass> currentForFamily(long householdId, long residentId) {
		// Revocation wins: a member whose pass a worker took back gets no new one through
		// the link.
		return liveOrNew(residentId, false, passId -> new AuditEvent(FAMILY_LINK_ACTOR, null, "PASS_ISSUED", "resident",
				String.valueOf(residentId), "pass " + passId + ", household " + householdId));
	}

	/**
	 * The live pass or a new one. Without {@code replaceRevoked}, a resident whose latest
	 * pass was revoked gets nothing. Serialized per resident with {@link #revoke} so that
	 * a pass cannot be issued between a revocation's read and its commit and so survive
	 * it.
	 */
	private Optional<Pass> liveOrNew(long residentId, boolean replaceRevoked,
			java.util.function.LongFunction<AuditEvent> audit) {
		lockPasses(residentId);
		Instant now = this.clock.instant();
		record Live(long id, Instant expiresAt) {
		}
		Optional<Live> live = this.jdbc
			.sql("""
					select id, expires_at from resident_pass
					where resident_id = :r and revoked_at is null and expires_at > :soon order by expires_at desc limit 1""")
			.param("r", residentId)
			.param("soon", Timestamp.from(now.plus(Duration.ofDays(1))))
			.query((rs, i) -> new Live(rs.getLong(1), rs.getTimestamp(2).toInstant()))
			.optional();
		if (live.isEmpty() && !replaceRevoked && latestRevoked(residentId)) {
			return Optional.empty();
		}
		Live pass = live.orElseGet(() -> {
			Instant expires = now.plus(this.validity).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
			long id = this.jdbc.sql("insert into resident_pass (resident_id, expires_at) values (:r, :e) returning id")
				.param("r", residentId)
				.param("e", Timestamp.from(expires))
				.query(Long.class)
				.single();
			return new Live(id, expires);
		});
		this.events.publishEvent(audit.apply(pass.id()));
		return Optional.of(new Pass(encode(pass.id(), pass.expiresAt()), pass.expiresAt()));
	}

	private boolean latestRevoked(long residentId) {
		return this.jdbc
			.sql("select revoked_at is not null from resident_pass where resident_id = :r order by id desc limit 1")
			.param("r", residentId)
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	private void lockPasses(long residentId) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('resident_pass'), cast(:r as integer))")
			.param("r", (int) (residentId ^ (residentId >>> 32)))
			.query((rs, i) -> 1)
			.single();
	}

	/** Revokes every live pass of the resident; a new one can be issued afterwards. */
	@Transactional
	public int revoke(CurrentUser user, long residentId) {
		resident(user, residentId);
		lockPasses(residentId);
		int revoked = this.jdbc
			.sql("""
					update resident_pass set revoked_at = now(), revoked_by = :by where resident_id = :r and revoked_at is null""")
			.param("r", residentId)
			.param("by", user.accountId())
			.update();
		this.events.publishEvent(AuditEvent.of(user, "PASS_REVOKED", "resident", residentId, revoked + " passes"));
		return revoked;
	}

	/**
	 * Reads a pass QR: malformed, forged, expired, revoked, or the resident it belongs
	 * to.
	 */
	public PassCheck verify(String qr) {
		Signed signed = signed(qr);
		if (!signed.valid()) {
			return PassCheck.invalid(signed.reason());
		}
		record Row(long residentId, Timestamp revokedAt) {
		}
		Optional<Row> row = this.jdbc.sql("select resident_id, revoked_at from resident_pass where id = :id")
			.param("id", signed.passId())
			.query((rs, i) -> new Row(rs.getLong(1), rs.getTimestamp(2)))
			.optional();
		return row.isEmpty() ? found(false, null, false)
				: found(true, row.get().residentId(), row.get().revokedAt() != null);
	}

	/** A QR read without the database: its pass id, or why it is no pass. */
	public record Signed(Long passId, String reason) {

		public boolean valid() {
			return this.passId != null;
		}

	}

	/**
	 * A QR's form, signature and expiry, checked without the database (the gate reads the
	 * pass's row with the rest of a scan, issue 17): malformed, forged, expired, or the
	 * pass id whose row {@link #found} judges.
	 */
	public Signed signed(String qr) {
		if (qr == null) {
			return new Signed(null, "gate.deny.passMalformed");
		}
		String[] parts = qr.trim().split("\\.");
		if (parts.length != 4 || !PREFIX.equals(parts[0]) || !PASS_ID.matcher(parts[1]).matches()
				|| !EXPIRY.matcher(parts[2]).matches()) {
			return new Signed(null, "gate.deny.passMalformed");
		}
		String expected = signature(parts[1] + "." + parts[2]);
		if (!SignedTokens.same(expected, parts[3])) {
			return new Signed(null, "gate.deny.passForged");
		}
		Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
		if (!expires.isAfter(this.clock.instant())) {
			return new Signed(null, "gate.deny.passExpired");
		}
		return new Signed(Long.parseLong(parts[1]), null);
	}

	/**
	 * What the pass's row says: a signed pass without a row is forged; a revoked one shut
	 * out; otherwise it names its resident.
	 */
	public static PassCheck found(boolean exists, Long residentId, boolean revoked) {
		if (!exists) {
			return PassCheck.invalid("gate.deny.passForged");
		}
		if (revoked) {
			return PassCheck.invalid("gate.deny.passRevoked");
		}
		return new PassCheck(true, residentId, null);
	}

	public String encode(long passId, Instant expiresAt) {
		String body = passId + "." + expiresAt.getEpochSecond();
		return PREFIX + "." + body + "." + signature(body);
	}

	private String signature(String body) {
		return this.protection.tokens().signature("pass", body, SignedTokens.Length.PASS);
	}

	private ResidentSnapshot resident(CurrentUser user, long residentId) {
		user.require(Permission.MANAGE_CHECKPOINTS);
		ResidentSnapshot resident = this.directory.byId(residentId)
			.orElseThrow(() -> new NotFound("resident.notFound"));
		user.requireCovers(resident.path());
		return resident;
	}

}
