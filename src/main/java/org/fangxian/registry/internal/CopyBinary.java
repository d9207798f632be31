package org.fangxian.registry.internal;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in PostgreSQL's binary COPY format: each value as the server keeps it (a bigint's
 * eight bytes, a bytea's own bytes, a text's UTF-8), behind its length. Nothing is
 * escaped, and the server parses no text: no hex for the keyed hashes and ciphers, no
 * array literal for the tags. On a district's first import the server's CPU is what the
 * COPY waits for (docs/benchmarks.md, 2026-12-04), and turning text back into values was
 * part of it.
 * <p>
 * Each value must be of its column's exact type ({@code bigint}, {@code text} or
 * {@code varchar}, {@code bytea}, {@code date}, {@code text[]}): the server reads the
 * bytes as that type and checks only lengths and encodings.
 */
final class CopyBinary {

	/** The signature, the flags (no OIDs) and an empty header extension. */
	private static final byte[] HEADER = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0,
			0, 0, 0, 0 };

	/** A date is the days since this one. */
	private static final LocalDate EPOCH = LocalDate.of(2000, 1, 1);

	/** The type of text[]'s elements (pg_type's oid of text). */
	private static final int TEXT_OID = 25;

	private final int fields;

	private byte[] bytes;

	private int length;

	private int inRow = -1;

	private boolean started;

	/**
	 * @param fields the number of values in every row
	 */
	CopyBinary(int fields, int expectedRows) {
		this.fields = fields;
		this.bytes = new byte[Math.max(64, expectedRows * 300)];
	}

	CopyBinary text(String value) {
		field();
		if (value == null) {
			return nothing();
		}
		byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
		int32(utf8.length);
		put(utf8);
		return this;
	}

	CopyBinary number(long value) {
		field();
		int32(8);
		int64(value);
		return this;
	}

	CopyBinary number(Long value) {
		if (value == null) {
			field();
			return nothing();
		}
		return number(value.longValue());
	}

	CopyBinary date(LocalDate value) {
		field();
		if (value == null) {
			return nothing();
		}
		int32(4);
		int32(Math.toIntExact(ChronoUnit.DAYS.between(EPOCH, value)));
		return this;
	}

	CopyBinary bytes(byte[] value) {
		field();
		if (value == null) {
			return nothing();
		}
		int32(value.length);
		put(value);
		return this;
	}

	/**
	 * A one-dimensional text[] (empty when there are no values), as {@code array_send}
	 * writes it.
	 */
	CopyBinary textArray(List<String> values) {
		field();
		if (values == null) {
			return nothing();
		}
		byte[][] elements = new byte[values.size()][];
		int size = values.isEmpty() ? 12 : 20;
		boolean nulls = false;
		for (int i = 0; i < elements.length; i++) {
			String element = values.get(i);
			elements[i] = element == null ? null : element.getBytes(StandardCharsets.UTF_8);
			nulls |= element == null;
			size += 4 + (element == null ? 0 : elements[i].length);
		}
		int32(size);
		int32(values.isEmpty() ? 0 : 1);
		int32(nulls ? 1 : 0);
		int32(TEXT_OID);
		if (!values.isEmpty()) {
			int32(elements.length);
			int32(1);
			for (byte[] element : elements) {
				if (element == null) {
					int32(-1);
				}
				else {
					int32(element.length);
					put(element);
				}
			}
		}
		return this;
	}

	CopyBinary endRow() {
		if (this.inRow != this.fields) {
			throw new IllegalStateException("a row of " + this.inRow + " values, not " + this.fields);
		}
		this.inRow = -1;
		return this;
	}

	/**
	 * The bytes written so far (led by the format's header the first time), and an empty
	 * buffer to go on with.
	 */
	byte[] take() {
		if (this.inRow >= 0) {
			throw new IllegalStateException("a row is half written");
		}
		byte[] rows = Arrays.copyOf(this.bytes, this.length);
		this.length = 0;
		return rows;
	}

	/** What ends the data: sent once, after the last row. */
	static byte[] trailer() {
		return new byte[] { (byte) 0xff, (byte) 0xff };
	}

	private void field() {
		if (!this.started) {
			this.started = true;
			put(HEADER);
		}
		if (this.inRow < 0) {
			int16(this.fields);
			this.inRow = 0;
		}
		if (this.inRow == this.fields) {
			throw new IllegalStateException("more than " + this.fields + " values in a row");
		}
		this.inRow++;
	}

	private CopyBinary nothing() {
		int32(-1);
		return this;
	}

	private void int16(int value) {
		room(2);
		this.bytes[this.length++] = (byte) (value >>> 8);
		this.bytes[this.length++] = (byte) value;
	}

	private void int32(int value) {
		room(4);
		for (int shift = 24; shift >= 0; shift -= 8) {
			this.bytes[this.length++] = (byte) (value >>> shift);
		}
	}

	private void int64(long value) {
		room(8);
		for (int shift = 56; shift >= 0; shift -= 8) {
			this.bytes[this.length++] = (byte) (value >>> shift);
		}
	}

	private void put(byte[] value) {
		room(value.length);
		System.arraycopy(value, 0, this.bytes, this.length, value.length);
		this.length += value.length;
	}

	private void room(int more) {
		if (this.length + more > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more));
		}
	}

}
