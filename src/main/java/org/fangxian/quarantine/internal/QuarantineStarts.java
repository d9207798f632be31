package org.fangxian.quarantine.internal;

import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.fangxian.audit.AuditEvent;
import org.fangxian.notification.Outbox;
import org.fangxian.quarantine.Quarantines.ContactQuarantine;
import org.fangxian.quarantine.Quarantines.Kind;
import org.fangxian.quarantine.Quarantines.NewQuarantine;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.DateBounds;
import org.fangxian.shared.FreeText;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starting a quarantine: a worker's of a person or a household, or flow tracing's of a
 * confirmed contact. Each person started is texted their check-in link.
 */
@Service
public class QuarantineStarts {

	/** Days in texts as residents write them: 12月16日. */
	private static final DateTimeFormatter SMS_DAY = DateTimeFormatter.ofPattern("M月d日");

	private final JdbcClient jdbc;

	private final ResidentDirectory directory;

	private final ApplicationEventPublisher events;

	private final Outbox outbox;

	private final CheckInLinks links;

	private final QuarantineBook book;

	private final int defaultDays;

	QuarantineStarts(JdbcClient jdbc, ResidentDirectory directory, ApplicationEventPublisher events, Outbox outbox,
			CheckInLinks links, QuarantineBook book, @Value("${fangxian.quarantine.default-days:14}") int defaultDays) {
		this.jdbc = jdbc;
		this.directory = directory;
		this.events = events;
		this.outbox = outbox;
		this.links = links;
		this.book = book;
		this.defaultDays = defaultDays;
	}

	/**
	 * @return the quarantines started: one, or one per living member of the household
	 */
	@Transactional
	public List<Long> start(CurrentUser user, NewQuarantine form) {
		user.require(Permission.MANAGE_CONTAINMENT);
		List<ResidentSnapshot> people;
		if (form.residentId() != null) {
			ResidentSnapshot person = this.directory.byId(form.residentId())
				.orElseThrow(() -> new NotFound("resident.notFound"));
			user.requireCovers(person.path());
			people = List.of(person);
		}
		else if (form.householdId() != null) {
			people = this.directory.household(form.householdId());
			if (people.isEmpty()) {
				throw new InvalidInput("householdId", "quarantine.household.empty");
			}
			people.forEach(p -> user.requireCovers(p.path()));
		}
		else {
			throw new InvalidInput("residentId", "quarantine.person.required");
		}
		Kind kind;
		try {
			kind = Kind.valueOf(form.kind() == null ? "HOME" : form.kind().trim().toUpperCase());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("kind", "quarantine.kind.invalid");
		}
		String reason = FreeText.required("reason", form.reason(), 300);
		String place = FreeText.required("place", form.place(), 300);
		LocalDate today = this.book.today();
		LocalDate starts = form.startsOn() == null ? today : form.startsOn();
		if (starts.isBefore(today.minusDays(14)) || starts.isAfter(today.plusDays(7))) {
			throw new InvalidInput("startsOn", "quarantine.start.outOfRange");
		}
		LocalDate ends;
		if (form.endsOn() != null) {
			ends = DateBounds.require("endsOn", form.endsOn());
			if (!ends.isAfter(starts)) {
				throw new InvalidInput("endsOn", "quarantine.end.beforeStart");
			}
		}
		else {
			int days = form.days() == null ? this.defaultDays : form.days();
			if (days < 1 || days > 60) {
				throw new InvalidInput("days", "quarantine.days.range");
			}
			ends = starts.plusDays(days);
		}
		Integer[] testDays = parseTestDays(form.testDays(), (int) (ends.toEpochDay() - starts.toEpochDay()));
		List<Long> ids = new ArrayList<>();
		for (ResidentSnapshot person : people) {
			try {
				long id = this.jdbc
					.sql("""
							insert into quarantine (resident_id, household_id, path, kind, reason, place, starts_on, ends_on,
							                        test_days, created_by)
							values (:resident, :household, :path, :kind, :reason, :place, :starts, :ends, :tests, :account)
							returning id""")
					.param("resident", person.id())
					.param("household", person.householdId())
					.param("path", person.path())
					.param("kind", kind.name())
					.param("reason", reason)
					.param("place", place)
					.param("starts", Date.valueOf(starts))
					.param("ends", Date.valueOf(ends))
					.param("tests", testDays)
					.param("account", user.accountId())
					.query(Long.class)
					.single();
				ids.add(id);
				// the person checks in through their own link; a family sharing a phone
				// gets one text each
				this.directory.contact(person.id())
					.ifPresent(contact -> this.outbox.queue(new Outbox.Sms("containment:quarantine:" + id + ":start",
							contact.phone(), "sms.containment.quarantine",
							List.of(new DefaultMessageSourceResolvable("quarantine.kind." + kind),
									SMS_DAY.format(starts), place, SMS_DAY.format(ends),
									this.outbox.link("/q/" + this.links.token(id))),
							person.path())));
				this.events.publishEvent(AuditEvent.of(user, "QUARANTINE_START", "resident", person.id(),
						kind + " " + starts + ".." + ends));
			}
			catch (DuplicateKeyException ex) {
				throw new InvalidInput("residentId", "quarantine.alreadyOpen", person.maskedName());
			}
		}
		return ids;
	}

