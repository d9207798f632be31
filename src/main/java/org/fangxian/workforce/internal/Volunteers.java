package org.fangxian.workforce.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.Spreadsheets;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdType;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.workforce.PostKind;
import org.fangxian.workforce.internal.VolunteerRow.Column;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Volunteers and sent-down cadres (志愿者, 下沉干部): enrolment by list import, lists by place,
 * and the audited reveal of their ID number and phone. A person is one record however
 * often they are listed: found again by ID number, or by phone when the list gives none.
 */
@Service
public class Volunteers {

	static final int MAX_ROWS = 20_000;

	/** The header must be within this many rows: a title or two may stand above it. */
	private static final int HEADER_SEARCH_ROWS = 15;

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final PersonalDataProtection protection;

	private final ApplicationEventPublisher events;

	private final MessageSource messages;

	private final Clock clock;

	Volunteers(JdbcClient jdbc, DivisionTree tree, PersonalDataProtection protection, ApplicationEventPublisher events,
			MessageSource messages, Clock clock) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.protection = protection;
		this.events = events;
		this.messages = messages;
		this.clock = clock;
	}

	/** A volunteer as the lists show them: ID number and phone masked. */
	public record Volunteer(long id, String name, List<String> skills, int maxShiftsPerWeek, String organisation,
			String batch, boolean partyMember, int availableDays, String idMasked, String phoneMasked, long nodeId,
			String path, String status, Long accountId, int availableFrom, int availableTo, DutyPreference preference) {
	}

	public record Rejected(int row, String field, String reason) {
	}

	public record ImportReport(int accepted, int updated, int unchanged, List<Rejected> rejected) {
	}

	/** The full ID number and phone, for someone who may reveal them (audited). */
	public record Revealed(long id, String name, String idNumber, String phone) {
	}

	/**
	 * The node a list is about: the one named, or the caller's own (permission checked
	 * first).
	 */
	public Node placeOf(CurrentUser user, String code) {
		user.require(Permission.MANAGE_WORKFORCE);
		return place(user, code);
	}

	/** The node a list or an import is about: the one named, or the caller's own. */
	Node place(CurrentUser user, String code) {
		if (code != null && !code.isBlank()) {
			return this.tree.nodeByCode(user, code.strip());
		}
		if (user.nodeId() == null) {
			throw new InvalidInput("code", "workforce.codeRequired");
		}
		return this.tree.node(user, user.nodeId());
	}

	@Transactional
	public ImportReport importFile(CurrentUser user, String code, byte[] content) {
		user.require(Permission.MANAGE_WORKFORCE);
		Node node = place(user, code);
		List<Spreadsheets.Row> rows = new ArrayList<>();
		Spreadsheets.read(content, MAX_ROWS, rows::add);
		Map<Column, Integer> columns = null;
		int first = 0;
		for (int i = 0; i < Math.min(rows.size(), HEADER_SEARCH_ROWS) && columns == null; i++) {
			Optional<Map<Column, Integer>> header = VolunteerRow.header(rows.get(i));
			if (header.isPresent()) {
				columns = header.get();
				first = i + 1;
			}
		}
		if (columns == null) {
			throw new InvalidInput("file", "workforce.import.noHeader");
		}
		// Dedup is across the installation, so imports take turns.
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('workforce.volunteer_import'))")
			.query(Object.class)
			.list();
		Locale locale = LocaleContextHolder.getLocale();
		LocalDate today = LocalDate.now(this.clock);
		Map<String, Integer> seenInFile = new HashMap<>();
		int accepted = 0;
		int updated = 0;
		int unchanged = 0;
		List<Rejected> rejected = new ArrayList<>();
		for (Spreadsheets.Row source : rows.subList(first, rows.size())) {
			try {
				VolunteerRow row = VolunteerRow.read(source, columns, today);
				byte[] idHash = row.idNumber() == null ? null
						: this.protection.lookupHash(IdType.RESIDENT_ID.name() + ":" + row.idNumber());
				byte[] phoneHash = row.phone() == null ? null : this.protection.lookupHash(row.phone().value());
				for (byte[] hash : Arrays.asList(idHash, phoneHash)) {
					if (hash != null) {
						Integer earlier = seenInFile.putIfAbsent(HexFormat.of().formatHex(hash), source.number());
						if (earlier != null) {
							throw new InvalidInput(hash == idHash ? "身份证号" : "手机号", "workforce.import.duplicate",
									earlier);
						}
					}
				}
				Optional<Stored> match = find(idHash, phoneHash);
				if (match.isEmpty()) {
					insert(node, row, idHash, phoneHash, "ACTIVE");
					accepted++;
					continue;
				}
				Stored stored = match.get();
				if (!user.covers(stored.path())) {
					throw new InvalidInput("身份证号", "workforce.import.elsewhere");
				}
				if (idHash != null && stored.idHash() != null && !Arrays.equals(idHash, stored.idHash())) {
					throw new InvalidInput("手机号", "workforce.import.phoneTaken");
				}
				if (update(stored, row, columns, idHash, phoneHash)) {
					updated++;
				}
				else {
					unchanged++;
				}
			}
			catch (InvalidInput ex) {
				String reason = this.messages.getMessage(ex.messageKey(), ex.args(), ex.messageKey(), locale);
				rejected.add(new Rejected(source.number(), ex.field(), ex.field() + ": " + reason));
			}
		}
		this.events.publishEvent(AuditEvent.of(user, "VOLUNTEERS_IMPORTED", "division_node", node.id(), "accepted "
				+ accepted + ", updated " + updated + ", unchanged " + unchanged + ", rejected " + rejected.size()));
		return new ImportReport(accepted, updated, unchanged, rejected);
	}

	/**
	 * @param active false for a self-registration not yet approved: a worker's list
	 * approves it
	 */
	private record Stored(long id, String path, String name, byte[] idHash, byte[] phoneHash, String organisation,
			String batch, boolean partyMember, List<String> skills, int maxShiftsPerWeek, int availableDays,
			boolean active, int availableFrom, int availableTo, DutyPreference preference) {
	}

	private Optional<Stored> find(byte[] idHash, byte[] phoneHash) {
		String select = """
				select id, path, name, id_hash, phone_hash, organisation, batch, party_member, skills,
				       max_shifts_per_week, available_days, status = 'ACTIVE' as active, available_from, available_to,
				       preferred_kinds, preferred_from, preferred_to
				from volunteer""";
		if (idHash != null) {
			Optional<Stored> byId = this.jdbc.sql(select + " where id_hash = :hash")
				.param("hash", idHash)
				.query(Volunteers::stored)
				.optional();
			if (byId.isPresent()) {
				return byId;
			}
		}
		if (phoneHash == null) {
			return Optional.empty();
		}
		return this.jdbc.sql(select + " where phone_hash = :hash order by id limit 1")
			.param("hash", phoneHash)
			.query(Volunteers::stored)
			.optional();
	}

	private static Stored stored(ResultSet rs, int row) throws SQLException {
		return new Stored(rs.getLong("id"), rs.getString("path"), rs.getString("name"), rs.getBytes("id_hash"),
				rs.getBytes("phone_hash"), rs.getString("organisation"), rs.getString("batch"),
				rs.getBoolean("party_member"), strings(rs.getArray("skills")), rs.getInt("max_shifts_per_week"),
				rs.getInt("available_days"), rs.getBoolean("active"), rs.getInt("available_from"),
				rs.getInt("available_to"), preference(rs));
	}

	/** The wishes of a row that selects preferred_kinds, preferred_from, preferred_to. */
	static DutyPreference preference(ResultSet rs) throws SQLException {
		List<String> kinds = strings(rs.getArray("preferred_kinds"));
		return new DutyPreference(kinds.stream().map(PostKind::valueOf).collect(java.util.stream.Collectors.toSet()),
				rs.getInt("preferred_from"), rs.getInt("preferred_to"));
	}

	static List<String> strings(Array array) throws SQLException {
		return (array == null) ? List.of() : List.of((String[]) array.getArray());
	}

	private void insert(Node node, VolunteerRow row, byte[] idHash, byte[] phoneHash, String status) {
		this.jdbc.sql("""
				insert into volunteer (node_id, path, name, id_cipher, id_hash, id_masked, phone_cipher, phone_hash,
				                       phone_masked, organisation, batch, party_member, skills, max_shifts_per_week,
				                       available_days, status, available_from, available_to, preferred_kinds,
				                       preferred_from, preferred_to)
				values (:node, :path, :name, :idCipher, :idHash, :idMasked, :phoneCipher, :phoneHash, :phoneMasked,
				        :organisation, :batch, :party, :skills, :max, :days, :status, :fromMinute, :toMinute,
				        :preferredKinds, :preferredFrom, :preferredTo)""")
			.param("preferredKinds", row.preference().kindNames().toArray(String[]::new))
			.param("preferredFrom", row.preference().fromMinute())
			.param("preferredTo", row.preference().toMinute())
			.param("fromMinute", row.fromMinute())
			.param("toMinute", row.toMinute())
			.param("status", status)
			.param("node", node.id())
			.param("path", node.path())
			.param("name", row.name())
			.param("idCipher", this.protection.encrypt(row.idNumber()))
			.param("idHash", idHash)
			.param("idMasked", row.idNumber() == null ? null : IdNumber.mask(row.idNumber()))
			.param("phoneCipher", row.phone() == null ? null : this.protection.encrypt(row.phone().value()))
			.param("phoneHash", phoneHash)
			.param("phoneMasked", row.phone() == null ? null : row.phone().masked())
			.param("organisation", row.organisation())
			.param("batch", row.batch())
			.param("party", row.partyMember())
			.param("skills", row.skills().toArray(String[]::new))
			.param("max", row.maxShiftsPerWeek())
			.param("days", row.availableDays())
			.update();
	}

	/**
	 * Brings a known person up to the row; columns the file does not have keep what was
	 * stored.
	 * @return whether anything changed
	 */
	private boolean update(Stored stored, VolunteerRow row, Map<Column, Integer> columns, byte[] idHash,
			byte[] phoneHash) {
		String organisation = columns.containsKey(Column.ORGANISATION) ? row.organisation() : stored.organisation();
		String batch = columns.containsKey(Column.BATCH) ? row.batch() : stored.batch();
		boolean party = columns.containsKey(Column.PARTY_MEMBER) ? row.partyMember() : stored.partyMember();
		List<String> skills = columns.containsKey(Column.SKILLS) ? row.skills() : stored.skills();
		int max = columns.containsKey(Column.MAX_SHIFTS) ? row.maxShiftsPerWeek() : stored.maxShiftsPerWeek();
		int days = columns.containsKey(Column.DAYS) ? row.availableDays() : stored.availableDays();
		int fromMinute = columns.containsKey(Column.DAYS) ? row.fromMinute() : stored.availableFrom();
		int toMinute = columns.containsKey(Column.DAYS) ? row.toMinute() : stored.availableTo();
		DutyPreference preference = new DutyPreference(
				columns.containsKey(Column.PREFERRED_POSTS) ? row.preference().kinds() : stored.preference().kinds(),
				columns.containsKey(Column.PREFERRED_HOURS) ? row.preference().fromMinute()
						: stored.preference().fromMinute(),
				columns.containsKey(Column.PREFERRED_HOURS) ? row.preference().toMinute()
						: stored.preference().toMinute());
		boolean newId = idHash != null && stored.idHash() == null;
		boolean newPhone = phoneHash != null && !Arrays.equals(phoneHash, stored.phoneHash());
		boolean same = stored.active() && row.name().equals(stored.name()) && organisation.equals(stored.organisation())
				&& batch.equals(stored.batch()) && party == stored.partyMember() && skills.equals(stored.skills())
				&& max == stored.maxShiftsPerWeek() && days == stored.availableDays()
				&& fromMinute == stored.availableFrom() && toMinute == stored.availableTo()
				&& preference.equals(stored.preference()) && !newId && !newPhone;
		if (same) {
			return false;
		}
		this.jdbc.sql("""
				update volunteer set name = :name, organisation = :organisation, batch = :batch, party_member = :party,
				       skills = :skills, max_shifts_per_week = :max, available_days = :days, status = 'ACTIVE',
				       available_from = :fromMinute, available_to = :toMinute, preferred_kinds = :preferredKinds,
				       preferred_from = :preferredFrom, preferred_to = :preferredTo, updated_at = now()
				where id = :id""")
			.param("preferredKinds", preference.kindNames().toArray(String[]::new))
			.param("preferredFrom", preference.fromMinute())
			.param("preferredTo", preference.toMinute())
			.param("fromMinute", fromMinute)
			.param("toMinute", toMinute)
			.param("name", row.name())
			.param("organisation", organisation)
			.param("batch", batch)
			.param("party", party)
			.param("skills", skills.toArray(String[]::new))
			.param("max", max)
			.param("days", days)
			.param("id", stored.id())
			.update();
		if (newId) {
			this.jdbc.sql("update volunteer set id_cipher = :c, id_hash = :h, id_masked = :m where id = :id")
				.param("c", this.protection.encrypt(row.idNumber()))
				.param("h", idHash)
				.param("m", IdNumber.mask(row.idNumber()))
				.param("id", stored.id())
				.update();
		}
		if (newPhone) {
			this.jdbc.sql("update volunteer set phone_cipher = :c, phone_hash = :h, phone_masked = :m where id = :id")
				.param("c", this.protection.encrypt(row.phone().value()))
				.param("h", phoneHash)
				.param("m", row.phone().masked())
				.param("id", stored.id())
				.update();
		}
		return true;
	}

	private static final String SELECT = """
			select id, name, skills, max_shifts_per_week, organisation, batch, party_member, available_days, id_masked,
			       phone_masked, node_id, path, status, account_id, available_from, available_to, preferred_kinds,
			       preferred_from, preferred_to
			from volunteer""";

	private static Volunteer volunteer(ResultSet rs, int row) throws SQLException {
		return new Volunteer(rs.getLong("id"), rs.getString("name"), strings(rs.getArray("skills")),
				rs.getInt("max_shifts_per_week"), rs.getString("organisation"), rs.getString("batch"),
				rs.getBoolean("party_member"), rs.getInt("available_days"), rs.getString("id_masked"),
				rs.getString("phone_masked"), rs.getLong("node_id"), rs.getString("path"), rs.getString("status"),
				rs.getObject("account_id", Long.class), rs.getInt("available_from"), rs.getInt("available_to"),
				preference(rs));
	}

	/**
	 * Everyone who may serve at the node, within the caller's jurisdiction: enrolled
	 * there or below it, or at a node above it (a street's pool serves its communities).
	 */
	public List<Volunteer> serving(CurrentUser user, Node node) {
		user.require(Permission.MANAGE_WORKFORCE);
		return this.jdbc.sql(SELECT + """
				 where status = 'ACTIVE' and path like :scope
				   and (path like :subtree or :path like path || '%')
				order by name, id""")
			.param("scope", user.scopePattern())
			.param("subtree", node.path() + "%")
			.param("path", node.path())
			.query(Volunteers::volunteer)
			.list();
	}

	public List<Volunteer> list(CurrentUser user, String code) {
		user.require(Permission.MANAGE_WORKFORCE);
		return serving(user, place(user, code));
	}

	public Volunteer get(CurrentUser user, long id) {
		user.require(Permission.MANAGE_WORKFORCE);
		Volunteer volunteer = this.jdbc.sql(SELECT + " where id = :id")
			.param("id", id)
			.query(Volunteers::volunteer)
			.optional()
			.orElseThrow(() -> new NotFound("workforce.volunteer.notFound"));
		user.requireCovers(volunteer.path());
		return volunteer;
	}

	@Transactional
	public Revealed reveal(CurrentUser user, long id) {
		user.require(Permission.REVEAL_PERSONAL_DATA);
		Volunteer volunteer = get(user, id);
		Map<String, Object> row = this.jdbc.sql("select id_cipher, phone_cipher from volunteer where id = :id")
			.param("id", id)
			.query()
			.singleRow();
		this.events.publishEvent(AuditEvent.of(user, "VOLUNTEER_REVEALED", "volunteer", id, "id number and phone"));
		return new Revealed(id, volunteer.name(), this.protection.decrypt((byte[]) row.get("id_cipher")),
				this.protection.decrypt((byte[]) row.get("phone_cipher")));
	}

	/** The phone to text a volunteer at, or empty; for the outbox only, never shown. */
	Optional<String> phone(long volunteerId) {
		return this.jdbc.sql("select phone_cipher from volunteer where id = :id and phone_cipher is not null")
			.param("id", volunteerId)
			.query(byte[].class)
			.optional()
			.map(this.protection::decrypt);
	}

	/** What a person fills in on the public registration form. */
	public record Registration(String name, String phone, String idNumber, String organisation, List<String> skills,
			Integer maxShiftsPerWeek) {
	}

	public enum Registered {

		/** Waiting for a worker's approval. */
		PENDING,
		/**
		 * Already enrolled (or waiting): nothing changed, and nothing about the record is
		 * told.
		 */
		KNOWN

	}

	/**
	 * A person registers themself through the node's public link; a worker approves them.
	 * The answer is the same whether or not the person was known, beyond "known", so the
	 * form tells nobody's details.
	 * @throws InvalidInput naming the field
	 */
	@Transactional
	public Registered register(Node node, Registration form) {
		String name = form.name() == null ? "" : form.name().strip();
		if (name.isEmpty() || name.length() > 50) {
			throw new InvalidInput("name", "workforce.import.nameBlank");
		}
		var phone = org.fangxian.shared.PhoneNumber.parse(form.phone())
			.filter(org.fangxian.shared.PhoneNumber::mobile)
			.orElseThrow(() -> new InvalidInput("phone", "workforce.import.phone"));
		String idNumber = null;
		if (form.idNumber() != null && !form.idNumber().isBlank()) {
			var check = IdNumber.check(form.idNumber(), LocalDate.now(this.clock));
			if (!check.valid()) {
				throw new InvalidInput("idNumber", check.reason());
			}
			idNumber = check.normalized();
		}
		int max = form.maxShiftsPerWeek() == null ? VolunteerRow.DEFAULT_MAX_SHIFTS : form.maxShiftsPerWeek();
		if (max < 1 || max > 21) {
			throw new InvalidInput("maxShiftsPerWeek", "workforce.import.maxShifts", max);
		}
		String organisation = form.organisation() == null ? "" : form.organisation().strip();
		if (organisation.length() > 100) {
			throw new InvalidInput("organisation", "workforce.import.tooLong");
		}
		List<String> skills = VolunteerRow.skills(String.join("、", form.skills() == null ? List.of() : form.skills()));
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('workforce.volunteer_import'))")
			.query(Object.class)
			.list();
		byte[] idHash = idNumber == null ? null
				: this.protection.lookupHash(IdType.RESIDENT_ID.name() + ":" + idNumber);
		byte[] phoneHash = this.protection.lookupHash(phone.value());
		if (find(idHash, phoneHash).isPresent()) {
			return Registered.KNOWN;
		}
		VolunteerRow row = new VolunteerRow(0, name, idNumber, phone, organisation, "", false, skills, max,
				DutyPerson.EVERY_DAY, 0, DutyPerson.ALL_DAY, DutyPreference.NONE);
		insert(node, row, idHash, phoneHash, "PENDING");
		return Registered.PENDING;
	}

	/** Self-registrations waiting at the node and below. */
	public List<Volunteer> pending(CurrentUser user, Node node) {
		user.require(Permission.MANAGE_WORKFORCE);
		return this.jdbc
			.sql(SELECT + " where status = 'PENDING' and path like :subtree and path like :scope order by id")
			.param("subtree", node.path() + "%")
			.param("scope", user.scopePattern())
			.query(Volunteers::volunteer)
			.list();
	}

	/** Approves or rejects a self-registration; a decided one stays as decided. */
	@Transactional
	public void decide(CurrentUser user, long id, boolean approve) {
		Volunteer volunteer = get(user, id);
		if (!volunteer.status().equals("PENDING")) {
			return;
		}
		this.jdbc.sql("update volunteer set status = :status, updated_at = now() where id = :id and status = 'PENDING'")
			.param("status", approve ? "ACTIVE" : "REJECTED")
			.param("id", id)
			.update();
		this.events.publishEvent(
				AuditEvent.of(user, approve ? "VOLUNTEER_APPROVED" : "VOLUNTEER_REJECTED", "volunteer", id, null));
	}

}
