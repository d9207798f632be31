package org.fangxian.checkpoint.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PhoneNumber;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Non-residents at the gate (visitors, deliveries, vehicles) and turn-backs (劝返), each
 * recorded once.
 */
@Service
public class GateVisits {

	private final JdbcClient jdbc;

	private final Checkpoints checkpoints;

	private final PersonalDataProtection protection;

	private final Clock clock;

	GateVisits(JdbcClient jdbc, Checkpoints checkpoints, PersonalDataProtection protection, Clock clock) {
		this.jdbc = jdbc;
		this.checkpoints = checkpoints;
		this.protection = protection;
		this.clock = clock;
	}

	public enum Kind {

		VISITOR, DELIVERY, VEHICLE, TURN_BACK

	}

	/**
	 * What the guard types; {@code reason} is required for a turn-back, {@code purpose}
	 * for a visitor.
	 */
	public record VisitRequest(String kind, String name, String phone, String purpose, String visiting, String plate,
			String reason, String idempotencyKey, Instant at) {
	}

	@Transactional
	public long register(CurrentUser user, long checkpointId, VisitRequest request) {
		user.require(Permission.SCAN_AT_CHECKPOINT);
		Checkpoint checkpoint = this.checkpoints.get(user, checkpointId);
		String key = GateScans.requireKey(request.idempotencyKey());
		Kind kind;
		try {
			kind = Kind.valueOf(request.kind() == null ? "" : request.kind().trim().toUpperCase());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("kind", "gate.visit.kind.invalid");
		}
		String name = FullWidth.clean(request.name());
		String purpose = FullWidth.clean(request.purpose());
		String reason = FullWidth.clean(request.reason());
		if (kind == Kind.VISITOR && (name.isEmpty() || purpose.isEmpty())) {
			throw new InvalidInput(name.isEmpty() ? "name" : "purpose", "gate.visit.visitorDetails");
		}
		if (kind == Kind.TURN_BACK && reason.isEmpty()) {
			throw new InvalidInput("reason", "gate.visit.turnBackReason");
		}
		PhoneNumber phone = null;
		String phoneText = FullWidth.clean(request.phone());
		if (!phoneText.isEmpty()) {
			phone = PhoneNumber.parse(phoneText)
				.orElseThrow(() -> new InvalidInput("phone", "resident.phone.invalid", phoneText));
		}
		String plate;
		try {
			plate = GateScans.parsePlate(request.plate());
		}
		catch (GateScans.Denied ex) {
			throw new InvalidInput("plate", "gate.deny.plate");
		}
		if (kind == Kind.VEHICLE && plate == null) {
			throw new InvalidInput("plate", "gate.visit.plateRequired");
		}
		Long id = this.jdbc
			.sql("""
					insert into gate_visit (checkpoint_id, idempotency_key, at, kind, name, phone_cipher, phone_masked, purpose,
					    visiting, plate, reason, account_id)
					values (:checkpoint, :key, :at, :kind, :name, :cipher, :masked, :purpose, :visiting, :plate, :reason, :account)
					on conflict (district_id, checkpoint_id, idempotency_key) do nothing returning id""")
			.param("checkpoint", checkpointId)
			.param("key", key)
			.param("at", Timestamp.from(request.at() == null ? this.clock.instant() : request.at()))
			.param("kind", kind.name())
			.param("name", limit(name, 50))
			.param("cipher", phone == null ? null : this.protection.encrypt(phone.value()))
			.param("masked", phone == null ? null : phone.masked())
			.param("purpose", limit(purpose, 200))
			.param("visiting", limit(FullWidth.clean(request.visiting()), 100))
			.param("plate", plate)
			.param("reason", limit(reason, 200))
			.param("account", user.accountId())
			.query(Long.class)
			.optional()
			.orElse(null);
		if (id != null) {
			return id;
		}
		return this.jdbc
			.sql("select id from gate_visit where district_id = :d and checkpoint_id = :c and idempotency_key = :k")
			.param("d", checkpoint.districtId())
			.param("c", checkpointId)
			.param("k", key)
			.query(Long.class)
			.single();
	}

	private static String limit(String text, int max) {
		return text.isEmpty() ? null : text.length() > max ? text.substring(0, max) : text;
	}

}
