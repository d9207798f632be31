package org.fangxian.tracing.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.audit.AuditEvent;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentService;
import org.fangxian.registry.ResidentView;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.DateBounds;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PersonNames;
import org.fangxian.shared.PhoneNumber;
import org.fangxian.tracing.Candidate;
import org.fangxian.tracing.Candidate.Reason;
import org.fangxian.tracing.ContactCategory;
import org.fangxian.tracing.ReasonKind;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The tracer's work on a case: the candidates the records give, the decisions (close 密接,
 * secondary 次密接, not a contact) with their reason, people added by hand, the contacts of
 * close contacts, the quarantine of everyone decided (through containment) and the
 * tracing list as a spreadsheet. Candidates living outside the user's jurisdiction are
 * left out (and counted); every view is audited; names are masked and numbers shown only
 * through an audited reveal.
 */
@Service
public class TracingWork {

	private final JdbcClient jdbc;

	private final CaseBook cases;

	private final ContactFinder finder;

	private final ResidentDirectory directory;

	private final ResidentService residents;

	private final Quarantines quarantines;

	private final PersonalDataProtection protection;

	private final TracingRules rules;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	TracingWork(JdbcClient jdbc, CaseBook cases, ContactFinder finder, ResidentDirectory directory,
			ResidentService residents, Quarantines quarantines, PersonalDataProtection protection, TracingRules rules,
			ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.cases = cases;
		this.finder = finder;
		this.directory = directory;
		this.residents = residents;
		this.quarantines = quarantines;
		this.protection = protection;
		this.rules = rules;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Candidates inside the user's jurisdiction, and how many were left out as outside
	 * it.
	 */
	public record Candidates(List<Candidate> candidates, int outside) {
	}

	/**
	 * The contacts of a case living inside the user's jurisdiction, and how many were
	 * left out as living outside it (decided by a tracer of a wider jurisdiction, or
	 * moved out since).
	 */
	public record Contacts(List<Contact> contacts, int outside) {
	}

	/** A decided (or hand-added, still undecided) contact of a case. */
	public record Contact(long id, Long residentId, String name, String address, String idMasked, String phoneMasked,
			ContactCategory category, String reason, Long viaContactId, String viaName, LocalDate contactOn,
			String quarantineKind, Instant quarantinedAt, Instant decidedAt) {
	}

	/**
	 * The tracer's decision on a resident or on someone added by hand
	 * ({@code contactId}).
	 */
	public record Decision(Long residentId, Long contactId, String category, String reason, Long viaContactId,
			LocalDate contactOn) {
	}

	/** Someone not in the registry (a courier, a visitor), added by hand. */
	public record ManualPerson(String name, String phone, String idNumber, String category, String reason,
			LocalDate contactOn) {
	}

	public record Revealed(String name, String idNumber, String phone) {
	}

	private LocalDate today() {
		return LocalDate.now(this.clock);
	}

	// ------------------------------------------------------------------ candidates

	@Transactional
	public Candidates candidates(CurrentUser user, long caseId) {
		CaseRecord record = this.cases.readable(user, caseId);
		Candidates found = candidatesOf(user, record.id(), record.residentId(),
				record.anchor().minus(this.rules.lookBack()), record.exposureEnd(), List.of(record.residentId()), null);
		this.events.publishEvent(AuditEvent.of(user, "CASE_CANDIDATES_VIEWED", "tracing_case", caseId,
				found.candidates().size() + " candidates, " + found.outside() + " outside the jurisdiction"));
		return found;
	}

	/**
	 * Contacts of a close contact (次密接 candidates): the people near them from their
	 * contact with the case until they were quarantined (or now).
	 */
	@Transactional
	public Candidates candidatesOfContact(CurrentUser user, long caseId, long contactId) {
		CaseRecord record = this.cases.readable(user, caseId);
		Contact contact = contact(record.id(), contactId);
		if (contact.residentId() == null || contact.category() != ContactCategory.CLOSE) {
			throw new InvalidInput("contactId", "tracing.contact.notClose");
		}
		Instant from = contact.contactOn().atStartOfDay(this.clock.getZone()).toInstant();
		Instant to = contact.quarantinedAt() != null ? contact.quarantinedAt() : this.clock.instant();
		Candidates found = candidatesOf(user, record.id(), contact.residentId(), from, to,
				List.of(record.residentId(), contact.residentId()), contactId);
		this.events.publishEvent(AuditEvent.of(user, "CONTACT_CANDIDATES_VIEWED", "tracing_contact", contactId,
				found.candidates().size() + " candidates"));
		return found;
	}

	/**
	 * @param via the close contact whose contacts these are; null for the case's own
	 */
	Candidates candidatesOf(CurrentUser user, long caseId, long subjectId, Instant from, Instant to,
			List<Long> leaveOut, Long via) {
		Long household = this.directory.byId(subjectId)
			.map(ResidentDirectory.ResidentSnapshot::householdId)
			.orElse(null);
		ContactFinder.Found found = this.finder.find(subjectId, household, from, to);
		Map<Long, ResidentDirectory.Listing> people = new HashMap<>();
		this.directory.listings(found.residents().keySet()).forEach(l -> people.put(l.id(), l));
		Map<Long, Placed> decided = new HashMap<>();
		List<Candidate> list = new ArrayList<>();
		for (Placed placed : contacts(caseId)) {
			Contact contact = placed.contact();
			if (contact.residentId() != null) {
				decided.put(contact.residentId(), placed);
			}
			else if (java.util.Objects.equals(contact.viaContactId(), via)) {
				list.add(new Candidate(null, contact.name(), "",
						List.of(new Reason(ReasonKind.MANUAL, contact.reason(),
								contact.contactOn().atStartOfDay(this.clock.getZone()).toInstant())),
						contact.id(), contact.category()));
			}
		}
		int outside = 0;
		for (Map.Entry<Long, List<Reason>> entry : found.residents().entrySet()) {
			ResidentDirectory.Listing person = people.get(entry.getKey());
			if (person == null || leaveOut.contains(entry.getKey())) {
				continue;
			}
			// decided already, maybe by a tracer of a wider jurisdiction: listed here or
			// counted, once
			Placed placed = decided.remove(entry.getKey());
			if (!user.covers(person.path())) {
				outside++;
				continue;
			}
			Contact contact = placed == null ? null : placed.contact();
			list.add(new Candidate(person.id(), PersonNames.mask(person.name()), person.address(), entry.getValue(),
					contact == null ? null : contact.id(), contact == null ? null : contact.category()));
		}
		// residents added by hand, whom the records did not put near the person
		for (Placed placed : decided.values()) {
			Contact contact = placed.contact();
			if (!java.util.Objects.equals(contact.viaContactId(), via)) {
				continue;
			}
			if (!user.covers(placed.path())) {
				outside++;
			}
			else {
				list.add(new Candidate(contact.residentId(), contact.name(), contact.address(),
						List.of(new Reason(ReasonKind.MANUAL, contact.reason(),
								contact.contactOn().atStartOfDay(this.clock.getZone()).toInstant())),
						contact.id(), contact.category()));
			}
		}
		for (ContactFinder.Outsider outsider : found.outsiders()) {
			list.add(new Candidate(null, outsider.name(), outsider.phoneMasked() == null ? "" : outsider.phoneMasked(),
					List.of(outsider.reason()), null, null));
		}
		// the strongest reason first (household, tube, gate...), then the latest contact
		list.sort(Comparator
			.comparingInt((Candidate c) -> c.reasons().stream().mapToInt(r -> r.kind().ordinal()).min().orElse(99))
			.thenComparing(Candidate::lastAt, Comparator.nullsLast(Comparator.reverseOrder())));
		return new Candidates(list, outside);
	}

	// ------------------------------------------------------------------ decisions

	@Transactional
	public long decide(CurrentUser user, long caseId, Decision decision) {
		CaseRecord record = this.cases.readable(user, caseId);
		DateBounds.require("contactOn", decision.contactOn());
		ContactCategory category = CaseBook.parse(ContactCategory.class, decision.category(), "category", null);
		String reason = text("reason", decision.reason(), 300, true);
		Long via = decision.viaContactId();
		if (via != null) {
			Contact close = contact(caseId, via);
			if (close.category() != ContactCategory.CLOSE || category == ContactCategory.CLOSE) {
				throw new InvalidInput("viaContactId", "tracing.contact.viaNotClose");
			}
		}
		if (decision.residentId() == null) {
			if (decision.contactId() == null) {
				throw new InvalidInput("residentId", "tracing.field.required");
			}
			// someone added by hand: the decision is taken on that row
			contact(caseId, decision.contactId());
			this.jdbc.sql("""
					update tracing_contact set category = :category, reason = :reason, via_contact_id = :via,
					       contact_on = coalesce(:on, contact_on), decided_by = :by, decided_at = now()
					where id = :id and case_id = :case and resident_id is null""")
				.param("category", category.name())
				.param("reason", reason)
				.param("via", via)
				.param("on", decision.contactOn() == null ? null : Date.valueOf(decision.contactOn()))
				.param("by", user.accountId())
				.param("id", decision.contactId())
				.param("case", caseId)
				.update();
			audit(user, decision.contactId(), category);
			return decision.contactId();
		}
		if (decision.residentId() == record.residentId()) {
			throw new InvalidInput("residentId", "tracing.contact.isTheCase");
		}
		ResidentDirectory.Listing person = this.directory.listings(List.of(decision.residentId()))
			.stream()
			.filter(p -> user.covers(p.path()))
			.findFirst()
			.orElseThrow(() -> new InvalidInput("residentId", "tracing.contact.unknownResident"));
		LocalDate on = decision.contactOn() != null ? decision.contactOn()
				: lastContact(user, record, via, person.id());
		long id = this.jdbc.sql("""
				insert into tracing_contact (case_id, resident_id, via_contact_id, path, name, id_masked, phone_masked,
				                             category, reason, contact_on, decided_by)
				values (:case, :resident, :via, :path, :name, :idMasked, :phoneMasked, :category, :reason, :on, :by)
				on conflict (case_id, resident_id) where resident_id is not null do update
				set category = excluded.category, reason = excluded.reason, via_contact_id = excluded.via_contact_id,
				    contact_on = excluded.contact_on, decided_by = excluded.decided_by, decided_at = now()
				returning id""")
			.param("case", caseId)
			.param("resident", person.id())
			.param("via", via)
			.param("path", person.path())
			.param("name", person.name())
			.param("idMasked", person.idMasked())
			.param("phoneMasked", person.phoneMasked())
			.param("category", category.name())
			.param("reason", reason)
			.param("on", Date.valueOf(on))
			.param("by", user.accountId())
			.query(Long.class)
			.single();
		audit(user, id, category);
		return id;
	}

	private void audit(CurrentUser user, long contactId, ContactCategory category) {
		this.events.publishEvent(AuditEvent.of(user, "CONTACT_DECIDED", "tracing_contact", contactId, category.name()));
	}

	/**
	 * The day of the last contact the records show: for a case's contact, the latest
	 * reason with a time (a household member: the day the case was isolated); for a
	 * secondary, the close contact's day.
	 */
	private LocalDate lastContact(CurrentUser user, CaseRecord record, Long via, long residentId) {
		if (via != null) {
			return contact(record.id(), via).contactOn();
		}
		Long household = this.directory.byId(record.residentId())
			.map(ResidentDirectory.ResidentSnapshot::householdId)
			.orElse(null);
		List<Reason> reasons = this.finder
			.find(record.residentId(), household, record.anchor().minus(this.rules.lookBack()), record.exposureEnd())
			.residents()
			.getOrDefault(residentId, List.of());
		Instant last = reasons.stream()
			.map(r -> r.at() == null ? record.exposureEnd() : r.at())
			.max(Instant::compareTo)
			.orElse(record.exposureEnd());
		return LocalDate.ofInstant(last, this.clock.getZone());
	}

	@Transactional
	public long addManual(CurrentUser user, long caseId, ManualPerson person) {
		CaseRecord record = this.cases.readable(user, caseId);
		DateBounds.require("contactOn", person.contactOn());
		String name = text("name", person.name(), 50, true);
		String reason = text("reason", person.reason(), 300, true);
		ContactCategory category = person.category() == null || person.category().isBlank() ? null
				: CaseBook.parse(ContactCategory.class, person.category(), "category", null);
		PhoneNumber phone = null;
		if (person.phone() != null && !person.phone().isBlank()) {
			phone = PhoneNumber.parse(person.phone())
				.orElseThrow(() -> new InvalidInput("phone", "tracing.manual.phone"));
		}
		String idNumber = null;
		if (person.idNumber() != null && !person.idNumber().isBlank()) {
			IdNumberCheck check = IdNumber.check(person.idNumber(), today());
			if (!check.valid()) {
				throw new InvalidInput("idNumber", check.reason());
			}
			idNumber = check.normalized();
		}
		LocalDate on = person.contactOn() != null ? person.contactOn()
				: LocalDate.ofInstant(record.exposureEnd(), this.clock.getZone());
		long id = this.jdbc
			.sql("""
					insert into tracing_contact (case_id, path, name, id_cipher, id_masked, phone_cipher, phone_masked, category,
					                             reason, contact_on, decided_by)
					values (:case, :path, :name, :idCipher, :idMasked, :phoneCipher, :phoneMasked, :category, :reason, :on, :by)
					returning id""")
			.param("case", caseId)
			.param("path", record.path())
			.param("name", name)
			.param("idCipher", idNumber == null ? null : this.protection.encrypt(idNumber))
			.param("idMasked", idNumber == null ? null : IdNumber.mask(idNumber))
			.param("phoneCipher", phone == null ? null : this.protection.encrypt(phone.value()))
			.param("phoneMasked", phone == null ? null : phone.masked())
			.param("category", category == null ? null : category.name())
			.param("reason", reason)
			.param("on", Date.valueOf(on))
			.param("by", user.accountId())
			.query(Long.class)
			.single();
		this.events.publishEvent(AuditEvent.of(user, "CONTACT_ADDED", "tracing_contact", id, "by hand"));
		return id;
	}

	static String text(String field, String raw, int max, boolean required) {
		String value = raw == null ? "" : FullWidth.clean(raw).strip();
		if (value.isEmpty()) {
			if (required) {
				throw new InvalidInput(field, "tracing.field.required");
			}
			return null;
		}
		if (value.length() > max) {
			throw new InvalidInput(field, "tracing.field.tooLong", max);
		}
		return value;
	}

	// ------------------------------------------------------------------ contacts

	private static final String CONTACTS = """
			select c.id, c.resident_id, c.name, c.path, c.id_masked, c.phone_masked, c.category, c.reason, c.via_contact_id,
			       v.name as via_name, c.contact_on, c.quarantine_kind, c.quarantined_at, c.decided_at
			from tracing_contact c left join tracing_contact v on v.id = c.via_contact_id
			""";

	/**
	 * A contact and where they live: a resident's home now (they may have moved since the
	 * decision), else the place stored with the contact (the case's, for someone added by
	 * hand). Who may see the contact is decided by it.
	 */
	record Placed(Contact contact, String path) {
	}

	private Placed mapContact(java.sql.ResultSet rs, Map<Long, ResidentDirectory.Listing> people)
			throws java.sql.SQLException {
		Long resident = rs.getObject("resident_id", Long.class);
		ResidentDirectory.Listing person = resident == null ? null : people.get(resident);
		String category = rs.getString("category");
		String via = rs.getString("via_name");
		Contact contact = new Contact(rs.getLong("id"), resident, PersonNames.mask(rs.getString("name")),
				person == null ? "" : person.address(), rs.getString("id_masked"), rs.getString("phone_masked"),
				category == null ? null : ContactCategory.valueOf(category), rs.getString("reason"),
				rs.getObject("via_contact_id", Long.class), via == null ? null : PersonNames.mask(via),
				rs.getDate("contact_on").toLocalDate(), rs.getString("quarantine_kind"),
				CaseBook.instant(rs, "quarantined_at"), CaseBook.instant(rs, "decided_at"));
		return new Placed(contact, person == null ? rs.getString("path") : person.path());
	}

	List<Placed> contacts(long caseId) {
		List<Long> residents = this.jdbc
			.sql("select resident_id from tracing_contact where case_id = :case and resident_id is not null")
			.param("case", caseId)
			.query(Long.class)
			.list();
		Map<Long, ResidentDirectory.Listing> people = new HashMap<>();
		this.directory.listings(residents).forEach(l -> people.put(l.id(), l));
		return this.jdbc.sql(CONTACTS + "where c.case_id = :case order by c.category nulls first, c.id")
			.param("case", caseId)
			.query((rs, n) -> mapContact(rs, people))
			.list();
	}

	private Contact contact(long caseId, long contactId) {
		return this.jdbc.sql(CONTACTS + "where c.case_id = :case and c.id = :id")
			.param("case", caseId)
			.param("id", contactId)
			.query((rs, n) -> mapContact(rs, Map.of()).contact())
			.optional()
			.orElseThrow(() -> new NotFound("tracing.contact.notFound"));
	}

	@Transactional
	public Contacts contacts(CurrentUser user, long caseId) {
		this.cases.readable(user, caseId);
		List<Contact> contacts = new ArrayList<>();
		int outside = 0;
		for (Placed placed : contacts(caseId)) {
			if (user.covers(placed.path())) {
				contacts.add(placed.contact());
			}
			else {
				outside++;
			}
		}
		this.events.publishEvent(AuditEvent.of(user, "CASE_CONTACTS_VIEWED", "tracing_case", caseId,
				contacts.size() + " contacts, " + outside + " outside the jurisdiction"));
		return new Contacts(contacts, outside);
	}

	/**
	 * Full ID number and phone of one contact; audited as a reveal (by the registry for a
	 * resident).
	 */
	@Transactional
	public Revealed reveal(CurrentUser user, long caseId, long contactId) {
		user.require(Permission.REVEAL_PERSONAL_DATA);
		this.cases.readable(user, caseId);
		Contact contact = contact(caseId, contactId);
		if (contact.residentId() != null) {
			ResidentView view = this.residents.reveal(user, contact.residentId());
			return new Revealed(view.name(), view.idNumber(), view.phone());
		}
		record Secret(String name, byte[] id, byte[] phone) {
		}
		Secret secret = this.jdbc
			.sql("select name, id_cipher as id, phone_cipher as phone from tracing_contact where id = :id")
			.param("id", contactId)
			.query(Secret.class)
			.single();
		this.events.publishEvent(
				AuditEvent.of(user, "CONTACT_REVEALED", "tracing_contact", contactId, "id number and phone shown"));
		return new Revealed(secret.name(), secret.id() == null ? null : this.protection.decrypt(secret.id()),
				secret.phone() == null ? null : this.protection.decrypt(secret.phone()));
	}

	// ------------------------------------------------------------------ quarantine

	/**
	 * Quarantines every decided close and secondary contact not yet quarantined, from the
	 * day of their contact: close contacts centralised or at home as chosen, secondary
	 * contacts at home, for the days and with the test days of the rules. People outside
	 * the user's jurisdiction, people not in the registry and people already under
	 * quarantine are left for whoever is responsible.
	 * @return how many quarantines were started now
	 */
	@Transactional
	public int quarantine(CurrentUser user, long caseId, String rawKind) {
		CaseRecord record = this.cases.readable(user, caseId);
		Quarantines.Kind closeKind = CaseBook.parse(Quarantines.Kind.class, rawKind, "kind", null);
		if (closeKind == Quarantines.Kind.MONITORING) {
			throw new InvalidInput("kind", "tracing.field.invalid", rawKind);
		}
		Map<Long, String> addresses = new HashMap<>();
		int started = 0;
		for (Placed placed : contacts(caseId)) {
			Contact contact = placed.contact();
			if (contact.residentId() == null || contact.quarantinedAt() != null || contact.category() == null
					|| contact.category() == ContactCategory.NONE) {
				continue;
			}
			// where the resident lives now: someone who moved out is for the new place
			if (!user.covers(placed.path())) {
				continue;
			}
			boolean close = contact.category() == ContactCategory.CLOSE;
			Quarantines.Kind kind = close ? closeKind : Quarantines.Kind.HOME;
			String address = addresses.computeIfAbsent(contact.residentId(),
					id -> this.directory.listings(List.of(id))
						.stream()
						.findFirst()
						.map(ResidentDirectory.Listing::address)
						.filter(a -> !a.isBlank())
						.orElse("本人住所"));
			String reason = close
					? "病例 #" + caseId + " 的密接"
							+ (this.rules.closeMonitoringDays() > 0
									? "；隔离期满后居家健康监测 " + this.rules.closeMonitoringDays() + " 天" : "")
					: "病例 #" + caseId + " 的次密接";
			Optional<Long> quarantine = this.quarantines.startForContact(user,
					new Quarantines.ContactQuarantine(contact.residentId(), kind, reason,
							kind == Quarantines.Kind.CENTRALISED ? "集中隔离点（待转运）" : address, contact.contactOn(),
							close ? this.rules.closeIsolationDays() : this.rules.secondaryIsolationDays(),
							close ? this.rules.closeTestDays() : this.rules.secondaryTestDays()));
			if (quarantine.isPresent()) {
				this.jdbc
					.sql("update tracing_contact set quarantine_kind = :kind, quarantined_at = now() where id = :id")
					.param("kind", kind.name())
					.param("id", contact.id())
					.update();
				started++;
			}
		}
		this.events.publishEvent(AuditEvent.of(user, "CASE_CONTACTS_QUARANTINED", "tracing_case", record.id(),
				started + " started, close contacts " + closeKind));
		return started;
	}

	// ------------------------------------------------------------------ the tracing list

	/**
	 * The tracing list (流调名单) as a tracing team keeps it; masked unless the user may
	 * reveal and asks. People living outside the user's jurisdiction are left out, and a
	 * last line says how many ({@code tracing.export.outside}, its count as {0}).
	 */
	@Transactional
	public byte[] export(CurrentUser user, long caseId, boolean unmasked, Function<String, String> text) {
		if (unmasked) {
			user.require(Permission.REVEAL_PERSONAL_DATA);
		}
		CaseBook.CaseView view = this.cases.withPerson(user, this.cases.readable(user, caseId));
		List<Placed> contacts = contacts(caseId);
		int outside = 0;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			Workbook workbook = new Workbook(out, "Fangxian", "1.0");
			Worksheet sheet = workbook.newWorksheet(text.apply("tracing.export.sheet"));
			String[] heads = { "tracing.export.no", "tracing.export.case", "tracing.export.name",
					"tracing.export.idNumber", "tracing.export.phone", "tracing.export.address",
					"tracing.export.category", "tracing.export.reason", "tracing.export.via",
					"tracing.export.contactOn", "tracing.export.measure", "tracing.export.measureFrom",
					"tracing.export.decidedAt" };
			for (int c = 0; c < heads.length; c++) {
				sheet.value(0, c, text.apply(heads[c]));
				sheet.style(0, c).bold().fillColor("DDDDDD").set();
			}
			int row = 1;
			for (Placed placed : contacts) {
				Contact contact = placed.contact();
				if (contact.category() == null || contact.category() == ContactCategory.NONE) {
					continue;
				}
				if (!user.covers(placed.path())) {
					outside++;
					continue;
				}
				String name = contact.name();
				String id = contact.idMasked();
				String phone = contact.phoneMasked();
				if (unmasked) {
					Revealed revealed = reveal(user, caseId, contact.id());
					name = revealed.name();
					id = revealed.idNumber();
					phone = revealed.phone();
				}
				sheet.value(row, 0, row);
				sheet.value(row, 1, "#" + caseId + " " + view.name());
				sheet.value(row, 2, name);
				sheet.value(row, 3, id == null ? "" : id);
				sheet.value(row, 4, phone == null ? "" : phone);
				sheet.value(row, 5, contact.address());
				sheet.value(row, 6, text.apply("tracing.category." + contact.category()));
				sheet.value(row, 7, contact.reason());
				sheet.value(row, 8, contact.viaName() == null ? "" : contact.viaName());
				sheet.value(row, 9, contact.contactOn().toString());
				sheet.value(row, 10, contact.quarantineKind() == null ? ""
						: text.apply("quarantine.kind." + contact.quarantineKind()));
				sheet.value(row, 11, contact.quarantinedAt() == null ? ""
						: LocalDate.ofInstant(contact.quarantinedAt(), this.clock.getZone()).toString());
				sheet.value(row, 12,
						java.time.format.DateTimeFormatter.ofPattern("M月d日 HH:mm")
							.withZone(this.clock.getZone())
							.format(contact.decidedAt()));
				row++;
			}
			if (outside > 0) {
				sheet.value(row + 1, 0, java.text.MessageFormat.format(text.apply("tracing.export.outside"), outside));
			}
			workbook.finish();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.events.publishEvent(AuditEvent.of(user, "CASE_CONTACTS_EXPORTED", "tracing_case", caseId,
				contacts.size() - outside + " rows" + (unmasked ? ", unmasked" : ", masked") + ", " + outside
						+ " outside the jurisdiction left out"));
		return out.toByteArray();
	}

	// ------------------------------------------------------------------ the chain

	/**
	 * One person of the chain graph; {@code category}: 0 case, 1 close contact, 2
	 * secondary contact.
	 */
	public record GraphNode(String id, String name, int category, Long caseId) {
	}

	public record GraphLink(String source, String target) {
	}

	public record Graph(List<GraphNode> nodes, List<GraphLink> links, int cases, int close, int secondary) {
	}

	/**
	 * Cases within the user's jurisdiction and their decided contacts, as one graph: a
	 * person who is a contact of two cases, or a contact who became a case, is one node.
	 */
	@Transactional
	public Graph chain(CurrentUser user) {
		user.require(Permission.MANAGE_TRACING);
		List<CaseRecord> records = this.jdbc.sql(CaseBook.SELECT + """
				where tracing_case.path ~>=~ :from and tracing_case.path ~<~ :to order by id limit 500""")
			.param("from", user.scopePath())
			.param("to", CaseBook.scopeEnd(user.scopePath()))
			.query((rs, n) -> CaseBook.map(rs))
			.list();
		Map<String, GraphNode> nodes = new LinkedHashMap<>();
		Map<Long, String> caseNodes = new HashMap<>();
		for (CaseBook.CaseView view : this.cases.withPeople(user, records)) {
			String key = "r" + view.record().residentId();
			caseNodes.put(view.record().id(), key);
			nodes.put(key, new GraphNode(key, view.name(), 0, view.record().id()));
		}
		List<GraphLink> links = new ArrayList<>();
		int close = 0;
		int secondary = 0;
		if (!records.isEmpty()) {
			record Row(long id, long caseId, Long residentId, Long viaContactId, String name, String category) {
			}
			List<Row> rows = this.jdbc.sql("""
					select id, case_id, resident_id, via_contact_id, name, category from tracing_contact
					where case_id in (:cases) and category in ('CLOSE', 'SECONDARY') order by id""")
				.param("cases", records.stream().map(CaseRecord::id).toList())
				.query(Row.class)
				.list();
			Map<Long, String> contactNodes = new HashMap<>();
			for (Row row : rows) {
				String key = row.residentId() != null ? "r" + row.residentId() : "m" + row.id();
				contactNodes.put(row.id(), key);
				int category = row.category().equals("CLOSE") ? 1 : 2;
				GraphNode existing = nodes.get(key);
				if (existing == null || (existing.category() != 0 && category < existing.category())) {
					nodes.put(key, new GraphNode(key, PersonNames.mask(row.name()), category, null));
				}
			}
			for (Row row : rows) {
				String from = row.viaContactId() != null && contactNodes.containsKey(row.viaContactId())
						? contactNodes.get(row.viaContactId()) : caseNodes.get(row.caseId());
				links.add(new GraphLink(from, contactNodes.get(row.id())));
			}
			for (GraphNode node : nodes.values()) {
				close += node.category() == 1 ? 1 : 0;
				secondary += node.category() == 2 ? 1 : 0;
			}
		}
		this.events.publishEvent(
				AuditEvent.of(user, "TRACING_CHAIN_VIEWED", "division_node", user.nodeId(), records.size() + " cases"));
		return new Graph(new ArrayList<>(nodes.values()), links, records.size(), close, secondary);
	}

}
