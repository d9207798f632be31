package org.fangxian.shared;

import java.util.regex.Pattern;

/**
 * Normalizes text typed with a Chinese IME or pasted from office documents, where digits
 * and letters often arrive as full-width forms ({@code １３８}) and invisible characters
 * hide inside values.
 */
public final class FullWidth {

	// \p{Z} also covers en/em/thin spaces that survive the half-width mapping
	private static final Pattern WHITESPACE_RUN = Pattern.compile("[\\s\\p{Z}]+");

	// The full-width block U+FF01..U+FF5E mirrors ASCII '!'..'~' at this fixed distance
	private static final int FULL_WIDTH_OFFSET = 0xFEE0;

	private FullWidth() {
	}

	/**
	 * Maps full-width ASCII variants (U+FF01..U+FF5E) to ASCII, the ideographic space
	 * (U+3000) and the no-break space (U+00A0) to a plain space, and removes zero-width
	 * characters (U+200B..U+200D, U+2060, U+FEFF).
	 * @param text any text, may be {@code null}
	 * @return the converted text, or {@code null} when {@code text} is {@code null}
	 */
	public static String toHalfWidth(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= '\uFF01' && c <= '\uFF5E') {
				out.append((char) (c - FULL_WIDTH_OFFSET));
			}
			else if (c == '\u3000' || c == '\u00A0') {
				out.append(' ');
			}
			else if (!isZeroWidth(c)) {
				out.append(c);
			}
		}
		return out.toString();
	}

	/**
	 * Whether the characters from {@code from} (inclusive) to {@code to} (exclusive) are
	 * all ASCII digits ({@code \d} of a regex without Unicode classes), in one pass: the
	 * ID number and phone rules test nearly every roster cell this way, where a regex
	 * cost a matcher each.
	 */
	static boolean asciiDigits(String text, int from, int to) {
		if (text == null || from < 0 || to > text.length()) {
			return false;
		}
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the text is ASCII letters and digits only: then neither
	 * {@link #toHalfWidth} nor any rule of spaces or dashes would change it.
	 */
	static boolean asciiAlphanumeric(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * {@link #toHalfWidth(String)}, then trims and collapses every internal run of
	 * whitespace to a single space.
	 * @param text any text, may be {@code null}
	 * @return the cleaned text; {@code ""} when {@code text} is {@code null}
	 */
	public static String clean(String text) {
		if (text == null) {
			return "";
		}
		if (isClean(text)) {
			return text;
		}
		return WHITESPACE_RUN.matcher(toHalfWidth(text)).replaceAll(" ").strip();
	}

	/**
	 * Whether {@link #clean} would give the text back as it is, in one pass without
	 * allocating: nearly every cell of a roster (a million-row file has ten million).
	 */
	private static boolean isClean(String text) {
		int last = text.length() - 1;
		for (int i = 0; i <= last; i++) {
			char c = text.charAt(i);
			if ((c >= '\uFF01' && c <= '\uFF5E') || c == '\u3000' || c == '\u00A0' || isZeroWidth(c)) {
				return false;
			}
			if ((i == 0 || i == last) && Character.isWhitespace(c)) {
				return false;
			}
			if (c == ' ') {
				if (text.charAt(i - 1) == ' ') {
					return false;
				}
			}
			else if (isSpace(c)) {
				return false;
			}
		}
		return true;
	}

	/** What {@link #WHITESPACE_RUN} matches: {@code \s} and Unicode's separators. */
	private static boolean isSpace(char c) {
		if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
			return true;
		}
		int type = Character.getType(c);
		return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
				|| type == Character.PARAGRAPH_SEPARATOR;
	}

	// U+FEFF is a byte-order mark that Excel/Notepad exports leave at the start of the
	// first cell
	private static boolean isZeroWidth(char c) {
		return (c >= '\u200B' && c <= '\u200D') || c == '\u2060' || c == '\uFEFF';
	}

}
