package org.fangxian.notification;

import org.fangxian.shared.PhoneNumber;

/**
 * Where text messages leave the system: an operator's SMS centre in production (the SMPP
 * adapter, configured by {@code FANGXIAN_SMPP_*}). Implement it as a bean to replace the
 * default log gateway (internal.OutboxLogGateway).
 *
 * <p>
 * The dispatcher calls {@link #send} at least once per message and, after a crash between
 * sending and recording, possibly again with the same {@link Sms#messageId()}: pass it to
 * the provider as the client reference (most SMS APIs deduplicate on it) so the resident
 * still gets one message.
 */
public interface SmsGateway {

	/**
	 * @return the provider's reference for the accepted message
	 * @throws Rejected when the provider refuses this message for good (e.g. an
	 * unreachable number): no retry
	 * @throws Unavailable when the provider cannot be reached now: the message waits, the
	 * attempt does not count
	 * @throws RuntimeException any other failure; the message is retried later
	 */
	String send(Sms sms);

	/**
	 * Whether a text {@linkplain #send sent} through this gateway leaves for the
	 * resident's phone. The log gateway's do not: the outbox records them as LOGGED
	 * (仅记录，未发送), never as sent.
	 */
	default boolean reachesPhones() {
		return true;
	}

	/**
	 * One text to one phone.
	 *
	 * @param loggable the text with any secret in it (an initial password) replaced: what
	 * a log may show
	 */
	record Sms(long messageId, PhoneNumber to, String text, String loggable) {

		public Sms(long messageId, PhoneNumber to, String text) {
			this(messageId, to, text, text);
		}

		@Override
		public String toString() {
			return "Sms[messageId=" + this.messageId + ", to=" + this.to + ", text=" + this.loggable + "]";
		}

	}

	/** A refusal that retrying cannot cure. */
	class Rejected extends RuntimeException {

		public Rejected(String reason) {
			super(reason);
		}

	}

	/**
	 * The provider cannot take messages now (e.g. the connection to the SMS centre is
	 * down and being re-established). Nothing was sent: the message goes back to the
	 * queue as it was, without using up one of its attempts, and the dispatcher stops
	 * until its next round.
	 */
	class Unavailable extends RuntimeException {

		public Unavailable(String reason) {
			super(reason);
		}

	}

}
