package org.fangxian.checkpoint;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.Temperature;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decides at the gate, at once, and keeps a durable record of every attempt. Anything it
 * cannot read is a DENY with its reason, never an allow by default. The same idempotency
 * key returns the first answer and records nothing new, so an offline phone may re-send
 * its queue freely.
 */
@Service
public class GateScans {

	/** Mainland plates: province, letter, 5 characters (6 for new-energy vehicles). */
	static final Pattern PLATE = Pattern
		.compile("^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$");

	/** Offline records may arrive late, but not from the future or from last month. */
	static final Duration OFFLINE_WINDOW = Duration.ofDays(3);

	private final JdbcClient jdbc;

	private final Checkpoints checkpoints;

	private final Passes passes;

	private final ResidentDirectory directory;

	private final List<EntryRestriction> restrictions;

	private final Clock clock;

	private final BigDecimal feverThreshold;

	GateScans(JdbcClient jdbc, Checkpoints checkpoints, Passes passes, ResidentDirectory directory,
			List<EntryRestriction> restrictions, Clock clock, @Value("${fangxian.checkpoint.fever-threshold:"
					+ Temperature.FEVER_THRESHOLD + "}") BigDecimal feverThreshold) {
		this.jdbc = jdbc;
		this.checkpoints = checkpoints;
		this.passes = passes;
		this.directory = directory;
		this.restrictions = restrictions;
		this.clock = clock;
		this.feverThreshold = feverThreshold;
	}

	/**
	 * A scan as the gate sends it. {@code temperature} is whatever arrived (a number or
	 * text), so "abc" becomes a recorded denial rather than a parse error nobody sees.
	 *
	 * @param scannedAt when the guard scanned, for records queued offline; null means now
	 */
	public record ScanRequest(String qr, String idNumber, String direction, Object temperature, String plate,
			String idempotencyKey, Instant scannedAt) {
	}

	/** The decision shown to the guard. */
	public record ScanResult(long scanId, Decision decision, String reason, String person, boolean replayed) {
	}

	public enum Decision {

		ALLOW, DENY

	}

	private record Outcome(Decision decision, String reason, Long residentId, String person, String alert) {

		static Outcome deny(String reason) {
			return new Outcome(Decision.DENY, reason, null, null, null);
		}

	}

	@Transactional
	public ScanResult scan(CurrentUser user, long checkpointId, ScanRequest request) {
		user.require(Permission.SCAN_AT_CHECKPOINT);
		Checkpoint checkpoint = this.checkpoints.get(user, checkpointId);
		String key = GateScans.requireKey(request.idempotencyKey());
		// No look-up of the key first: a fresh key (nearly every scan) costs one
		// statement less. A key
		// already recorded inserts nothing below and gets the first answer, whatever this
		// one decided.
		Instant now = this.clock.instant();
		Instant at = request.scannedAt() == null ? now : request.scannedAt();
		Direction direction = parseDirection(request.direction());
		BigDecimal temperature = null;
		String plate = null;
		Outcome outcome;
		String method = request.qr() != null && !request.qr().isBlank() ? "QR"
				: request.idNumber() != null && !request.idNumber().isBlank() ? "ID" : "NONE";
		try {
			if (at.isAfter(now.plusSeconds(300)) || at.isBefore(now.minus(OFFLINE_WINDOW))) {
				throw new Denied("gate.deny.badTime");
			}
			if (direction == null) {
				throw new Denied("gate.deny.direction");
			}
			temperature = parseTemperature(request.temperature());
			plate = parsePlate(request.plate());
			outcome = decide(checkpoint, method, request, direction, temperature, at);
		}
		catch (Denied denied) {
			outcome = Outcome.deny(denied.reason);
		}
		Long scanId = this.jdbc
			.sql("""
					insert into gate_scan (checkpoint_id, idempotency_key, scanned_at, direction, method, resident_id,
					    temperature, plate, decision, reason, account_id)
					values (:checkpoint, :key, :at, :direction, :method, :resident, :temperature, :plate, :decision, :reason, :account)
					on conflict (checkpoint_id, idempotency_key) do nothing
					returning id""")
			.param("checkpoint", checkpointId)
			.param("key", key)
			.param("at", Timestamp.from(at))
			.param("direction", direction == null ? null : direction.name())
			.param("method", method)
			.param("resident", outcome.residentId())
			.param("temperature", temperature)
			.param("plate", plate)
			.param("decision", outcome.decision().name())
			.param("reason", outcome.reason())
			.param("account", user.accountId())
			.query(Long.class)
			.optional()
			.orElse(null);
		if (scanId == null) {
			// Sent before (a retry or a queue sent twice), or another upload of it won
			// the race: the first answer is the answer.
			return find(checkpointId, key).orElseThrow();
		}
		if (outcome.alert() != null) {
			this.jdbc.sql("""
					insert into checkpoint_alert (checkpoint_id, path, scan_id, kind)
					values (:checkpoint, :path, :scan, :kind)""")
				.param("checkpoint", checkpointId)
				.param("path", checkpoint.path())
				.param("scan", scanId)
				.param("kind", outcome.alert())
				.update();
		}
		return new ScanResult(scanId, outcome.decision(), outcome.reason(), outcome.person(), false);
	}

