package org.fangxian.shared;

/**
 * Bad input from a user, naming the field and a message key (translated by the web
 * layer), so every interface reports it the same way: a 400 problem in the API, a message
 * beside the field on a page.
 */
public class InvalidInput extends RuntimeException {

	private final String field;

	private final String messageKey;

	private final transient Object[] args;

	public InvalidInput(String field, String messageKey, Object... args) {
		super(field + ": " + messageKey);
		this.field = field;
		this.messageKey = messageKey;
		this.args = args;
	}

	public String field() {
		return this.field;
	}

	public String messageKey() {
		return this.messageKey;
	}

	public Object[] args() {
		return this.args;
	}

}
