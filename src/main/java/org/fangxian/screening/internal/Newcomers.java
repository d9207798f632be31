package org.fangxian.screening.internal;

import java.time.Instant;
import java.util.List;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * People found at doors who are not in the registry (未登记人员), waiting for the community
 * worker: register them as residents (the link leads to the resident form at their
 * household's place), or dismiss them with a reason. Their ID number and phone stay
 * encrypted; seeing them in full is a reveal, audited like any other.
 */
@Service
public class Newcomers {

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	private final ApplicationEventPublisher events;

	private final ResidentService residents;

	Newcomers(JdbcClient jdbc, PersonalDataProtection protection, ApplicationEventPublisher events,
			ResidentService residents) {
		this.jdbc = jdbc;
		this.protection = protection;
		this.events = events;
		this.residents = residents;
	}

	/**
	 * @param householdNodeId where the household is registered: the new resident's place
	 * @param idNumber masked unless revealed
	 */
	public record Newcomer(long id, String name, String idType, String idNumber, String phone, String address,
			String room, long householdNodeId, String campaign, Instant foundAt, boolean revealed) {
	}

	static final int LIMIT = 500;

	/** A newcomer with the door (household) and campaign they were found in. */
	private static final String FROM = """
			 from screening_newcomer n
			join screening_visit v on v.id = n.visit_id
			join registry_household h on h.id = v.household_id
			join screening_campaign c on c.id = v.campaign_id
			""";

	/**
	 * The pending newcomers in the user's jurisdiction, oldest first (they have waited
	 * longest).
	 */
	@Transactional
	public List<Newcomer> pending(CurrentUser user) {
		require(user);
		List<Newcomer> list = this.jdbc
			.sql("""
					select n.id, n.name, n.id_type, n.id_masked, n.phone_masked, h.address, h.room, h.node_id, c.name, n.created_at"""
					+ FROM + "where n.handled_at is null and n.path like :scope order by n.id limit :limit")
			.param("scope", user.scopePattern())
			.param("limit", LIMIT)
			.query((rs, i) -> new Newcomer(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
					rs.getTimestamp(10).toInstant(), false))
			.list();
		this.events
			.publishEvent(AuditEvent.of(user, "NEWCOMERS_VIEWED", "screening_newcomer", null, list.size() + " people"));
		return list;
	}

	/**
	 * One newcomer with the full ID number and phone, to check them against the person;
	 * audited.
	 */
	@Transactional
	public Newcomer reveal(CurrentUser user, long id) {
		user.require(Permission.REVEAL_PERSONAL_DATA);
		Newcomer newcomer = details(user, id);
		this.events.publishEvent(AuditEvent.of(user, "NEWCOMER_REVEALED", "screening_newcomer", id, newcomer.name()));
		return newcomer;
	}

	private Newcomer details(CurrentUser user, long id) {
		require(user);
		return this.jdbc
			.sql("""
					select n.id, n.name, n.id_type, n.id_cipher, n.phone_cipher, h.address, h.room, h.node_id, c.name, n.created_at,
					       n.path, n.id_masked, n.phone_masked"""
					+ FROM + "where n.id = :id")
			.param("id", id)
			.query((rs, i) -> {
				user.requireCovers(rs.getString("path"));
				byte[] idCipher = rs.getBytes(4);
				byte[] phoneCipher = rs.getBytes(5);
				return new Newcomer(rs.getLong(1), rs.getString(2), rs.getString(3),
						idCipher == null ? rs.getString("id_masked") : this.protection.decrypt(idCipher),
						phoneCipher == null ? rs.getString("phone_masked") : this.protection.decrypt(phoneCipher),
						rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
						rs.getTimestamp(10).toInstant(), true);
			})
			.optional()
			.orElseThrow(() -> new NotFound("screening.newcomer.notFound"));
	}

	/**
	 * Takes a newcomer off the list: registered (give the resident's id) or dismissed
	 * (give a reason). Handling one already handled changes nothing and says so.
	 */
	@Transactional
	public void handle(CurrentUser user, long id, Long residentId, String note) {
		require(user);
		String path = this.jdbc.sql("select path from screening_newcomer where id = :id for update")
			.param("id", id)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new NotFound("screening.newcomer.notFound"));
		user.requireCovers(path);
		String reason = FullWidth.clean(note);
		if (residentId == null && reason.isEmpty()) {
			throw new InvalidInput("note", "screening.newcomer.noteRequired");
		}
		if (reason.length() > 200) {
			throw new InvalidInput("note", "screening.newcomer.noteTooLong");
		}
		if (residentId != null) {
			String residentPath = this.jdbc.sql("select path from registry_resident where id = :id")
				.param("id", residentId)
				.query(String.class)
				.optional()
				.orElseThrow(() -> new InvalidInput("residentId", "resident.notFound"));
			user.requireCovers(residentPath);
		}
		int changed = this.jdbc
			.sql("""
					update screening_newcomer set handled_at = now(), handled_by = :by, resident_id = :resident, handled_note = :note
					where id = :id and handled_at is null""")
			.param("by", user.accountId())
			.param("resident", residentId)
			.param("note", reason.isEmpty() ? null : reason)
			.param("id", id)
			.update();
		if (changed == 0) {
			throw new InvalidInput("id", "screening.newcomer.alreadyHandled");
		}
		this.events.publishEvent(AuditEvent.of(user, residentId == null ? "NEWCOMER_DISMISSED" : "NEWCOMER_REGISTERED",
				"screening_newcomer", id, residentId == null ? reason : "resident " + residentId));
	}

	/**
	 * Registers the newcomer as a resident of the household where they were found, with
	 * what was written down at the door, and takes them off the list: one transaction, so
	 * a refused registration (say, an ID number the registry does not accept) leaves them
	 * on the list with the reason.
	 */
	@Transactional
	public long register(CurrentUser user, long id, String relation, String status) {
		Newcomer newcomer = details(user, id);
		long residentId = this.residents.create(user,
				new ResidentService.ResidentForm(newcomer.name(), newcomer.idType(), newcomer.idNumber(),
						newcomer.phone(), newcomer.householdNodeId(), newcomer.room(), relation, null, status, null));
		handle(user, id, residentId, null);
		return residentId;
	}

	private static void require(CurrentUser user) {
		user.require(Permission.MANAGE_CONTAINMENT);
		user.require(Permission.VIEW_RESIDENTS);
	}

}
