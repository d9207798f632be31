package org.fangxian.shared;

/**
 * Free text as a person typed it into a form (a reason, a place, a note): Chinese
 * punctuation kept, only surrounding and repeated spaces go. The one home of "required,
 * at most n characters" for such fields ({@code text.required}, {@code text.tooLong}).
 */
public final class FreeText {

	private FreeText() {
	}

	/** Surrounding spaces gone, inner runs of spaces made one; null is empty. */
	public static String tidy(String raw) {
		return raw == null ? "" : raw.strip().replaceAll("\\s+", " ");
	}

	/**
	 * The tidied text; empty or longer than {@code max} is bad input on {@code field}.
	 */
	public static String required(String field, String raw, int max) {
		String text = tidy(raw);
		if (text.isEmpty()) {
			throw new InvalidInput(field, "text.required");
		}
		return atMost(field, text, max);
	}

	/** The tidied text, or null when empty; longer than {@code max} is bad input. */
	public static String optional(String field, String raw, int max) {
		String text = tidy(raw);
		return text.isEmpty() ? null : atMost(field, text, max);
	}

	private static String atMost(String field, String text, int max) {
		if (text.length() > max) {
			throw new InvalidInput(field, "text.tooLong", max);
		}
		return text;
	}

}
