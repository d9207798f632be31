package org.fangxian.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default gateway where no SMS provider is configured: writes each message to the log (phone
 * masked) and counts it as sent, so the whole flow — outbox, dispatch, status — can be watched.
 */
class OutboxLogGateway implements SmsGateway {

	private static final Logger log = LoggerFactory.getLogger("fangxian.sms");

	@Override
	public String send(Sms sms) {
		log.info("SMS #{} to {}: {}", sms.messageId(), sms.to().masked(), sms.loggable());
		return "log-" + sms.messageId();
	}

}
