package org.fangxian.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.fangxian.shared.SpreadsheetUpload;

/**
 * Streams a CSV roster. Works out the encoding and delimiter from the start of the file,
 * because people do not know (or say) how their spreadsheet saved it: Excel in China
 * writes GBK unless told otherwise, and some exports use tabs or semicolons.
 */
final class CsvRows implements SourceRows {

	static final Charset GB18030 = Charset.forName("GB18030");

	/**
	 * Longest record accepted, in characters; bounds memory against a file with no line
	 * breaks. The upload counts it ({@link RosterReader#LIMITS}); these rows give it the
	 * roster's words.
	 */
	static final int MAX_RECORD_CHARS = 1_000_000;

	/** Enough to see the title, header and first rows of any real roster. */
	private static final int SNIFF_BYTES = 64 * 1024;

	private static final int SNIFF_LINES = 15;

	private static final char REPLACEMENT = '\uFFFD';

	private final SpreadsheetUpload upload;

	private final Reader reader;

	private final Iterator<CSVRecord> records;

	private CsvRows(SpreadsheetUpload upload, Reader reader, CSVParser parser) {
		this.upload = upload;
		this.reader = reader;
		this.records = parser.iterator();
	}

	/** Takes over the upload: closing these rows deletes it. */
	static CsvRows open(SpreadsheetUpload upload) throws IOException {
		byte[] head;
		try (InputStream in = upload.open()) {
			head = in.readNBytes(SNIFF_BYTES);
		}

		Charset charset;
		int bom = 0;
		if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
			charset = StandardCharsets.UTF_8;
			bom = 3;
		}
		else if (startsWith(head, 0xFF, 0xFE)) {
			charset = StandardCharsets.UTF_16LE;
			bom = 2;
		}
		else if (startsWith(head, 0xFE, 0xFF)) {
			charset = StandardCharsets.UTF_16BE;
			bom = 2;
		}
		else {
			charset = isUtf8(head, head.length == SNIFF_BYTES) ? StandardCharsets.UTF_8 : GB18030;
		}
		char delimiter = delimiter(new String(head, bom, head.length - bom, charset));

		// Undecodable bytes become U+FFFD here and fail the file at their row in next(),
		// instead of
		// importing names as "�"; a decoder that reports them would fail several thousand
		// rows early.
		Reader reader = upload.csv(charset.newDecoder()
			.onMalformedInput(CodingErrorAction.REPLACE)
			.onUnmappableCharacter(CodingErrorAction.REPLACE), bom);
		CSVFormat format = CSVFormat.Builder.create(CSVFormat.RFC4180)
			.setDelimiter(delimiter)
			// Blank lines are rows too: dropping them would shift every later row number
			// off what Excel shows.
			.setIgnoreEmptyLines(false)
			.setTrailingData(true)
			.setLenientEof(true)
			.get();
		return new CsvRows(upload, reader, CSVParser.builder().setReader(reader).setFormat(format).get());
	}

	@Override
	public SourceRow next() throws IOException {
		try {
			if (!this.records.hasNext()) {
				return null;
			}
			CSVRecord record = this.records.next();
			for (String value : record) {
				if (value.indexOf(REPLACEMENT) >= 0) {
					throw new RosterFormatException("roster.format.badEncoding", (int) record.getRecordNumber());
				}
			}
			return new Row(record);
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		catch (SpreadsheetUpload.RecordTooLong ex) {
			throw new RosterFormatException("roster.format.rowTooLong", ex.maxChars());
		}
	}

	@Override
	public void close() throws IOException {
		try {
			this.reader.close();
		}
		finally {
			this.upload.close();
		}
	}

	/**
	 * A valid UTF-8 prefix; a multi-byte character cut off by the end of the sample does
	 * not count against it.
	 */
	static boolean isUtf8(byte[] bytes, boolean truncated) {
		int i = 0;
		while (i < bytes.length) {
			int b = bytes[i] & 0xFF;
			if (b < 0x80) {
				i++;
				continue;
			}
			int continuation;
			if (b >= 0xC2 && b <= 0xDF) {
				continuation = 1;
			}
			else if (b >= 0xE0 && b <= 0xEF) {
				continuation = 2;
			}
			else if (b >= 0xF0 && b <= 0xF4) {
				continuation = 3;
			}
			else {
				return false;
			}
			for (int k = 1; k <= continuation; k++) {
				if (i + k >= bytes.length) {
					return truncated;
				}
				if ((bytes[i + k] & 0xC0) != 0x80) {
					return false;
				}
			}
			i += continuation + 1;
		}
		return true;
	}

	/**
	 * Comma unless tabs or semicolons are more common in the first lines (outside
	 * quotes).
	 */
	static char delimiter(String sample) {
		int commas = 0;
		int tabs = 0;
		int semicolons = 0;
		int lines = 0;
		boolean quoted = false;
		for (int i = 0; i < sample.length() && lines < SNIFF_LINES; i++) {
			char c = sample.charAt(i);
			if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted) {
				switch (c) {
					case ',' -> commas++;
					case '\t' -> tabs++;
					case ';' -> semicolons++;
					case '\n' -> lines++;
					default -> {
					}
				}
			}
		}
		if (tabs > commas && tabs >= semicolons) {
			return '\t';
		}
		return (semicolons > commas) ? ';' : ',';
	}

	private static boolean startsWith(byte[] bytes, int... prefix) {
		if (bytes.length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if ((bytes[i] & 0xFF) != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private record Row(CSVRecord record) implements SourceRow {

		@Override
		public int number() {
			return (int) Math.min(this.record.getRecordNumber(), Integer.MAX_VALUE);
		}

		@Override
		public int width() {
			return this.record.size();
		}

		@Override
		public String text(int column) {
			return (column < this.record.size()) ? CellText.clean(this.record.get(column)) : "";
		}

	}

}
