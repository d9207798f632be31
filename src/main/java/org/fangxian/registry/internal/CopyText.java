package org.fangxian.registry.internal;

import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;

/**
 * Rows in PostgreSQL's COPY text format, for writing many rows in one statement: fields
 * split by tabs, rows ended by newlines, {@code \N} for null, and a backslash before
 * anything that would otherwise be read as one of those. Values go in as the server reads
 * them back, byte for byte: the text format has no other way to mean anything, so nothing
 * a roster cell holds can end a field or a row early.
 */
final class CopyText {

	private static final HexFormat HEX = HexFormat.of();

	private final StringBuilder text;

	private boolean rowStarted;

	CopyText(int expectedRows) {
		this.text = new StringBuilder(Math.max(16, expectedRows) * 400);
	}

	CopyText text(String value) {
		separate();
		if (value == null) {
			this.text.append("\\N");
		}
		else {
			escape(value, this.text);
		}
		return this;
	}

	CopyText number(long value) {
		separate();
		this.text.append(value);
		return this;
	}

	CopyText number(Long value) {
		return value == null ? text(null) : number(value.longValue());
	}

	CopyText date(LocalDate value) {
		return text(value == null ? null : value.toString());
	}

	/** A bytea in hex form ({@code \x…}; its backslash doubled for COPY). */
	CopyText bytes(byte[] value) {
		separate();
		if (value == null) {
			this.text.append("\\N");
		}
		else {
			this.text.append("\\\\x");
			HEX.formatHex(this.text, value);
		}
		return this;
	}

	/** A text[] literal, each element quoted, then escaped for COPY like any text. */
	CopyText textArray(List<String> values) {
		if (values == null) {
			return text(null);
		}
		StringBuilder literal = new StringBuilder("{");
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				literal.append(',');
			}
			String element = values.get(i);
			if (element == null) {
				literal.append("NULL");
				continue;
			}
			literal.append('"');
			for (int c = 0; c < element.length(); c++) {
				char ch = element.charAt(c);
				if (ch == '"' || ch == '\\') {
					literal.append('\\');
				}
				literal.append(ch);
			}
			literal.append('"');
		}
		return text(literal.append('}').toString());
	}

	CopyText endRow() {
		this.text.append('\n');
		this.rowStarted = false;
		return this;
	}

	/** The whole rows written so far, and an empty text to go on with. */
	String take() {
		if (this.rowStarted) {
			throw new IllegalStateException("a row is half written");
		}
		String rows = this.text.toString();
		this.text.setLength(0);
		return rows;
	}

	@Override
	public String toString() {
		return this.text.toString();
	}

	private void separate() {
		if (this.rowStarted) {
			this.text.append('\t');
		}
		this.rowStarted = true;
	}

	static void escape(String value, StringBuilder out) {
		for (int i = 0; i < value.length(); i++) {
			char ch = value.charAt(i);
			switch (ch) {
				case '\\' -> out.append("\\\\");
				case '\t' -> out.append("\\t");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				default -> out.append(ch);
			}
		}
	}

}
