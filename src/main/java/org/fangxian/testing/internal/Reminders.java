package org.fangxian.testing.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import org.fangxian.audit.AuditEvent;
import org.fangxian.notification.Outbox;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PhoneNumber;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Remind the missing": one text per missing person through the outbox. A reminder batch
 * is a day of the round (1 = its first day), and the outbox's dedupe key is round + batch
 * + resident, so pressing the button twice, or a street and its community both pressing
 * it, never texts anyone twice a day. A family sharing one phone gets one text.
 */
@Service
public class Reminders {

	static final String TEMPLATE = "sms.testing.reminder";

	private static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("M月d日HH:mm",
			Locale.SIMPLIFIED_CHINESE);

	private final JdbcClient jdbc;

	private final Coverage coverage;

	private final Rounds rounds;

	private final Outbox outbox;

	private final PersonalDataProtection protection;

	private final MessageSource messages;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Reminders(JdbcClient jdbc, Coverage coverage, Rounds rounds, Outbox outbox, PersonalDataProtection protection,
			MessageSource messages, ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.coverage = coverage;
		this.rounds = rounds;
		this.outbox = outbox;
		this.protection = protection;
		this.messages = messages;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * @param queued texts queued now
	 * @param alreadySent missing people (or their phone) already reminded in this batch
	 * @param withoutPhone missing people with no phone on record: for door-knocking
	 */
	public record Outcome(int batch, int missing, int queued, int alreadySent, int withoutPhone) {
	}

	private record Target(long residentId, String path, byte[] phoneCipher, String community, String site) {
	}

	@Transactional
	public Outcome remindMissing(CurrentUser user, long roundId, String place) {
		user.require(Permission.MANAGE_TESTING);
		Round round = this.rounds.get(user, roundId);
		if (!round.open()) {
			throw new InvalidInput("roundId", "testing.round.closed");
		}
		Node node = this.coverage.node(user, round, place);
		ZonedDateTime now = this.clock.instant().atZone(this.clock.getZone());
		LocalDate first = round.startsAt().atZone(this.clock.getZone()).toLocalDate();
		int batch = (int) Math.max(1, ChronoUnit.DAYS.between(first, now.toLocalDate()) + 1);
		String deadline = round.endsAt().isAfter(now.toInstant())
				? DEADLINE.format(round.endsAt().atZone(this.clock.getZone()))
				: this.messages.getMessage("testing.reminder.asap", null, Locale.SIMPLIFIED_CHINESE);
		String anySite = this.messages.getMessage("testing.reminder.nearestSite", null, Locale.SIMPLIFIED_CHINESE);

		int missing = this.jdbc
			.sql("""
					select count(*) from round_member m
					where m.round_id = :round and m.path ~>=~ :from and m.path ~<~ :to and m.state = 'NONE' and m.exempt is null""")
			.param("round", roundId)
			.param("from", node.path())
			.param("to", node.subtreeEnd())
			.query(Integer.class)
			.single();
		// One per phone: the lowest resident id stands for a family sharing it.
		List<Target> targets = this.jdbc
			.sql("""
					select distinct on (r.phone_hash) m.resident_id, m.path, r.phone_cipher,
					       (select c.name from registry_division c
					        where c.id = any (cast(string_to_array(trim(both '/' from m.path), '/') as bigint[])) and c.kind = 'COMMUNITY'
					        limit 1) as community,
					       (select s.name from testing_site s
					        where s.node_id = any (cast(string_to_array(trim(both '/' from m.path), '/') as bigint[]))
					        order by length(s.path) desc, s.id limit 1) as site
					from round_member m join registry_resident r on r.id = m.resident_id
					where m.round_id = :round and m.path ~>=~ :from and m.path ~<~ :to and m.state = 'NONE' and m.exempt is null
					  and r.phone_cipher is not null
					order by r.phone_hash, m.resident_id""")
			.param("round", roundId)
			.param("from", node.path())
			.param("to", node.subtreeEnd())
			.query((rs, n) -> new Target(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getString(4),
					rs.getString(5)))
			.list();
		int withPhone = this.jdbc
			.sql("""
					select count(*) from round_member m join registry_resident r on r.id = m.resident_id
					where m.round_id = :round and m.path ~>=~ :from and m.path ~<~ :to and m.state = 'NONE' and m.exempt is null
					  and r.phone_cipher is not null""")
			.param("round", roundId)
			.param("from", node.path())
			.param("to", node.subtreeEnd())
			.query(Integer.class)
			.single();
		int queued = 0;
		int unusable = 0;
		for (Target target : targets) {
			var phone = PhoneNumber.parse(this.protection.decrypt(target.phoneCipher())).filter(PhoneNumber::mobile);
			if (phone.isEmpty()) {
				unusable++;
				continue;
			}
			String community = target.community() != null ? target.community() : round.nodeName();
			String site = target.site() != null ? target.site() : anySite;
			if (this.outbox.queue(
					new Outbox.Sms("testing:round:" + roundId + ":remind:" + batch + ":resident:" + target.residentId(),
							phone.get(), TEMPLATE, List.of(community, deadline, site), target.path()))) {
				queued++;
			}
		}
		int alreadySent = targets.size() - unusable - queued;
		this.events.publishEvent(AuditEvent.of(user, "TESTING_REMINDERS_QUEUED", "testing_round", roundId,
				"node " + node.id() + ", batch " + batch + ", " + queued + " queued"));
		return new Outcome(batch, missing, queued, alreadySent, missing - withPhone + unusable);
	}

}