	private Outcome decide(Checkpoint checkpoint, String method, ScanRequest request, Direction direction,
			BigDecimal temperature, Instant at) {
		ResidentSnapshot resident = switch (method) {
			case "QR" -> {
				Passes.PassCheck pass = this.passes.verify(FullWidth.toHalfWidth(request.qr()));
				if (!pass.valid()) {
					throw new Denied(pass.reason());
				}
				yield this.directory.byId(pass.residentId()).orElseThrow(() -> new Denied("gate.deny.notResident"));
			}
			case "ID" -> {
				IdNumberCheck id = IdNumber.check(request.idNumber(), null);
				if (!id.valid()) {
					throw new Denied("gate.deny.idInvalid");
				}
				// Unknown and registered-elsewhere read the same, so a gate cannot probe
				// other jurisdictions.
				yield this.directory.byIdNumber(id.normalized()).orElseThrow(() -> new Denied("gate.deny.notResident"));
			}
			default -> throw new Denied("gate.deny.noIdentity");
		};
		if (!resident.path().startsWith(checkpoint.path())) {
			return Outcome.deny("gate.deny.notResident");
		}
		String person = resident.maskedName();
		if (!resident.status().present()) {
			return new Outcome(Decision.DENY, "gate.deny.notResident", resident.id(), person, null);
		}
		for (EntryRestriction restriction : this.restrictions) {
			Optional<EntryRestriction.Restriction> found = restriction.check(resident.id(), direction, at);
			if (found.isPresent()) {
				return new Outcome(Decision.DENY, found.get().reason(), resident.id(), person,
						found.get().alert() ? "RESTRICTED_" + direction : null);
			}
		}
		if (temperature != null && temperature.compareTo(this.feverThreshold) >= 0) {
			return new Outcome(Decision.DENY, "gate.deny.fever", resident.id(), person, "FEVER");
		}
		return new Outcome(Decision.ALLOW, "gate.allow", resident.id(), person, null);
	}

	private Optional<ScanResult> find(long checkpointId, String key) {
		return this.jdbc.sql("""
				select id, decision, reason, resident_id from gate_scan
				where checkpoint_id = :checkpoint and idempotency_key = :key""")
			.param("checkpoint", checkpointId)
			.param("key", key)
			.query((rs, i) -> {
				Long residentId = rs.getObject(4, Long.class);
				String person = residentId == null ? null
						: this.directory.byId(residentId).map(ResidentSnapshot::maskedName).orElse(null);
				return new ScanResult(rs.getLong(1), Decision.valueOf(rs.getString(2)), rs.getString(3), person, true);
			})
			.optional();
	}

	static Direction parseDirection(String raw) {
		if (raw == null) {
			return null;
		}
		try {
			return Direction.valueOf(raw.trim().toUpperCase());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	BigDecimal parseTemperature(Object raw) {
		if (raw == null || (raw instanceof String text && text.isBlank())) {
			return null;
		}
		try {
			return Temperature.parse(raw.toString()).celsius();
		}
		catch (InvalidInput ex) {
			throw new Denied(ex.messageKey());
		}
	}

	/**
	 * Every gate record carries the key its device gave it; without one a retry could
	 * double it.
	 */
	static String requireKey(String raw) {
		String key = raw == null ? "" : raw.trim();
		if (key.isEmpty() || key.length() > 100) {
			throw new InvalidInput("idempotencyKey", "gate.idempotencyKey.required");
		}
		return key;
	}

	static String parsePlate(String raw) {
		String plate = FullWidth.clean(raw).replace(" ", "").replace("·", "").replace("-", "").toUpperCase();
		if (plate.isEmpty()) {
			return null;
		}
		if (!PLATE.matcher(plate).matches()) {
			throw new Denied("gate.deny.plate");
		}
		return plate;
	}

	/** A reason to deny found while reading the request; becomes a recorded DENY. */
	static final class Denied extends RuntimeException {

		final String reason;

		Denied(String reason) {
			super(reason, null, false, false);
			this.reason = reason;
		}

	}

}