	/**
	 * Starts the quarantine of a confirmed contact, for whoever traces cases (or runs
	 * containment) in the person's jurisdiction. Nothing happens to someone already under
	 * an open quarantine, or whose quarantine counted from the contact would already be
	 * over: the answer is then empty, so asking twice starts it once.
	 */
	@Transactional
	public Optional<Long> startForContact(CurrentUser user, ContactQuarantine form) {
		if (!user.can(Permission.MANAGE_TRACING)) {
			user.require(Permission.MANAGE_CONTAINMENT);
		}
		ResidentSnapshot person = this.directory.byId(form.residentId())
			.orElseThrow(() -> new NotFound("resident.notFound"));
		user.requireCovers(person.path());
		if (form.kind() == Kind.MONITORING || form.days() < 1 || form.days() > 60) {
			throw new InvalidInput("kind", "quarantine.kind.invalid");
		}
		LocalDate ends = form.startsOn().plusDays(form.days());
		if (!ends.isAfter(this.book.today())) {
			return Optional.empty();
		}
		Integer[] testDays = form.testDays()
			.stream()
			.filter(d -> d >= 1 && d <= form.days())
			.distinct()
			.sorted()
			.toArray(Integer[]::new);
		Optional<Long> id = this.jdbc
			.sql("""
					insert into quarantine (resident_id, household_id, path, kind, reason, place, starts_on, ends_on, test_days,
					                        created_by)
					values (:resident, :household, :path, :kind, :reason, :place, :starts, :ends, :tests, :account)
					on conflict (resident_id) where released_at is null do nothing
					returning id""")
			.param("resident", person.id())
			.param("household", person.householdId())
			.param("path", person.path())
			.param("kind", form.kind().name())
			.param("reason", FreeText.required("reason", form.reason(), 300))
			.param("place", FreeText.required("place", form.place(), 300))
			.param("starts", Date.valueOf(form.startsOn()))
			.param("ends", Date.valueOf(ends))
			.param("tests", testDays)
			.param("account", user.accountId())
			.query(Long.class)
			.optional();
		id.ifPresent(quarantine -> {
			this.directory.contact(person.id())
				.ifPresent(
						contact -> this.outbox.queue(new Outbox.Sms("containment:quarantine:" + quarantine + ":start",
								contact.phone(), "sms.containment.quarantine",
								List.of(new DefaultMessageSourceResolvable("quarantine.kind." + form.kind()),
										SMS_DAY.format(form.startsOn()), form.place(), SMS_DAY.format(ends),
										this.outbox.link("/q/" + this.links.token(quarantine))),
								person.path())));
			this.events.publishEvent(AuditEvent.of(user, "QUARANTINE_START", "resident", person.id(),
					form.kind() + " " + form.startsOn() + ".." + ends + " (contact of a case)"));
		});
		return id;
	}

	static Integer[] parseTestDays(String raw, int length) {
		if (raw == null || raw.isBlank()) {
			return new Integer[0];
		}
		try {
			Integer[] days = Arrays.stream(FullWidth.toHalfWidth(raw).split("[,，、\\s]+"))
				.filter(s -> !s.isBlank())
				.map(s -> Integer.valueOf(s.trim()))
				.distinct()
				.sorted()
				.toArray(Integer[]::new);
			for (int day : days) {
				if (day < 1 || day > length) {
					throw new InvalidInput("testDays", "quarantine.testDays.range", length);
				}
			}
			return days;
		}
		catch (NumberFormatException ex) {
			throw new InvalidInput("testDays", "quarantine.testDays.invalid");
		}
	}

}
