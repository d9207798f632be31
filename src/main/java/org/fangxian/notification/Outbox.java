package org.fangxian.notification;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.fangxian.notification.internal.PublicAddress;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.PhoneNumber;

import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Queues messages to residents. Call it inside the transaction that makes the change the
 * message is about: the message exists exactly when the change does, and the dispatcher
 * sends it afterwards.
 */
@Service
public class Outbox {

	/**
	 * Residents get their texts in Chinese whatever language the worker's screen is in.
	 */
	static final Locale TEXT_LOCALE = Locale.SIMPLIFIED_CHINESE;

	private static final java.util.regex.Pattern UNFILLED = java.util.regex.Pattern.compile("\\{\\d+[},]");

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	private final MessageSource messages;

	private final PublicAddress address;

	Outbox(JdbcClient jdbc, PersonalDataProtection protection, MessageSource messages, PublicAddress address) {
		this.jdbc = jdbc;
		this.protection = protection;
		this.messages = messages;
		this.address = address;
	}

	/**
	 * The absolute link to put into a text: {@code fangxian.public-url}
	 * ({@code FANGXIAN_PUBLIC_URL}) when it is set, else the address the current request
	 * came to (the worker's browser reached the app there).
	 * @param path inside the app, e.g. {@code "/q/" + token}
	 */
	public String link(String path) {
		return this.address.base() + (path.startsWith("/") ? path : "/" + path);
	}

	/**
	 * A text to send once.
	 *
	 * @param dedupeKey what makes this message unique for the sender, e.g.
	 * {@code "testing:round:7:remind:2:resident:42"}; queueing the same key again does
	 * nothing
	 * @param template message key of the text (zh-CN), named {@code sms.*} or
	 * {@code <module>.sms.text}, e.g. {@code sms.testing.reminder}; SmsTextsTest renders
	 * every such key with real data
	 * @param args the template's {0}, {1}... — keep ID numbers and health details out of
	 * texts
	 * @param path materialized path of the node the message concerns, so that only that
	 * jurisdiction sees it
	 */
	public record Sms(String dedupeKey, PhoneNumber to, String template, List<?> args, String path) {
	}

	/**
	 * @return whether the message was queued now (false: the same dedupe key was queued
	 * before)
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean queue(Sms sms) {
		String body = this.messages.getMessage(sms.template(), sms.args().toArray(), TEXT_LOCALE);
		if (UNFILLED.matcher(body).find()) {
			// a resident would read "{2}": a bug in the caller, never a text to send
			throw new IllegalArgumentException("template " + sms.template() + " has an unfilled placeholder");
		}
		return this.jdbc.sql("""
				insert into outbox_message (dedupe_key, path, phone_cipher, phone_masked, template, body)
				values (:key, :path, :cipher, :masked, :template, :body)
				on conflict (dedupe_key) do nothing""")
			.param("key", sms.dedupeKey())
			.param("path", sms.path())
			.param("cipher", this.protection.encrypt(sms.to().value()))
			.param("masked", sms.to().masked())
			.param("template", sms.template())
			.param("body", body)
			.update() == 1;
	}

	/**
	 * A text carrying a secret (an initial password) as its argument {@code secretArg}:
	 * the outbox page, the log and the database's readable column show it with the secret
	 * replaced by ******; the full text is kept encrypted, for the gateway only.
	 * @return whether the message was queued now (false: the same dedupe key was queued
	 * before)
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean queueWithSecret(Sms sms, int secretArg) {
		Object[] args = sms.args().toArray();
		String body = this.messages.getMessage(sms.template(), args, TEXT_LOCALE);
		args[secretArg] = "******";
		String redacted = this.messages.getMessage(sms.template(), args, TEXT_LOCALE);
		return this.jdbc.sql("""
				insert into outbox_message (dedupe_key, path, phone_cipher, phone_masked, template, body, body_cipher)
				values (:key, :path, :cipher, :masked, :template, :body, :bodyCipher)
				on conflict (dedupe_key) do nothing""")
			.param("key", sms.dedupeKey())
			.param("path", sms.path())
			.param("cipher", this.protection.encrypt(sms.to().value()))
			.param("masked", sms.to().masked())
			.param("template", sms.template())
			.param("body", redacted)
			.param("bodyCipher", this.protection.encrypt(body))
			.update() == 1;
	}

	/** How a queued message stands. */
	public enum Status {

		/** Waiting to be sent (first time or again after a failure). */
		PENDING,
		/** Claimed by a dispatcher, in the gateway's hands. */
		SENDING,
		/**
		 * Written to the log only: no SMS gateway is configured, nobody received it
		 * (仅记录，未发送).
		 */
		LOGGED,
		/** Accepted by the SMS centre; no delivery receipt (状态报告) yet. */
		SUBMITTED,
		/** The receipt says the phone got it. */
		DELIVERED,
		/**
		 * The receipt says it did not reach the phone (switched off too long, number gone
		 * …); see the error.
		 */
		UNDELIVERED,
		/** Refused, or too many failed attempts. */
		FAILED

	}

	/** A queued message as the outbox page shows it: phone masked, never the number. */
	public record Entry(long id, String phoneMasked, String template, String body, Status status, int attempts,
			Instant createdAt, Instant nextAttemptAt, Instant sentAt, Instant deliveredAt, String lastError) {
	}

	/** The newest messages of the account's jurisdiction, optionally of one status. */
	@Transactional(readOnly = true)
	public List<Entry> recent(CurrentUser user, Status status, int limit) {
		user.require(Permission.VIEW_RESIDENTS);
		return this.jdbc
			.sql("""
					select id, phone_masked, template, body, status, attempts, created_at, next_attempt_at, sent_at,
					       delivered_at, last_error
					from outbox_message
					where (district_id = any(districts_under(rtrim(:scope, '%'))) or (district_id is null and :scope = '/%'))
					  and (path like :scope or (path is null and :scope = '/%'))
					  and (cast(:status as varchar) is null or status = :status)
					order by id desc limit :limit""")
			.param("scope", user.scopePattern())
			.param("status", status == null ? null : status.name())
			.param("limit", Math.max(1, Math.min(limit, 500)))
			.query((rs, n) -> new Entry(rs.getLong("id"), rs.getString("phone_masked"), rs.getString("template"),
					rs.getString("body"), Status.valueOf(rs.getString("status")), rs.getInt("attempts"),
					rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("next_attempt_at").toInstant(),
					instant(rs.getTimestamp("sent_at")), instant(rs.getTimestamp("delivered_at")),
					rs.getString("last_error")))
			.list();
	}

	private static Instant instant(java.sql.Timestamp at) {
		return at == null ? null : at.toInstant();
	}

	/** Counts per status in the account's jurisdiction, for the page header. */
	@Transactional(readOnly = true)
	public java.util.Map<Status, Long> counts(CurrentUser user) {
		user.require(Permission.VIEW_RESIDENTS);
		java.util.Map<Status, Long> counts = new java.util.EnumMap<>(Status.class);
		for (Status s : Status.values()) {
			counts.put(s, 0L);
		}
		this.jdbc
			.sql("""
					select status, count(*) from outbox_message
					where (district_id = any(districts_under(rtrim(:scope, '%'))) or (district_id is null and :scope = '/%'))
					  and (path like :scope or (path is null and :scope = '/%'))
					group by status""")
			.param("scope", user.scopePattern())
			.query((rs, n) -> counts.put(Status.valueOf(rs.getString(1)), rs.getLong(2)))
			.list();
		return counts;
	}

}
