package org.fangxian.shared;

/**
 * The one rule for text written into an exported spreadsheet (XLSX or CSV): a cell that
 * starts like a formula ({@code = + - @}, or a tab or carriage return before one) is
 * opened by Excel or WPS as a formula, so a resident named {@code =HYPERLINK(...)} could
 * make a worker's export call out or run something (CSV/formula injection). Such text
 * gets a leading apostrophe and stays plain text. Numbers are written as numbers and
 * never pass through here: a negative count stays a number.
 */
public final class SpreadsheetText {

	private SpreadsheetText() {
	}

	/**
	 * The text as it may go into a cell: unchanged unless it could be read as a formula.
	 */
	public static String cell(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		char first = text.charAt(0);
		return switch (first) {
			case '=', '+', '-', '@', '\t', '\r', '\n' -> "'" + text;
			default -> text;
		};
	}

	/**
	 * A worksheet name from free text (a checkpoint's name): Excel refuses
	 * {@code [ ] : * ? / \} and names longer than 31 characters, and a name is shown in
	 * formulas' references, so it follows {@link #cell} too.
	 */
	public static String sheetName(String text, String fallback) {
		String clean = text == null ? "" : text.replaceAll("[\\[\\]:*?/\\\\\\p{Cntrl}]", " ").strip();
		clean = cell(clean);
		if (clean == null || clean.isEmpty()) {
			return fallback;
		}
		if (clean.startsWith("'")) {
			clean = "_" + clean.substring(1);
		}
		return clean.codePointCount(0, clean.length()) <= 31 ? clean
				: clean.substring(0, clean.offsetByCodePoints(0, 31));
	}

}
