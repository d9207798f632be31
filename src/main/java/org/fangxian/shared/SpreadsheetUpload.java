package org.fangxian.shared;

import java.io.Closeable;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The one door for uploaded spreadsheets (XLSX or CSV): every import reads its file
 * through this class, never straight from the request. A 1.5 MB XLSX can declare, or
 * merely inflate to, 1.5 GB of shared strings or cells; read naively it takes the JVM
 * down. So an upload is first spooled to a temporary file (at most
 * {@link Limits#maxUploadBytes()}), and an XLSX is checked before any reader sees it: the
 * number of zip entries, each entry's declared and its actually inflated size (streamed,
 * nothing kept), rows per sheet, cells per row and in all, the shared-string table's size
 * and count, the length of any one text or attribute, and no DTD. A CSV is bounded while
 * it is read ({@link #csv}): records, and characters per record. Whatever exceeds a bound
 * fails with {@link InvalidInput} {@code file / upload.too-large}, a 400 saying the file
 * is too big.
 *
 * <pre>{@code
 * try (SpreadsheetUpload upload = SpreadsheetUpload.receive(file.getInputStream(), file.getOriginalFilename())) {
 *     if (upload.format() == SpreadsheetUpload.Format.XLSX) {
 *         try (ReadableWorkbook workbook = new ReadableWorkbook(upload.file().toFile())) { ... }
 *     } else {
 *         try (Reader text = upload.csv(StandardCharsets.UTF_8)) { ... }
 *     }
 * }
 * }</pre> Read the XLSX from {@link #file()} with a zip reader that uses the central
 * directory (fastexcel's {@code ReadableWorkbook(File)} does), as this check does: that
 * is the content that was checked.
 */
public final class SpreadsheetUpload implements Closeable {

	/** The problem code (and message key) of every refusal. */
	public static final String TOO_LARGE = "upload.too-large";

	public enum Format {

		/** A zip: Office Open XML, checked. */
		XLSX,
		/** Anything else, read as delimited text. */
		CSV

	}

	/**
	 * Bounds on one upload. {@link #DEFAULT} is Excel's own limits (1,048,576 rows,
	 * 16,384 columns, 32,767 characters a cell) plus room for the largest real roster; an
	 * import that materialises every row may want fewer cells ({@link #withMaxCells}).
	 *
	 * @param maxUploadBytes the file as sent
	 * @param maxEntries zip entries
	 * @param maxEntryBytes any one entry, inflated
	 * @param maxTotalBytes all entries together, inflated
	 * @param maxSharedStringBytes the shared-string table, inflated (it is held in memory
	 * by readers)
	 * @param maxSharedStrings entries in the shared-string table
	 * @param maxRows rows of a sheet, or records of a CSV
	 * @param maxCellsPerRow cells in one row
	 * @param maxCells cells in all sheets together
	 * @param maxTextBytes one text, attribute or CDATA in the XML
	 * @param maxRecordChars characters of one CSV record
	 */
	public record Limits(long maxUploadBytes, int maxEntries, long maxEntryBytes, long maxTotalBytes,
			long maxSharedStringBytes, long maxSharedStrings, long maxRows, long maxCellsPerRow, long maxCells,
			long maxTextBytes, long maxRecordChars) {

		public static final Limits DEFAULT = new Limits(256L << 20, 1_000, 512L << 20, 1L << 30, 64L << 20, 2_000_000,
				1_048_576, 16_384, 20_000_000, 1_000_000, 2_000_000);

		public Limits withMaxCells(long cells) {
			return new Limits(this.maxUploadBytes, this.maxEntries, this.maxEntryBytes, this.maxTotalBytes,
					this.maxSharedStringBytes, this.maxSharedStrings, this.maxRows, this.maxCellsPerRow, cells,
					this.maxTextBytes, this.maxRecordChars);
		}

		public Limits withMaxRows(long rows) {
			return new Limits(this.maxUploadBytes, this.maxEntries, this.maxEntryBytes, this.maxTotalBytes,
					this.maxSharedStringBytes, this.maxSharedStrings, rows, this.maxCellsPerRow, this.maxCells,
					this.maxTextBytes, this.maxRecordChars);
		}

		public Limits withMaxRecordChars(long chars) {
			return new Limits(this.maxUploadBytes, this.maxEntries, this.maxEntryBytes, this.maxTotalBytes,
					this.maxSharedStringBytes, this.maxSharedStrings, this.maxRows, this.maxCellsPerRow, this.maxCells,
					this.maxTextBytes, chars);
		}

	}

	private final Path file;

	private final Format format;

	private final Limits limits;

	private SpreadsheetUpload(Path file, Format format, Limits limits) {
		this.file = file;
		this.format = format;
		this.limits = limits;
	}

	/** {@link #receive(InputStream, String, Limits)} with {@link Limits#DEFAULT}. */
	public static SpreadsheetUpload receive(InputStream in, String filename) {
		return receive(in, filename, Limits.DEFAULT);
	}

	/**
	 * Spools and checks an upload; close the result to delete the temporary file.
	 * @param filename as sent, only for the temporary file's suffix: the format comes
	 * from the content
	 * @throws InvalidInput {@code file / upload.too-large} beyond a bound
	 */
	public static SpreadsheetUpload receive(InputStream in, String filename, Limits limits) {
		Path file = null;
		try {
			file = Files.createTempFile("upload-", suffix(filename));
			long size;
			try (OutputStream out = Files.newOutputStream(file)) {
				size = copy(in, out, limits.maxUploadBytes());
			}
			if (size > limits.maxUploadBytes()) {
				throw tooLarge();
			}
			Format format = isZip(file) ? Format.XLSX : Format.CSV;
			if (format == Format.XLSX) {
				checkZip(file, limits);
			}
			return new SpreadsheetUpload(file, format, limits);
		}
		catch (RuntimeException ex) {
			delete(file);
			throw ex;
		}
		catch (IOException ex) {
			// A broken zip among them: the importer reports it as unreadable in its own
			// words.
			delete(file);
			throw new UncheckedIOException(ex);
		}
	}

	public Format format() {
		return this.format;
	}

	/** The checked file, for a reader that needs random access (XLSX). */
	public Path file() {
		return this.file;
	}

	/** The file's bytes as sent. */
	public InputStream open() throws IOException {
		return Files.newInputStream(this.file);
	}

	/**
	 * The file as text, bounded in records and characters per record (quoted line breaks
	 * count as part of their record); the bounds fail reading with {@link InvalidInput}
	 * upload.too-large.
	 * @param skip bytes to skip first (a byte-order mark)
	 */
	public Reader csv(CharsetDecoder decoder, int skip) throws IOException {
		InputStream in = open();
		in.skipNBytes(skip);
		return new BoundedRecords(new InputStreamReader(in, decoder), this.limits);
	}

	public Reader csv(Charset charset) throws IOException {
		return csv(charset.newDecoder()
			.onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
			.onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE), 0);
	}

	@Override
	public void close() {
		delete(this.file);
	}

	static InvalidInput tooLarge() {
		return new InvalidInput("file", TOO_LARGE);
	}

	/**
	 * A CSV record longer than {@link Limits#maxRecordChars}: the upload's too-large
	 * answer, which a reader with its own words for it (a roster's "row too long") can
	 * tell apart from the other bounds.
	 */
	public static final class RecordTooLong extends InvalidInput {

		private final long maxChars;

		RecordTooLong(long maxChars) {
			super("file", TOO_LARGE);
			this.maxChars = maxChars;
		}

		public long maxChars() {
			return this.maxChars;
		}

	}

	private static String suffix(String filename) {
		String name = (filename == null) ? "" : filename.toLowerCase(Locale.ROOT);
		return name.endsWith(".csv") ? ".csv" : name.endsWith(".xlsx") ? ".xlsx" : ".upload";
	}

	/**
	 * Copies at most {@code max + 1} bytes, so the caller sees an excess without storing
	 * it.
	 */
	private static long copy(InputStream in, OutputStream out, long max) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		long total = 0;
		int read;
		while ((read = in.read(buffer)) > 0) {
			total += read;
			if (total > max) {
				return total;
			}
			out.write(buffer, 0, read);
		}
		return total;
	}

	private static boolean isZip(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			byte[] head = in.readNBytes(4);
			return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
		}
	}

	private static void delete(Path file) {
		if (file != null) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				file.toFile().deleteOnExit();
			}
		}
	}

	/**
	 * Walks every entry of the zip as fastexcel will see it (commons-compress, central
	 * directory): declared sizes first, then the bytes actually inflated, streamed
	 * through {@link XmlScan}.
	 */
	private static void checkZip(Path file, Limits limits) throws IOException {
		try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
			Totals totals = new Totals();
			int entries = 0;
			for (Enumeration<ZipArchiveEntry> all = zip.getEntries(); all.hasMoreElements();) {
				ZipArchiveEntry entry = all.nextElement();
				if (++entries > limits.maxEntries()) {
					throw tooLarge();
				}
				if (entry.isDirectory()) {
					continue;
				}
				String name = entry.getName().toLowerCase(Locale.ROOT);
				boolean sharedStrings = name.endsWith("sharedstrings.xml");
				long cap = sharedStrings ? limits.maxSharedStringBytes() : limits.maxEntryBytes();
				long declared = entry.getSize();
				if (declared > cap || (declared > 0 && totals.bytes + declared > limits.maxTotalBytes())) {
					throw tooLarge();
				}
				boolean xml = name.endsWith(".xml") || name.endsWith(".rels") || name.endsWith(".vml");
				XmlScan scan = xml ? new XmlScan(limits, totals) : null;
				long inflated = 0;
				try (InputStream in = zip.getInputStream(entry)) {
					byte[] buffer = new byte[64 * 1024];
					int read;
					while ((read = in.read(buffer)) > 0) {
						inflated += read;
						totals.bytes += read;
						if (inflated > cap || totals.bytes > limits.maxTotalBytes()) {
							throw tooLarge();
						}
						if (scan != null) {
							scan.feed(buffer, read);
						}
					}
				}
			}
		}
	}

	private static final class Totals {

		long bytes;

		long cells;

	}

	/**
	 * A byte-level pass over one XML part, without building anything: counts {@code row},
	 * {@code c} and {@code si} elements and the length of each text, attribute list,
	 * comment or CDATA (whose text readers concatenate, so they do not end a run);
	 * refuses a DTD, the way to entity bombs.
	 */
	static final class XmlScan {

		private enum State {

			TEXT, NAME, TAG, BANG, CDATA, COMMENT

		}

		private final Limits limits;

		private final Totals totals;

		private State state = State.TEXT;

		private final StringBuilder name = new StringBuilder(16);

		private boolean nameDone;

		private long run;

		private long rows;

		private long cellsInRow;

		private long strings;

		/** The last three bytes, to see "]]>" and "-->". */
		private int tail;

		XmlScan(Limits limits, Totals totals) {
			this.limits = limits;
			this.totals = totals;
		}

		void feed(byte[] bytes, int length) {
			for (int i = 0; i < length; i++) {
				byte b = bytes[i];
				this.tail = ((this.tail << 8) | (b & 0xFF)) & 0xFFFFFF;
				if (++this.run > this.limits.maxTextBytes()) {
					throw tooLarge();
				}
				switch (this.state) {
					case TEXT -> {
						if (b == '<') {
							this.state = State.NAME;
							this.name.setLength(0);
							this.nameDone = false;
						}
					}
					case NAME -> name(b);
					case TAG -> {
						if (b == '>') {
							this.state = State.TEXT;
							this.run = 0;
						}
					}
					case BANG -> bang(b);
					case CDATA -> {
						if (this.tail == (']' << 16 | ']' << 8 | '>')) {
							this.state = State.TEXT;
						}
					}
					case COMMENT -> {
						if (this.tail == ('-' << 16 | '-' << 8 | '>')) {
							this.state = State.TEXT;
						}
					}
				}
			}
		}

		private void name(byte b) {
			if (this.name.isEmpty() && b == '!') {
				this.state = State.BANG;
				this.name.append('!');
				return;
			}
			if (this.name.isEmpty() && (b == '/' || b == '?')) {
				// An end tag or a processing instruction: ends a text, counts nothing.
				this.state = State.TAG;
				this.run = 0;
				return;
			}
			boolean end = b == '>' || b == '/' || b == ' ' || b == '\t' || b == '\n' || b == '\r';
			if (!end) {
				if (this.name.length() < 32) {
					this.name.append((char) (b & 0xFF));
				}
				return;
			}
			element(this.name.toString());
			this.run = 0;
			this.state = (b == '>') ? State.TEXT : State.TAG;
		}

		private void bang(byte b) {
			this.name.append((char) (b & 0xFF));
			String seen = this.name.toString();
			if (seen.equals("!--")) {
				this.state = State.COMMENT;
			}
			else if (seen.equals("![CDATA[")) {
				this.state = State.CDATA;
			}
			else if (seen.length() >= 8) {
				// <!DOCTYPE, <!ENTITY: Excel never writes them; they are how
				// entity-expansion bombs start.
				throw tooLarge();
			}
		}

		private void element(String qualified) {
			String local = qualified.substring(qualified.indexOf(':') + 1);
			switch (local) {
				case "row" -> {
					if (++this.rows > this.limits.maxRows()) {
						throw tooLarge();
					}
					this.cellsInRow = 0;
				}
				case "c" -> {
					if (++this.cellsInRow > this.limits.maxCellsPerRow()
							|| ++this.totals.cells > this.limits.maxCells()) {
						throw tooLarge();
					}
				}
				case "si" -> {
					if (++this.strings > this.limits.maxSharedStrings()) {
						throw tooLarge();
					}
				}
				default -> {
				}
			}
		}

	}

	/**
	 * Counts records and characters per record while a CSV is read. Follows quoting just
	 * enough to know where records end, so a quoted cell full of line breaks cannot slip
	 * past the limit.
	 */
	private static final class BoundedRecords extends FilterReader {

		private final Limits limits;

		private boolean quoted;

		private long length;

		private long records;

		BoundedRecords(Reader in, Limits limits) {
			super(in);
			this.limits = limits;
		}

		@Override
		public int read() throws IOException {
			int c = super.read();
			if (c >= 0) {
				count((char) c);
			}
			return c;
		}

		@Override
		public int read(char[] buffer, int offset, int length) throws IOException {
			int read = super.read(buffer, offset, length);
			for (int i = 0; i < read; i++) {
				count(buffer[offset + i]);
			}
			return read;
		}

		private void count(char c) {
			if (c == '"') {
				this.quoted = !this.quoted;
			}
			else if (c == '\n' && !this.quoted) {
				this.length = 0;
				if (++this.records > this.limits.maxRows()) {
					throw tooLarge();
				}
				return;
			}
			if (++this.length > this.limits.maxRecordChars()) {
				throw new RecordTooLong(this.limits.maxRecordChars());
			}
		}

	}

}
