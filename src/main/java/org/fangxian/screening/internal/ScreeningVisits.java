package org.fangxian.screening.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import org.fangxian.registry.ResidentDirectory;
import org.fangxian.returnee.Returnees;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdType;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PhoneNumber;
import org.fangxian.shared.RoomOrder;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Knocking on doors: each knock is an attempt, kept; the door's state in the campaign is
 * summarised from its attempts, so two workers at the same door, or one submit sent
 * twice, never count twice. The latest conclusive outcome (at home, refused) wins;
 * "nobody home" only stands until someone answers, and means the door is to be knocked
 * again.
 */
@Service
public class ScreeningVisits {

	public enum Outcome {

		AT_HOME, NOBODY_HOME, REFUSED;

		public boolean conclusive() {
			return this != NOBODY_HOME;
		}

	}

	/**
	 * A person at the door who is not in the registry: name required, ID and phone
	 * optional.
	 */
	public record Newcomer(String name, String idType, String idNumber, String phone) {
	}

	/**
	 * What the visitor records at a door; {@code idempotencyKey} comes with the form (or
	 * the API client).
	 */
	public record VisitReport(String outcome, String idempotencyKey, Boolean symptoms, String symptomsNote,
			Integer returnees, Long returneeReportId, Boolean letterSigned, String note, List<Newcomer> newcomers) {
	}

	/** A door in the visitor's list, with the campaign's state of it. */
	public record Door(long householdId, long groupId, String groupName, String unit, String address, String room,
			Long assignedTo, String assignedName, Outcome outcome, int attempts, Boolean symptoms, int returnees,
			boolean letterSigned, Instant lastVisitedAt) {

		/**
		 * The door as a worker reads it on the grid: the unit with the room ("2单元 1001"),
		 * since two units of a building both have a 1001.
		 */
		public String label() {
			return this.unit == null ? this.room : this.unit + " " + this.room;
		}

		public boolean needsVisit() {
			return this.outcome == null || this.outcome == Outcome.NOBODY_HOME;
		}

	}

	/**
	 * A returnee self-report filed by someone of this household, to confirm at the door.
	 */
	public record ReportAtDoor(long id, String name, String originName, java.time.LocalDate arrivalDate,
			String decision) {
	}

	/**
	 * The self-reports of the last 30 days matched to this household's residents, newest
	 * first: the visitor confirms the returnee at the door by ticking one (the name is
	 * masked as on the door list).
	 */
	public List<ReportAtDoor> reportsAtDoor(CurrentUser user, long campaignId, long householdId) {
		door(user, campaignId, householdId);
		List<Long> people = this.directory.householdMembers(householdId)
			.stream()
			.map(ResidentDirectory.ResidentSnapshot::id)
			.toList();
		return this.returnees.arrivedSince(people, java.time.LocalDate.now(this.clock).minusDays(30))
			.stream()
			.map(r -> new ReportAtDoor(r.id(), r.maskedName(), r.originName(), r.arrivalDate(), r.decision()))
			.toList();
	}

	/** The answer to a recorded knock: the attempt and the door's state after it. */
	public record Recorded(long attemptId, boolean replayed, Door door) {
	}

	private final JdbcClient jdbc;

	private final ScreeningCampaigns campaigns;

	private final PersonalDataProtection protection;

	private final Clock clock;

	private final ResidentDirectory directory;

	private final Returnees returnees;

	ScreeningVisits(JdbcClient jdbc, ScreeningCampaigns campaigns, PersonalDataProtection protection, Clock clock,
			ResidentDirectory directory, Returnees returnees) {
		this.jdbc = jdbc;
		this.directory = directory;
		this.returnees = returnees;
		this.campaigns = campaigns;
		this.protection = protection;
		this.clock = clock;
	}

	private static final String DOOR = """
			select v.household_id, v.group_id, g.name as group_name, u.name as unit, h.address, h.room, v.assigned_to,
			       a.display_name as assigned_name, v.outcome, v.attempts, v.symptoms, v.returnees, v.letter_signed,
			       v.last_visited_at
			from screening_visit v
			join registry_household h on h.id = v.household_id
			join registry_division g on g.id = v.group_id
			left join registry_division u on u.id = h.node_id and u.kind = 'UNIT'
			left join security_account a on a.id = v.assigned_to
			""";

	/**
	 * Doors of the campaign in the caller's jurisdiction, by building, then unit and room
	 * in {@link RoomOrder} (101 before 1001, the way a worker walks the stairs);
	 * {@code mine}: only those assigned to the caller.
	 */
	public List<Door> doors(CurrentUser user, long campaignId, boolean mine) {
		this.campaigns.get(user, campaignId);
		List<Door> rows = this.jdbc.sql(DOOR + """
				where v.campaign_id = :campaign and v.path like :scope
				  and (not :mine or v.assigned_to = :me)
				order by g.path, h.address, v.household_id
				limit 5000""")
			.param("campaign", campaignId)
			.param("scope", user.scopePattern())
			.param("mine", mine)
			.param("me", user.accountId())
			.query(Door.class)
			.list();
		// Buildings keep the tree's order; inside one, SQL's text order would put 1001
		// before 101.
		Map<Long, Integer> buildings = new HashMap<>();
		rows.forEach(door -> buildings.putIfAbsent(door.groupId(), buildings.size()));
		return rows.stream()
			.sorted(Comparator.comparing((Door door) -> buildings.get(door.groupId()))
				.thenComparing(Door::unit, RoomOrder.ROOMS)
				.thenComparing(Door::room, RoomOrder.ROOMS)
				.thenComparingLong(Door::householdId))
			.toList();
	}

