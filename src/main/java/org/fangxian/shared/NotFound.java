package org.fangxian.shared;

/** A record that does not exist (or that the caller may not know exists). */
public class NotFound extends RuntimeException {

	private final String messageKey;

	public NotFound(String messageKey) {
		super(messageKey);
		this.messageKey = messageKey;
	}

	public String messageKey() {
		return this.messageKey;
	}

}
