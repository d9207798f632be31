package org.fangxian.notification.internal;

import org.fangxian.notification.SmsGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default gateway where no SMS centre is configured: writes each message to the log
 * (phone masked) so that the whole flow — outbox, dispatch, status — can be watched.
 * Nothing reaches a phone, and the outbox says so: such messages end as LOGGED (仅记录，未发送).
 */
class OutboxLogGateway implements SmsGateway {

	private static final Logger log = LoggerFactory.getLogger("fangxian.sms");

	@Override
	public String send(Sms sms) {
		log.info("SMS #{} to {} (logged, not sent): {}", sms.messageId(), sms.to().masked(), sms.loggable());
		return "log-" + sms.messageId();
	}

	@Override
	public boolean reachesPhones() {
		return false;
	}

}
