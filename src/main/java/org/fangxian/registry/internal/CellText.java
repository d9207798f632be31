package org.fangxian.registry.internal;

/**
 * Normalises what people type into roster cells: full-width letters, digits and
 * punctuation become half-width (Chinese input methods produce "１３８" as readily as
 * "138"), every kind of space (ideographic, no-break, tabs, line breaks inside a cell)
 * collapses to one, invisible zero-width characters go, and the ends are trimmed. Also
 * caps a cell's length, so a hostile file cannot make one value arbitrarily large.
 *
 * <p>
 * Does what {@code org.fangxian.shared.FullWidth#clean} does, plus the length cap, with a
 * fast path for already-clean cells: it runs on every cell of million-row rosters.
 */
final class CellText {

	static final int MAX_CHARS = 1_000;

	private CellText() {
	}

	static String clean(String text) {
		if (text == null || text.isEmpty()) {
			return "";
		}
		if (isClean(text)) {
			return text;
		}
		// Bounded so a megabyte cell costs no more than a long one; the limit leaves room
		// for spaces to collapse.
		int end = Math.min(text.length(), MAX_CHARS * 4);
		StringBuilder out = new StringBuilder(Math.min(end, MAX_CHARS));
		boolean pendingSpace = false;
		for (int i = 0; i < end && out.length() < MAX_CHARS; i++) {
			char c = text.charAt(i);
			if (isSpace(c)) {
				pendingSpace = out.length() > 0;
				continue;
			}
			if (isInvisible(c)) {
				continue;
			}
			if (pendingSpace) {
				out.append(' ');
				pendingSpace = false;
				if (out.length() == MAX_CHARS) {
					break;
				}
			}
			out.append(halfWidth(c));
		}
		int length = out.length();
		if (length > 0 && out.charAt(length - 1) == ' ') {
			length--;
		}
		// Never leave half of a surrogate pair behind when the cap cuts a rare character
		// in two.
		if (length > 0 && Character.isHighSurrogate(out.charAt(length - 1))) {
			length--;
		}
		out.setLength(length);
		return out.toString();
	}

	/**
	 * Fast path for the common cell: short, ASCII or CJK, single spaces, nothing to trim.
	 */
	private static boolean isClean(String text) {
		int length = text.length();
		if (length > MAX_CHARS) {
			return false;
		}
		boolean previousSpace = true;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c == ' ') {
				if (previousSpace) {
					return false;
				}
				previousSpace = true;
			}
			else if (isSpace(c) || isInvisible(c) || halfWidth(c) != c) {
				return false;
			}
			else {
				previousSpace = false;
			}
		}
		return !previousSpace;
	}

	static boolean isSpace(char c) {
		if (c <= ' ') {
			return true;
		}
		if (c < 0x85) {
			return false;
		}
		return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
				|| c == 0x202F || c == 0x205F || c == 0x3000;
	}

	private static boolean isInvisible(char c) {
		return c == 0xAD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
	}

	private static char halfWidth(char c) {
		return (c >= 0xFF01 && c <= 0xFF5E) ? (char) (c - 0xFEE0) : c;
	}

}
