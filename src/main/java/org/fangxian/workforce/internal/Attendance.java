package org.fangxian.workforce.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fangxian.notification.Outbox;
import org.fangxian.shared.PersonNames;
import org.fangxian.shared.PhoneNumber;
import org.fangxian.workforce.PostKind;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who is on duty: a person's own shifts (on their phone, through their signed link),
 * check-in and out at the post by scanning its code, and the late flag: someone not
 * checked in five minutes after their shift began is flagged and their team leader
 * texted, so the leader knows within ten minutes.
 */
@Service
public class Attendance {

	/** How early before a shift one may check in. */
	static final int EARLY_MINUTES = 60;

	/**
	 * Grace after a shift starts before it counts as late; the check runs every minute.
	 */
	static final int LATE_AFTER_MINUTES = 5;

	private final JdbcClient jdbc;

	private final Volunteers volunteers;

	private final Outbox outbox;

	private final Clock clock;

	private final Kits kits;

	Attendance(JdbcClient jdbc, Volunteers volunteers, Outbox outbox, Clock clock, Kits kits) {
		this.jdbc = jdbc;
		this.volunteers = volunteers;
		this.outbox = outbox;
		this.clock = clock;
		this.kits = kits;
	}

	public record MyShift(long assignmentId, long postId, String postName, PostKind kind, LocalDate day,
			LocalDateTime startsAt, LocalDateTime endsAt, LocalDateTime checkedInAt, LocalDateTime checkedOutAt,
			boolean late) {
	}

	public enum Outcome {

		CHECKED_IN, CHECKED_OUT, ALREADY_DONE, NO_SHIFT

	}

	/** Who a person is, for their own page: name as they wrote it. */
	/** The enrolled volunteer an account was opened for, if any and still active. */
	public Optional<Long> volunteerOfAccount(long accountId) {
		return this.jdbc.sql("select id from volunteer where account_id = :account and status = 'ACTIVE'")
			.param("account", accountId)
			.query(Long.class)
			.optional();
	}

	public Optional<String> name(long volunteerId) {
		return this.jdbc.sql("select name from volunteer where id = :id and status = 'ACTIVE'")
			.param("id", volunteerId)
			.query(String.class)
			.optional();
	}

	/**
	 * The person's shifts from yesterday on, in the rosters in force (not replaced by a
	 * newer one).
	 */
	public List<MyShift> shifts(long volunteerId) {
		return this.jdbc
			.sql("""
					select a.id, a.post_id, p.name, p.kind, a.day, a.starts_at, a.ends_at, a.checked_in_at, a.checked_out_at,
					       a.late_flagged_at is not null as late
					from duty_assignment a
					join duty_roster r on r.id = a.roster_id and r.state = 'DONE' and r.superseded_by is null
					join duty_post p on p.id = a.post_id
					where a.volunteer_id = :volunteer and a.ends_at >= :since
					order by a.starts_at""")
			.param("volunteer", volunteerId)
			.param("since", LocalDateTime.now(this.clock).minusDays(1))
			.query((rs, n) -> new MyShift(rs.getLong("id"), rs.getLong("post_id"), rs.getString("name"),
					PostKind.valueOf(rs.getString("kind")), rs.getObject("day", LocalDate.class),
					rs.getObject("starts_at", LocalDateTime.class), rs.getObject("ends_at", LocalDateTime.class),
					local(rs.getObject("checked_in_at", java.time.OffsetDateTime.class)),
					local(rs.getObject("checked_out_at", java.time.OffsetDateTime.class)), rs.getBoolean("late")))
			.list();
	}

	private LocalDateTime local(java.time.OffsetDateTime at) {
		return at == null ? null : at.atZoneSameInstant(this.clock.getZone()).toLocalDateTime();
	}

	/**
	 * The shift of this person at this post that is on now (or starts within the hour),
	 * if any.
	 */
	public Optional<MyShift> current(long volunteerId, long postId) {
		LocalDateTime now = LocalDateTime.now(this.clock);
		return shifts(volunteerId).stream()
			.filter(s -> s.postId() == postId && !now.isBefore(s.startsAt().minusMinutes(EARLY_MINUTES))
					&& now.isBefore(s.endsAt().plusMinutes(EARLY_MINUTES)))
			.findFirst();
	}

	/**
	 * Scanning the post's code: checks in (and issues the post's kit), or out when
	 * already in; a second scan after leaving changes nothing.
	 */
	@Transactional
	public Outcome scan(long volunteerId, long postId) {
		Optional<MyShift> shift = current(volunteerId, postId);
		if (shift.isEmpty()) {
			return Outcome.NO_SHIFT;
		}
		long id = shift.get().assignmentId();
		if (this.jdbc.sql("update duty_assignment set checked_in_at = now() where id = :id and checked_in_at is null")
			.param("id", id)
			.update() == 1) {
			// The shift's protective kit, from the nearest store up the tree.
			this.kits.issue(id, null);
			return Outcome.CHECKED_IN;
		}
		if (this.jdbc.sql("update duty_assignment set checked_out_at = now() where id = :id and checked_out_at is null")
			.param("id", id)
			.update() == 1) {
			return Outcome.CHECKED_OUT;
		}
		return Outcome.ALREADY_DONE;
	}

	/**
	 * Flags every shift begun more than five minutes ago without a check-in, and texts
	 * the team leader.
	 */
	@Scheduled(fixedDelayString = "${fangxian.workforce.late-check-ms:60000}", initialDelay = 30_000)
	@Transactional
	public int flagLate() {
		LocalDateTime now = LocalDateTime.now(this.clock);
		List<Map<String, Object>> late = this.jdbc.sql("""
				update duty_assignment a set late_flagged_at = now()
				from duty_roster r, duty_post p, volunteer v
				where r.id = a.roster_id and r.state = 'DONE' and r.superseded_by is null and p.id = a.post_id
				  and v.id = a.volunteer_id
				  and a.checked_in_at is null and a.late_flagged_at is null
				  and a.starts_at <= :lateFrom and a.starts_at > :oldest
				returning a.id, a.volunteer_id, v.name, p.name as post, p.path, p.team_id, a.starts_at""")
			.param("lateFrom", now.minusMinutes(LATE_AFTER_MINUTES))
			.param("oldest", now.minusHours(12))
			.query()
			.listOfRows();
		for (Map<String, Object> row : late) {
			long volunteer = ((Number) row.get("volunteer_id")).longValue();
			leader(volunteer, (Number) row.get("team_id")).flatMap(this.volunteers::phone)
				.flatMap(PhoneNumber::parse)
				.ifPresent(phone -> this.outbox
					.queue(new Outbox.Sms("workforce:late:" + row.get("id"), phone, "sms.workforce.late",
							List.of(PersonNames.mask((String) row.get("name")), row.get("post"),
									String.valueOf(row.get("starts_at")).substring(11, 16)),
							(String) row.get("path"))));
		}
		return late.size();
	}

	/** The leader of the person's team, else of the post's team. */
	private Optional<Long> leader(long volunteer, Number postTeam) {
		Optional<Long> own = this.jdbc.sql("""
				select l.volunteer_id from volunteer_team_member m
				join volunteer_team_member l on l.team_id = m.team_id and l.role = 'LEADER'
				where m.volunteer_id = :v and l.volunteer_id <> :v""")
			.param("v", volunteer)
			.query(Long.class)
			.optional();
		if (own.isPresent() || postTeam == null) {
			return own;
		}
		return this.jdbc.sql("select volunteer_id from volunteer_team_member where team_id = :t and role = 'LEADER'")
			.param("t", postTeam.longValue())
			.query(Long.class)
			.optional();
	}

}
