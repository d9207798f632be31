package org.fangxian.workforce.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.PhoneNumber;
import org.fangxian.workforce.OnDuty;
import org.fangxian.workforce.PostKind;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@link OnDuty} from the rosters in force (solved, not superseded). Shifts are stored in
 * local time (China Standard Time by default, the Clock's zone).
 */
@Component
class OnDutyQuery implements OnDuty {

	private static final String IN_FORCE = """
			join duty_roster r on r.id = a.roster_id and r.state = 'DONE' and r.superseded_by is null
			""";

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	private final ZoneId zone;

	OnDutyQuery(JdbcClient jdbc, PersonalDataProtection protection, Clock clock) {
		this.jdbc = jdbc;
		this.protection = protection;
		this.zone = clock.getZone();
	}

	private LocalDateTime local(Instant at) {
		return LocalDateTime.ofInstant(at, this.zone);
	}

	@Override
	public List<Person> at(PostKind kind, String path, Instant at) {
		return this.jdbc.sql("""
				select v.id, v.account_id, v.name, p.id as post_id, p.path as post_path, a.ends_at
				from duty_assignment a
				""" + IN_FORCE + """
				join duty_post p on p.id = a.post_id
				join volunteer v on v.id = a.volunteer_id and v.status = 'ACTIVE'
				where p.kind = :kind and :path like p.path || '%' and a.starts_at <= :at and a.ends_at > :at
				order by length(p.path) desc, a.ends_at desc, v.id""")
			.param("kind", kind.name())
			.param("path", path)
			.param("at", local(at))
			.query((rs, n) -> new Person(rs.getLong("id"), rs.getObject("account_id", Long.class), rs.getString("name"),
					rs.getLong("post_id"), rs.getString("post_path"),
					rs.getTimestamp("ends_at").toLocalDateTime().atZone(this.zone).toInstant()))
			.list();
	}

	@Override
	public boolean enrolled(long accountId) {
		return this.jdbc
			.sql("select exists (select 1 from volunteer where account_id = :account and status = 'ACTIVE')")
			.param("account", accountId)
			.query(Boolean.class)
			.single();
	}

	@Override
	public Optional<Instant> offDutySince(long accountId, Instant at) {
		LocalDateTime now = local(at);
		List<LocalDateTime> shifts = this.jdbc.sql("""
				select a.ends_at from duty_assignment a
				""" + IN_FORCE + """
				join volunteer v on v.id = a.volunteer_id
				where v.account_id = :account and a.starts_at <= :at
				order by a.ends_at desc limit 1""")
			.param("account", accountId)
			.param("at", now)
			.query((rs, n) -> rs.getTimestamp("ends_at").toLocalDateTime())
			.list();
		if (shifts.isEmpty() || shifts.get(0).isAfter(now)) {
			return Optional.empty();
		}
		return Optional.of(shifts.get(0).atZone(this.zone).toInstant());
	}

	@Override
	public Optional<Leader> leader(PostKind kind, String path) {
		return this.jdbc.sql("""
				select p.path, v.phone_cipher from duty_post p
				join volunteer_team_member m on m.team_id = p.team_id and m.role = 'LEADER'
				join volunteer v on v.id = m.volunteer_id
				where p.kind = :kind and :path like p.path || '%' and v.phone_cipher is not null
				order by length(p.path) desc, p.id limit 1""")
			.param("kind", kind.name())
			.param("path", path)
			.query((rs, n) -> new Object[] { rs.getString("path"), rs.getBytes("phone_cipher") })
			.optional()
			.flatMap(row -> PhoneNumber.parse(this.protection.decrypt((byte[]) row[1]))
				.map(phone -> new Leader((String) row[0], phone)));
	}

}
