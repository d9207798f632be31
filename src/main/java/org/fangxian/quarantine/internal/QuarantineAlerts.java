package org.fangxian.quarantine.internal;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.fangxian.notification.Outbox;
import org.fangxian.quarantine.QuarantineAlert;
import org.fangxian.security.AccountContacts;
import org.fangxian.security.Role;

import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Escalates a fever or a positive test in quarantine: a text to the community's workers
 * (the street's administrators when the community has none with a phone), in the
 * transaction that recorded it, once per alert and person. The text names the person
 * masked and links to the quarantine's page; no temperature or symptom travels by text.
 */
@Component
class QuarantineAlerts {

	static final int MAX_CONTACTS = 5;

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("M月d日");

	private final AccountContacts contacts;

	private final Outbox outbox;

	private final MessageSource messages;

	QuarantineAlerts(AccountContacts contacts, Outbox outbox, MessageSource messages) {
		this.contacts = contacts;
		this.outbox = outbox;
		this.messages = messages;
	}

	@EventListener
	void on(QuarantineAlert alert) {
		List<AccountContacts.Contact> staff = this.contacts.responsibleFor(alert.path(), Role.COMMUNITY_WORKER,
				MAX_CONTACTS);
		if (staff.isEmpty()) {
			staff = this.contacts.responsibleFor(alert.path(), Role.STREET_ADMIN, MAX_CONTACTS);
		}
		String link = this.outbox.link("/containment/quarantines/" + alert.quarantineId());
		for (AccountContacts.Contact contact : staff) {
			String key = "quarantine:" + alert.quarantineId() + ":" + alert.kind() + ":" + alert.day()
					+ (alert.slot() == null ? ":day" + alert.dayNumber() : ":" + alert.slot()) + ":account:"
					+ contact.accountId();
			Outbox.Sms sms = switch (alert.kind()) {
				case FEVER -> new Outbox.Sms(key, contact.phone(), "sms.quarantine.fever",
						List.of(alert.person(), DAY.format(alert.day()), slot(alert.slot()), link), alert.path());
				case POSITIVE -> new Outbox.Sms(key, contact.phone(), "sms.quarantine.positive",
						List.of(alert.person(), alert.dayNumber(), link), alert.path());
			};
			this.outbox.queue(sms);
		}
	}

	private String slot(String slot) {
		return this.messages.getMessage("quarantine.slot." + slot, null, Locale.SIMPLIFIED_CHINESE);
	}

}
