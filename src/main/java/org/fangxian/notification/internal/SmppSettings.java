package org.fangxian.notification.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How to reach the operator's SMS centre over SMPP 3.4 ({@code fangxian.smpp.*}, from
 * {@code FANGXIAN_SMPP_*}).
 *
 * @param host the SMS centre; blank: no SMPP, texts are only logged
 * @param systemId the account (system_id) the operator gave
 * @param password its password; never logged ({@link #toString()} hides it)
 * @param systemType system_type, if the operator asks for one
 * @param sourceAddr the sender number or name residents see (e.g. a 1069… service number)
 * @param rate submit_sm per second the account may send; every part of a long text counts
 * @param bindType TRANSCEIVER (receipts come back on the same connection) or TRANSMITTER
 * (no receipts)
 * @param international whether the centre wants numbers as {@code 86…} with TON
 * international, rather than the 11 national digits
 * @param enquireLink idle time after which an enquire_link checks the connection
 * @param responseTimeout how long to wait for the centre's answer to a bind or a
 * submit_sm
 * @param connectWait how long a send waits for a connection being re-established before
 * giving the message back to the outbox
 * @param reconnectMin first pause before binding again after the connection dropped;
 * doubled per failure
 * @param reconnectMax longest pause between two bind attempts
 */
public record SmppSettings(String host, @DefaultValue("2775") int port, String systemId, String password,
		String systemType, String sourceAddr, @DefaultValue("10") double rate,
		@DefaultValue("TRANSCEIVER") BindKind bindType, @DefaultValue("false") boolean international,
		@DefaultValue("30s") Duration enquireLink, @DefaultValue("10s") Duration responseTimeout,
		@DefaultValue("5s") Duration connectWait, @DefaultValue("1s") Duration reconnectMin,
		@DefaultValue("60s") Duration reconnectMax) {

	/** The two binds that can send. */
	public enum BindKind {

		TRANSCEIVER, TRANSMITTER

	}

	public SmppSettings {
		if (rate <= 0) {
			throw new IllegalArgumentException("fangxian.smpp.rate must be more than 0 messages per second");
		}
		systemId = systemId == null ? "" : systemId;
		password = password == null ? "" : password;
		systemType = systemType == null ? "" : systemType;
		sourceAddr = sourceAddr == null ? "" : sourceAddr;
		// SMPP 3.4's field sizes (without the closing NUL). Checked here because jSMPP's
		// own refusal of a
		// too long password quotes it in its log.
		if (password.length() > 8) {
			throw new IllegalArgumentException("FANGXIAN_SMPP_PASSWORD is longer than SMPP's 8 characters");
		}
		if (systemId.length() > 15 || systemType.length() > 12 || sourceAddr.length() > 20) {
			throw new IllegalArgumentException(
					"FANGXIAN_SMPP_SYSTEM_ID (15), _SYSTEM_TYPE (12) or _SOURCE_ADDR (20 characters) is too long");
		}
	}

	/** Without the password, so that logging the settings never leaks it. */
	@Override
	public String toString() {
		return "SmppSettings[" + this.host + ":" + this.port + " as " + this.systemId + ", password "
				+ (this.password.isEmpty() ? "empty" : "set") + ", source " + this.sourceAddr + ", " + this.rate
				+ "/s, " + this.bindType + "]";
	}

}