	public Door door(CurrentUser user, long campaignId, long householdId) {
		this.campaigns.get(user, campaignId);
		Door door = this.jdbc.sql(DOOR + "where v.campaign_id = :campaign and v.household_id = :household")
			.param("campaign", campaignId)
			.param("household", householdId)
			.query(Door.class)
			.optional()
			.orElseThrow(() -> new NotFound("screening.door.notFound"));
		user.requireCovers(visitPath(campaignId, householdId));
		return door;
	}

	/**
	 * Records one knock. The same idempotency key for the same door is the same knock:
	 * the first answer is returned and nothing changes. Everything of a knock (attempt,
	 * newcomers, the door's new state) is written in one transaction.
	 */
	@Transactional
	public Recorded record(CurrentUser user, long campaignId, long householdId, VisitReport report) {
		this.campaigns.get(user, campaignId);
		record Visit(long id, String path) {
		}
		// Locking the door's row makes two knocks at once on the same door take turns, so
		// the second one's
		// summary sees the first one's attempt.
		Visit visit = this.jdbc.sql("""
				select id, path from screening_visit where campaign_id = :campaign and household_id = :household
				for update""")
			.param("campaign", campaignId)
			.param("household", householdId)
			.query(Visit.class)
			.optional()
			.orElseThrow(() -> new NotFound("screening.door.notFound"));
		user.requireCovers(visit.path());

		String key = FullWidth.clean(report.idempotencyKey());
		if (key.isEmpty() || key.length() > 100) {
			throw new InvalidInput("idempotencyKey", "screening.key.required");
		}
		Long previous = this.jdbc
			.sql("select id from screening_attempt where visit_id = :visit and idempotency_key = :key")
			.param("visit", visit.id())
			.param("key", key)
			.query(Long.class)
			.optional()
			.orElse(null);
		if (previous != null) {
			return new Recorded(previous, true, door(user, campaignId, householdId));
		}
		Outcome outcome;
		try {
			outcome = Outcome.valueOf(FullWidth.clean(report.outcome()).toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("outcome", "screening.outcome.unknown");
		}
		int returnees = report.returnees() == null ? 0 : report.returnees();
		if (returnees < 0 || returnees > 50) {
			throw new InvalidInput("returnees", "screening.returnees.range");
		}
		if (report.returneeReportId() != null) {
			String reportPath = this.returnees.pathOf(report.returneeReportId())
				.orElseThrow(() -> new InvalidInput("returneeReportId", "returnee.notFound"));
			user.requireCovers(reportPath);
			returnees = Math.max(returnees, 1);
		}
		String symptomsNote = limit(report.symptomsNote(), 200, "symptomsNote");
		String note = limit(report.note(), 200, "note");
		List<Newcomer> newcomers = report.newcomers() == null ? List.of()
				: report.newcomers()
					.stream()
					.filter(n -> n != null && !(blank(n.name()) && blank(n.idNumber()) && blank(n.phone())))
					.toList();
		if (newcomers.size() > 10) {
			throw new InvalidInput("newcomers", "screening.newcomers.tooMany");
		}
		if (outcome != Outcome.AT_HOME && (!newcomers.isEmpty() || Boolean.TRUE.equals(report.symptoms()))) {
			// Nobody answered (or nobody talked): there is nobody to have found.
			throw new InvalidInput("outcome", "screening.outcome.nothingFound");
		}
		List<Object[]> people = new ArrayList<>();
		for (int i = 0; i < newcomers.size(); i++) {
			people.add(validNewcomer(newcomers.get(i), i));
		}
		Instant now = this.clock.instant();
		long attemptId = this.jdbc
			.sql("""
					insert into screening_attempt (visit_id, idempotency_key, outcome, visited_at, account_id, symptoms,
					    symptoms_note, returnees, returnee_report_id, letter_signed, note)
					values (:visit, :key, :outcome, :at, :account, :symptoms, :symptomsNote, :returnees, :report, :letter, :note)
					returning id""")
			.param("visit", visit.id())
			.param("key", key)
			.param("outcome", outcome.name())
			.param("at", Timestamp.from(now))
			.param("account", user.accountId())
			.param("symptoms", outcome == Outcome.AT_HOME ? report.symptoms() : null)
			.param("symptomsNote", symptomsNote)
			.param("returnees", returnees)
			.param("report", report.returneeReportId())
			.param("letter", outcome == Outcome.AT_HOME && Boolean.TRUE.equals(report.letterSigned()))
			.param("note", note)
			.query(Long.class)
			.single();
		for (Object[] person : people) {
			this.jdbc
				.sql("""
						insert into screening_newcomer (attempt_id, visit_id, path, name, id_type, id_cipher, id_hash, id_masked,
						    phone_cipher, phone_masked)
						values (:attempt, :visit, :path, :name, :idType, :idCipher, :idHash, :idMasked, :phoneCipher, :phoneMasked)""")
				.param("attempt", attemptId)
				.param("visit", visit.id())
				.param("path", visit.path())
				.param("name", person[0])
				.param("idType", person[1])
				.param("idCipher", person[2])
				.param("idHash", person[3])
				.param("idMasked", person[4])
				.param("phoneCipher", person[5])
				.param("phoneMasked", person[6])
				.update();
		}
		summarise(visit.id());
		return new Recorded(attemptId, false, door(user, campaignId, householdId));
	}

	/**
	 * The door's state from all its attempts: the outcome, symptoms and the one who
	 * concluded come from the latest conclusive attempt (else "nobody home" if anyone
	 * knocked); a letter signed once stays signed; returnees are the most any one
	 * conversation found (two workers hearing of the same returnee are not two
	 * returnees).
	 */
	private void summarise(long visitId) {
		this.jdbc
			.sql("""
					update screening_visit v set
					    attempts = s.attempts,
					    outcome = coalesce(c.outcome, case when s.attempts > 0 then 'NOBODY_HOME' end),
					    symptoms = c.symptoms,
					    concluded_by = c.account_id,
					    returnees = s.returnees,
					    letter_signed = s.letter_signed,
					    last_visited_at = s.last_visited_at
					from (select count(*) as attempts, coalesce(max(returnees), 0) as returnees,
					             coalesce(bool_or(letter_signed), false) as letter_signed, max(visited_at) as last_visited_at
					      from screening_attempt where visit_id = :visit) s
					left join lateral (select outcome, symptoms, account_id from screening_attempt
					                   where visit_id = :visit and outcome in ('AT_HOME', 'REFUSED')
					                   order by visited_at desc, id desc limit 1) c on true
					where v.id = :visit""")
			.param("visit", visitId)
			.update();
	}

	private Object[] validNewcomer(Newcomer person, int index) {
		String name = FullWidth.clean(person.name());
		if (name.isEmpty() || name.length() > 50) {
			throw new InvalidInput("newcomers[" + index + "].name", "screening.newcomer.name");
		}
		String idText = FullWidth.clean(person.idNumber());
		String idType = null;
		byte[] idCipher = null;
		byte[] idHash = null;
		String idMasked = null;
		if (!idText.isEmpty()) {
			IdType type = blank(person.idType()) ? IdType.RESIDENT_ID : IdType.fromLabel(person.idType())
				.orElseThrow(() -> new InvalidInput("newcomers[" + index + "].idType", "returnee.idType.unknown"));
			String number;
			if (type == IdType.RESIDENT_ID) {
				try {
					number = IdNumber.of(idText.length() > 40 ? idText.substring(0, 40) : idText).value();
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidInput("newcomers[" + index + "].idNumber", ex.getMessage());
				}
				idMasked = new IdNumber(number).masked();
			}
			else {
				number = IdType.normalizeOther(idText)
					.orElseThrow(
							() -> new InvalidInput("newcomers[" + index + "].idNumber", "returnee.idNumber.other"));
				idMasked = IdNumber.mask(number);
			}
			idType = type.name();
			idCipher = this.protection.encrypt(number);
			idHash = this.protection.lookupHash(type.name() + ":" + number);
		}
		String phoneText = FullWidth.clean(person.phone());
		byte[] phoneCipher = null;
		String phoneMasked = null;
		if (!phoneText.isEmpty()) {
			PhoneNumber phone = PhoneNumber.parse(phoneText.length() > 30 ? phoneText.substring(0, 30) : phoneText)
				.orElseThrow(
						() -> new InvalidInput("newcomers[" + index + "].phone", "resident.phone.invalid", phoneText));
			phoneCipher = this.protection.encrypt(phone.value());
			phoneMasked = phone.masked();
		}
		return new Object[] { name, idType, idCipher, idHash, idMasked, phoneCipher, phoneMasked };
	}

	private String visitPath(long campaignId, long householdId) {
		return this.jdbc.sql("select path from screening_visit where campaign_id = :c and household_id = :h")
			.param("c", campaignId)
			.param("h", householdId)
			.query(String.class)
			.single();
	}

	private static boolean blank(String text) {
		return FullWidth.clean(text).isEmpty();
	}

	private static String limit(String text, int max, String field) {
		String clean = FullWidth.clean(text);
		if (clean.length() > max) {
			throw new InvalidInput(field, "returnee.tooLong", max);
		}
		return clean.isEmpty() ? null : clean;
	}

}
