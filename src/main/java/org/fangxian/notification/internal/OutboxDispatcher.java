package org.fangxian.notification.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.fangxian.notification.Outbox;
import org.fangxian.notification.SmsGateway;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.PhoneNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds. A message is claimed (PENDING → SENDING) and committed
 * before the gateway is called, so two app instances never send the same message; the
 * result is recorded after: SUBMITTED when an SMS centre took it (a delivery receipt
 * later makes it DELIVERED or UNDELIVERED), LOGGED when the gateway only writes to the
 * log. A transient failure is retried with growing pauses, a refusal or too many failures
 * ends in FAILED; a gateway that is unavailable (its connection is down) gets the message
 * back unchanged and the round stops. A claim left behind by a crash is released after
 * {@link #STALE_CLAIM} and sent again with the same message id, which the gateway passes
 * on as its client reference.
 */
public class OutboxDispatcher {

	private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

	static final Duration STALE_CLAIM = Duration.ofMinutes(10);

	/** Pause before attempt n+1 after n failures: 1 min, 5 min, 30 min, 2 h, then 2 h. */
	static final List<Duration> BACKOFF = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30),
			Duration.ofHours(2));

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final PersonalDataProtection protection;

	private final SmsGateway gateway;

	private final Clock clock;

	private final int maxAttempts;

	private final int batchSize;

	OutboxDispatcher(JdbcClient jdbc, TransactionTemplate tx, PersonalDataProtection protection, SmsGateway gateway,
			Clock clock, int maxAttempts, int batchSize) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.protection = protection;
		this.gateway = gateway;
		this.clock = clock;
		this.maxAttempts = maxAttempts;
		this.batchSize = batchSize;
	}

	private record Claimed(long id, byte[] phoneCipher, String body, byte[] bodyCipher, int attempts) {
	}

	/**
	 * Whether texts leave for phones, or are only written to the log (no SMS gateway
	 * configured).
	 */
	public boolean reachesPhones() {
		return this.gateway.reachesPhones();
	}

	/**
	 * Sends every message that is due now, batch after batch. @return how many were
	 * handed to the gateway
	 */
	public int dispatchDue() {
		return dispatch(this.clock.instant());
	}

	int dispatch(Instant now) {
		int handled = 0;
		List<Claimed> batch;
		do {
			batch = claim(now);
			for (int i = 0; i < batch.size(); i++) {
				if (!deliver(batch.get(i), now)) {
					release(batch.subList(i, batch.size()));
					return handled + i;
				}
			}
			handled += batch.size();
		}
		while (batch.size() == this.batchSize);
		return handled;
	}

	/**
	 * Gives claimed messages back as they were before the claim: the gateway could not
	 * take them.
	 */
	private void release(List<Claimed> messages) {
		for (Claimed message : messages) {
			this.jdbc.sql("""
					update outbox_message set status = 'PENDING', claimed_at = null, attempts = attempts - 1,
					       last_error = :error
					where id = :id and status = 'SENDING'""")
				.param("error", "gateway unavailable, waiting")
				.param("id", message.id())
				.update();
		}
	}

	private List<Claimed> claim(Instant now) {
		Timestamp at = Timestamp.from(now);
		return this.tx.execute(status -> {
			this.jdbc.sql("""
					update outbox_message set status = 'PENDING', claimed_at = null,
					       last_error = 'claim released after an interruption'
					where status = 'SENDING' and claimed_at < :stale""")
				.param("stale", Timestamp.from(now.minus(STALE_CLAIM)))
				.update();
			return this.jdbc.sql("""
					update outbox_message m set status = 'SENDING', claimed_at = :now, attempts = m.attempts + 1
					from (select id from outbox_message
					      where status = 'PENDING' and next_attempt_at <= :now
					      order by next_attempt_at, id limit :limit
					      for update skip locked) due
					where m.id = due.id
					returning m.id, m.phone_cipher, m.body, m.body_cipher, m.attempts""")
				.param("now", at)
				.param("limit", this.batchSize)
				.query((rs, n) -> new Claimed(rs.getLong("id"), rs.getBytes("phone_cipher"), rs.getString("body"),
						rs.getBytes("body_cipher"), rs.getInt("attempts")))
				.list();
		});
	}

	/**
	 * @return false when the gateway is unavailable: nothing was sent, stop this round
	 */
	private boolean deliver(Claimed message, Instant now) {
		try {
			PhoneNumber to = PhoneNumber.parse(this.protection.decrypt(message.phoneCipher()))
				.orElseThrow(() -> new SmsGateway.Rejected("stored phone number is not valid"));
			// A text holding a secret is stored encrypted, its readable body redacted
			// (Outbox.queueWithSecret).
			String text = message.bodyCipher() == null ? message.body() : this.protection.decrypt(message.bodyCipher());
			String reference = this.gateway.send(new SmsGateway.Sms(message.id(), to, text, message.body()));
			// A receipt may beat this update (the centre answers fast): then it already
			// says DELIVERED or
			// UNDELIVERED, and only the reference and time are added.
			this.jdbc.sql("""
					update outbox_message
					set status = case when status = 'SENDING' then :status else status end,
					    sent_at = :now, gateway_ref = :ref, claimed_at = null,
					    last_error = case when status = 'SENDING' then null else last_error end
					where id = :id and status in ('SENDING', 'DELIVERED', 'UNDELIVERED')""")
				.param("status",
						this.gateway.reachesPhones() ? Outbox.Status.SUBMITTED.name() : Outbox.Status.LOGGED.name())
				.param("now", Timestamp.from(now))
				.param("ref", truncate(reference, 100))
				.param("id", message.id())
				.update();
		}
		catch (SmsGateway.Unavailable ex) {
			log.info("SMS gateway unavailable ({}); {} waits", ex.getMessage(), message.id());
			return false;
		}
		catch (SmsGateway.Rejected ex) {
			fail(message, "rejected: " + ex.getMessage(), null);
		}
		catch (RuntimeException ex) {
			log.warn("SMS #{} attempt {} failed: {}", message.id(), message.attempts(), ex.toString());
			if (message.attempts() >= this.maxAttempts) {
				fail(message, ex.toString(), null);
			}
			else {
				Duration pause = BACKOFF.get(Math.min(message.attempts(), BACKOFF.size()) - 1);
				fail(message, ex.toString(), now.plus(pause));
			}
		}
		return true;
	}

	/**
	 * @param retryAt when to try again, or null to give up
	 */
	private void fail(Claimed message, String error, Instant retryAt) {
		this.jdbc.sql("""
				update outbox_message
				set status = case when cast(:retry as timestamptz) is null then 'FAILED' else 'PENDING' end,
				    next_attempt_at = coalesce(cast(:retry as timestamptz), next_attempt_at),
				    claimed_at = null, last_error = :error
				where id = :id and status = 'SENDING'""")
			.param("retry", retryAt == null ? null : Timestamp.from(retryAt))
			.param("error", truncate(error, 300))
			.param("id", message.id())
			.update();
	}

	private static String truncate(String text, int max) {
		return text == null || text.length() <= max ? text : text.substring(0, max);
	}

}
