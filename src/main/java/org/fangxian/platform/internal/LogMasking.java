package org.fangxian.platform.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/**
 * Links whose token is the key to a page (a family link {@code /f/…}, a check-in link
 * {@code /q/…}, a pass page {@code /p/…}, a resident's supply requests {@code /s/…}) and
 * pass QR texts ({@code FXP1.…}) never reach a log in full: whoever reads the log could
 * otherwise open the family's passes or check in for someone. The first four characters
 * stay, so a support question can still be matched. Applied to every log message and
 * stack trace through {@code logback-spring.xml}; {@link #mask} is the one rule.
 */
public final class LogMasking {

	private static final Pattern TOKEN_PATH = Pattern.compile("(/(?:f|q|p|s)/)([A-Za-z0-9_-]{4})[A-Za-z0-9._~%-]{4,}");

	private static final Pattern PASS_QR = Pattern.compile("(FXP1\\.)[0-9]+\\.[0-9]+\\.[A-Za-z0-9_-]+");

	private LogMasking() {
	}

	public static String mask(String text) {
		if (text == null || (text.indexOf('/') < 0 && !text.contains("FXP1."))) {
			return text;
		}
		String masked = TOKEN_PATH.matcher(text)
			.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + "…"));
		return PASS_QR.matcher(masked).replaceAll("$1…");
	}

	/** {@code %m}: the message, tokens masked. */
	public static class Message extends MessageConverter {

		@Override
		public String convert(ILoggingEvent event) {
			return mask(super.convert(event));
		}

	}

	/**
	 * {@code %wEx}: the stack trace (an exception's message may quote the address),
	 * tokens masked.
	 */
	public static class StackTrace extends ExtendedWhitespaceThrowableProxyConverter {

		@Override
		protected String throwableProxyToString(ch.qos.logback.classic.spi.IThrowableProxy proxy) {
			return mask(super.throwableProxyToString(proxy));
		}

	}

}
