package org.fangxian.security.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing per (user name, client address): after
 * {@value #MAX_FAILURES} wrong answers from one address that address is refused for a
 * while, one minute at first and twice as long after each further lock (at most
 * {@link #LONGEST}). The owner signing in from elsewhere, and their live sessions and
 * tokens, are untouched: a stranger's guesses must not lock anyone out.
 *
 * <p>
 * When a lock expires the failure count starts again from zero, so one more guess does
 * not re-lock; the doubling is forgotten on a successful sign-in or after a day without
 * failures.
 */
@Component
public class LoginThrottle {

	static final int MAX_FAILURES = 5;

	static final Duration FIRST_LOCK = Duration.ofMinutes(1);

	static final Duration LONGEST = Duration.ofHours(1);

	/**
	 * After this long without a failure, an address starts over from a one-minute lock.
	 */
	static final Duration QUIET = Duration.ofDays(1);

	private final JdbcClient jdbc;

	LoginThrottle(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public boolean isLocked(String usernameKey, String client, Instant now) {
		return this.jdbc.sql("""
				select count(*) from login_throttle
				where username_key = :key and client = :client and locked_until > :now""")
			.param("key", key(usernameKey))
			.param("client", client(client))
			.param("now", Timestamp.from(now))
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Counts a wrong answer; the fifth in a row locks. One statement, so parallel guesses
	 * cannot slip past the limit. Failures while locked are not counted (the answer is
	 * refused anyway).
	 */
	public void recordFailure(String usernameKey, String client, Instant now) {
		this.jdbc
			.sql("""
					insert into login_throttle as t (username_key, client, failures, locks, locked_until, last_failure_at)
					values (:key, :client, 1, 0, null, :now)
					on conflict (username_key, client) do update set
					    failures = case when t.locked_until > :now then t.failures
					                    when t.locked_until is not null then 1
					                    else t.failures + 1 end,
					    locks = case when t.last_failure_at < :quiet then 0 else t.locks end
					            + case when (t.locked_until is null or t.locked_until <= :now) and
					                        (case when t.locked_until is not null then 1 else t.failures + 1 end) >= :max
					                   then 1 else 0 end,
					    locked_until = case when t.locked_until > :now then t.locked_until
					                        when (case when t.locked_until is not null then 1 else t.failures + 1 end) >= :max
					                        then cast(:now as timestamptz) + make_interval(secs => least(cast(:first as double precision) * power(2,
					                                 case when t.last_failure_at < :quiet then 0 else t.locks end),
					                                 cast(:longest as double precision)))
					                        else null end,
					    last_failure_at = :now""")
			.param("key", key(usernameKey))
			.param("client", client(client))
			.param("now", Timestamp.from(now))
			.param("quiet", Timestamp.from(now.minus(QUIET)))
			.param("max", MAX_FAILURES)
			.param("first", FIRST_LOCK.toSeconds() * 1.0)
			.param("longest", LONGEST.toSeconds() * 1.0)
			.update();
	}

	/** A right answer from this address: it starts over. */
	void recordSuccess(String usernameKey, String client) {
		this.jdbc.sql("delete from login_throttle where username_key = :key and client = :client")
			.param("key", key(usernameKey))
			.param("client", client(client))
			.update();
	}

	/**
	 * Whether some address is currently refused for this account, for the accounts list.
	 */
	public boolean anyLock(String usernameKey, Instant now) {
		return this.jdbc.sql("select count(*) from login_throttle where username_key = :key and locked_until > :now")
			.param("key", key(usernameKey))
			.param("now", Timestamp.from(now))
			.query(Long.class)
			.single() > 0;
	}

	private static String key(String usernameKey) {
		return usernameKey.length() <= 64 ? usernameKey : usernameKey.substring(0, 64);
	}

	private static String client(String address) {
		String client = address == null ? "unknown" : address;
		return client.length() <= 64 ? client : client.substring(0, 64);
	}

}
