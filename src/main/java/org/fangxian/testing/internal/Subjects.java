package org.fangxian.testing.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.fangxian.audit.AuditEvent;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PersonNames;
import org.fangxian.shared.PhoneNumber;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Testing subjects (非本辖区人员): people sampled who are not in the registry, registered on
 * the spot with ID number, name and phone, kept encrypted as residents are. Their results
 * are their tubes' results; who may see them follows the path of their swabs.
 */
@Service
public class Subjects {

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Subjects(JdbcClient jdbc, PersonalDataProtection protection, ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.protection = protection;
		this.events = events;
		this.clock = clock;
	}

	/** What the sampler typed for someone not in the registry. */
	public record Registration(String idNumber, String name, String phone) {
	}

	/**
	 * Finds the person by ID number or registers them; name and phone are refreshed to
	 * what was just typed (the person is standing there). Audited as personal data
	 * recorded.
	 * @param normalizedId an ID number that passed {@link IdNumber#check}
	 */
	@Transactional
	long obtain(CurrentUser user, String normalizedId, String rawName, String rawPhone) {
		String name = rawName == null ? "" : rawName.strip();
		if (name.isEmpty() || name.length() > 50) {
			throw new InvalidInput("name", "testing.subject.name");
		}
		PhoneNumber phone = PhoneNumber.parse(rawPhone)
			.orElseThrow(() -> new InvalidInput("phone", "testing.subject.phone"));
		long id = this.jdbc
			.sql("""
					insert into testing_subject (id_hash, id_cipher, id_masked, name, phone_cipher, phone_masked, created_by, created_at)
					values (:hash, :cipher, :masked, :name, :phone, :phoneMasked, :by, :at)
					on conflict (id_hash) do update set name = excluded.name, phone_cipher = excluded.phone_cipher,
					    phone_masked = excluded.phone_masked
					returning id""")
			.param("hash", this.protection.lookupHash(normalizedId))
			.param("cipher", this.protection.encrypt(normalizedId))
			.param("masked", IdNumber.mask(normalizedId))
			.param("name", name)
			.param("phone", this.protection.encrypt(phone.value()))
			.param("phoneMasked", phone.masked())
			.param("by", user.accountId())
			.param("at", Timestamp.from(this.clock.instant()))
			.query(Long.class)
			.single();
		this.events.publishEvent(AuditEvent.of(user, "TESTING_SUBJECT_RECORDED", "testing_subject", id, null));
		return id;
	}

	/**
	 * A subject's swab and its result as a worker sees it: masked, with why they came.
	 * {@code result} is the tube's (null while the lab has not answered); a positive
	 * pooled tube is not the person's own result ({@code individual} false).
	 */
	public record SubjectSwab(long subjectId, String name, String idMasked, String phoneMasked, String reason,
			Long checkpointId, String barcode, Instant takenAt, String result, boolean individual) {
	}

	/**
	 * Subjects' swabs within the caller's jurisdiction, newest first, taken in the days
	 * given.
	 */
	@Transactional(readOnly = true)
	public List<SubjectSwab> swabs(CurrentUser user, LocalDate from, LocalDate to) {
		user.require(Permission.MANAGE_TESTING);
		if (from == null || to == null || to.isBefore(from) || from.plusDays(31).isBefore(to)) {
			throw new InvalidInput("from", "testing.subject.range");
		}
		return this.jdbc
			.sql("""
					select s.subject_id, p.name, p.id_masked, p.phone_masked, s.reason, s.checkpoint_id, t.barcode, s.taken_at,
					       t.result, t.capacity = 1 as individual
					from sample s join testing_subject p on p.id = s.subject_id join tube t on t.id = s.tube_id
					where s.subject_id is not null and s.path like :scope and not s.voided
					  and s.taken_at >= :from and s.taken_at < :to
					order by s.taken_at desc, s.id desc limit 2000""")
			.param("scope", user.scopePattern())
			.param("from", Timestamp.from(from.atStartOfDay(this.clock.getZone()).toInstant()))
			.param("to", Timestamp.from(to.plusDays(1).atStartOfDay(this.clock.getZone()).toInstant()))
			.query((rs, n) -> new SubjectSwab(rs.getLong(1), PersonNames.mask(rs.getString(2)), rs.getString(3),
					rs.getString(4), rs.getString(5), rs.getObject(6, Long.class), rs.getString(7),
					rs.getTimestamp(8).toInstant(), rs.getString(9), rs.getBoolean(10)))
			.list();
	}

}
