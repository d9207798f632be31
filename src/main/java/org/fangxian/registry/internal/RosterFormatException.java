package org.fangxian.registry.internal;

/** A file that cannot be read as a roster at all; the key names the reason for the user. */
public class RosterFormatException extends RuntimeException {

	private final String messageKey;

	public RosterFormatException(String messageKey) {
		super(messageKey);
		this.messageKey = messageKey;
	}

	public String messageKey() {
		return this.messageKey;
	}

}
