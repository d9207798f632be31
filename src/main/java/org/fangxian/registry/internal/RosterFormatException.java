package org.fangxian.registry.internal;

import java.util.Arrays;

/**
 * A roster file that cannot be read at all (as opposed to a bad row, which the importer
 * reports per row). Carries a message key and arguments rather than prose, so the web
 * layer can translate it the same way as every other error.
 *
 * <p>
 * Keys: {@code roster.format.unsupported} (extension), {@code roster.format.unreadable}
 * (row number or 0), {@code roster.format.badEncoding} (row number of the first character
 * that is neither UTF-8 nor GBK), {@code roster.format.noHeader} (rows searched),
 * {@code roster.format.noNameColumn} (header row number),
 * {@code roster.format.tooManyRows} (limit), {@code roster.format.rowTooLong} (limit in
 * characters).
 */
public class RosterFormatException extends RuntimeException {

	private final String messageKey;

	private final transient Object[] args;

	public RosterFormatException(String messageKey, Object... args) {
		this(messageKey, null, args);
	}

	public RosterFormatException(String messageKey, Throwable cause, Object... args) {
		super(describe(messageKey, args), cause);
		this.messageKey = messageKey;
		this.args = args.clone();
	}

	public String messageKey() {
		return this.messageKey;
	}

	public Object[] args() {
		return this.args.clone();
	}

	private static String describe(String messageKey, Object[] args) {
		return (args.length == 0) ? messageKey : messageKey + " " + Arrays.toString(args);
	}

}
