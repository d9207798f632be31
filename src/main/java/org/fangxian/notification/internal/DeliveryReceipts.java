package org.fangxian.notification.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivery receipts (状态报告) against the outbox: each part an SMS centre accepted is kept
 * with the centre's message id; a receipt naming that id settles the part, and the
 * message once it can: DELIVERED when every part was delivered, UNDELIVERED as soon as
 * one was not.
 */
public class DeliveryReceipts {

	/** What a final receipt says. */
	public enum Outcome {

		DELIVERED, UNDELIVERED

	}

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final Clock clock;

	public DeliveryReceipts(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.clock = clock;
	}

	/**
	 * The centre accepted part {@code part} of {@code parts} of an outbox message as
	 * {@code smscId}.
	 */
	public void submitted(long messageId, int part, int parts, String smscId) {
		// a message sent again after a failure replaces its parts: a late receipt of the
		// old ones finds nothing
		this.jdbc.sql("""
				insert into outbox_part (message_id, part, parts, smsc_id, submitted_at)
				values (:message, :part, :parts, :smsc, :now)
				on conflict (message_id, part) do update
				set parts = excluded.parts, smsc_id = excluded.smsc_id, state = 'SUBMITTED', error = null,
				    submitted_at = excluded.submitted_at, receipt_at = null""")
			.param("message", messageId)
			.param("part", part)
			.param("parts", parts)
			.param("smsc", smscId)
			.param("now", Timestamp.from(this.clock.instant()))
			.update();
	}

	/**
	 * Records a final receipt.
	 * @param smscIds the ids the receipt names (its text's {@code id:} and the
	 * receipted_message_id TLV)
	 * @return the outbox message it belonged to, or empty when no submitted part has that
	 * id
	 */
	public Optional<Long> received(List<String> smscIds, Outcome outcome, String error) {
		return this.tx.execute(status -> {
			Timestamp now = Timestamp.from(this.clock.instant());
			// the id as written first; the other base only when nothing matches it
			// (sequential ids of one base
			// would otherwise find a neighbour's message)
			Optional<Long> message = markPart(exact(smscIds), outcome, error, now);
			if (message.isEmpty()) {
				message = markPart(otherBase(smscIds), outcome, error, now);
			}
			message.ifPresent(id -> settle(id, now));
			return message;
		});
	}

	private Optional<Long> markPart(Set<String> ids, Outcome outcome, String error, Timestamp now) {
		if (ids.isEmpty()) {
			return Optional.empty();
		}
		return this.jdbc.sql("""
				update outbox_part p set state = :state, error = :error, receipt_at = :now
				from (select message_id, part from outbox_part
				      where lower(smsc_id) in (:ids)
				      order by submitted_at desc limit 1
				      for update) found
				where p.message_id = found.message_id and p.part = found.part
				returning p.message_id""")
			.param("state", outcome.name())
			.param("error", outcome == Outcome.UNDELIVERED ? truncate(error, 100) : null)
			.param("now", now)
			.param("ids", List.copyOf(ids))
			.query(Long.class)
			.optional();
	}

	/**
	 * The message's state from its parts' receipts. Also while it is still SENDING: the
	 * centre may answer before the dispatcher has recorded the submit, which then keeps
	 * the receipt's state.
	 */
	private void settle(long messageId, Timestamp now) {
		this.jdbc.sql("""
				update outbox_message m
				set status = case when p.undelivered > 0 then 'UNDELIVERED' else 'DELIVERED' end,
				    delivered_at = case when p.undelivered > 0 then null else cast(:now as timestamptz) end,
				    last_error = case when p.undelivered > 0 then p.error else null end
				from (select count(*) filter (where state = 'DELIVERED') as delivered,
				             count(*) filter (where state = 'UNDELIVERED') as undelivered,
				             max(parts) as parts,
				             min(error) filter (where state = 'UNDELIVERED') as error
				      from outbox_part where message_id = :id) p
				where m.id = :id and m.status in ('SENDING', 'SUBMITTED')
				  and (p.undelivered > 0 or p.delivered = p.parts)""")
			.param("id", messageId)
			.param("now", now)
			.update();
	}

	/** The ids as the receipt writes them (case and NUL padding aside). */
	static Set<String> exact(List<String> ids) {
		Set<String> out = new LinkedHashSet<>();
		for (String raw : ids) {
			if (raw != null) {
				String id = raw.replace("\0", "").trim().toLowerCase(Locale.ROOT);
				if (!id.isEmpty()) {
					out.add(id);
				}
			}
		}
		return out;
	}

	/**
	 * The same numbers in the other base. Centres differ in how they write the id in a
	 * receipt: some answer submit_sm with hex and put the same number in decimal into the
	 * receipt, or the other way round.
	 */
	static Set<String> otherBase(List<String> ids) {
		Set<String> out = new LinkedHashSet<>();
		for (String id : exact(ids)) {
			if (id.matches("\\d{1,18}")) {
				out.add(Long.toHexString(Long.parseLong(id)));
			}
			if (id.matches("[0-9a-f]{1,15}")) {
				out.add(Long.toString(Long.parseLong(id, 16)));
			}
			if (id.matches("0+[0-9a-f]+")) {
				out.add(id.replaceFirst("^0+", ""));
			}
		}
		out.removeAll(exact(ids));
		return out;
	}

	private static String truncate(String text, int max) {
		return text == null || text.length() <= max ? text : text.substring(0, max);
	}

}
