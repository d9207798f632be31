package org.fangxian.notification.internal;

import java.util.List;

import org.fangxian.notification.Outbox;
import org.fangxian.security.InitialPasswordIssued;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Texts an enrolled cadre the initial password of their new account. Synchronous, in the
 * transaction that opened the account: the text exists exactly when the account does, and
 * the password never passes through the event registry.
 */
@Component
class AccountTexts {

	private final Outbox outbox;

	AccountTexts(Outbox outbox) {
		this.outbox = outbox;
	}

	@EventListener
	void on(InitialPasswordIssued issued) {
		this.outbox.queueWithSecret(
				new Outbox.Sms("security:account:" + issued.accountId() + ":initial-password", issued.phone(),
						"sms.account.initialPassword", List.of(issued.username(), issued.password()), issued.path()),
				1);
	}

}
