package org.fangxian.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.fangxian.registry.internal.SourceRows.SourceRow;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.SpreadsheetUpload;

/**
 * Reads the resident rosters communities keep in Excel (.xlsx) or CSV, as they actually
 * are: a title row or two above the header, headers worded a dozen ways, full-width
 * digits, stray spaces, blank rows and a signature footer. Finds the header, maps its
 * columns to {@link RosterField}s and hands back normalised text per row; judging whether
 * a row is a valid resident is the importer's job.
 *
 * <p>
 * Hostile files are bounded: at most {@value #MAX_ROWS} rows, columns after the
 * {@value #MAX_COLUMNS}th are ignored, and cells are cut at {@value CellText#MAX_CHARS}
 * characters. Files come in through {@link SpreadsheetUpload}, which refuses zip bombs
 * and oversized string tables before fastexcel sees them ({@code upload.too-large}). The
 * caller's stream is left open.
 */
public final class RosterReader {

	private static final System.Logger LOG = System.getLogger(RosterReader.class.getName());

	static final int MAX_ROWS = 2_000_000;

	static final int MAX_COLUMNS = 200;

	/**
	 * The header must be within this many rows; searching further would just read a whole
	 * bad file.
	 */
	static final int HEADER_SEARCH_ROWS = 15;

	/** How signature and total lines under a roster begin. */
	private static final List<String> FOOTER_WORDS = List.of("合计", "小计", "总计", "共计", "填表人", "填报人", "制表人", "审核人", "审核",
			"负责人", "填表日期", "填报日期", "制表日期", "签字", "盖章", "注:");

	public RosterSheet read(InputStream in, String filename) {
		return read(in, filename, Map.of());
	}

	/**
	 * Reads a whole roster into memory.
	 * @param headerOverrides fields chosen by the user for header texts, taking
	 * precedence over the recognised synonyms; map a header to {@link RosterField#SEQ} to
	 * ignore its column
	 * @throws RosterFormatException if the file cannot be read as a roster at all
	 */
	public RosterSheet read(InputStream in, String filename, Map<String, RosterField> headerOverrides) {
		List<RosterSheet> header = new ArrayList<>(1);
		List<RosterRow> rows = new ArrayList<>();
		stream(in, filename, headerOverrides, header::add, rows::add);
		return header.get(0).withRows(rows);
	}

	/**
	 * Reads a roster row by row, for files too big to hold: {@code onHeader} gets the
	 * sheet (without rows) once the header is found, then {@code onRow} each data row in
	 * file order. Blank rows and footers are skipped; row numbers stay those the user
	 * sees.
	 * @throws RosterFormatException if the file cannot be read as a roster; rows already
	 * delivered stand
	 */
	public void stream(InputStream in, String filename, Map<String, RosterField> headerOverrides,
			Consumer<RosterSheet> onHeader, Consumer<RosterRow> onRow) {
		Objects.requireNonNull(in, "in");
		Objects.requireNonNull(onHeader, "onHeader");
		Objects.requireNonNull(onRow, "onRow");
		Pass pass = new Pass((headerOverrides != null) ? headerOverrides : Map.of());
		SourceRows source = open(in, filename);
		try {
			pass.run(source, onHeader, onRow);
		}
		finally {
			close(source);
		}
	}

	/**
	 * The upload's own bounds sit above this reader's row and record caps, so those keep
	 * their roster-specific messages; the upload's catch what they cannot (zip bombs,
	 * huge string tables).
	 */
	static final SpreadsheetUpload.Limits LIMITS = SpreadsheetUpload.Limits.DEFAULT.withMaxRows(2L * MAX_ROWS)
		.withMaxRecordChars(CsvRows.MAX_RECORD_CHARS);

	/**
	 * Also the cadre-sheet reader's entry (CadreSheets): the same bounds for every
	 * upload.
	 */
	static SourceRows open(InputStream in, String filename) {
		String name = (filename != null) ? filename.strip().toLowerCase(Locale.ROOT) : "";
		boolean xlsx = name.endsWith(".xlsx");
		if (!xlsx && !name.endsWith(".csv")) {
			int dot = name.lastIndexOf('.');
			throw new RosterFormatException("roster.format.unsupported", (dot >= 0) ? name.substring(dot) : "");
		}
		SpreadsheetUpload upload = null;
		try {
			upload = SpreadsheetUpload.receive(in, filename, LIMITS);
			return xlsx ? XlsxRows.open(upload) : CsvRows.open(upload);
		}
		catch (IOException | RuntimeException ex) {
			if (upload != null) {
				upload.close();
			}
			throw unreadable(ex, 0);
		}
	}

	private static void close(SourceRows source) {
		try {
			source.close();
		}
		catch (IOException ex) {
			// Everything was read; failing to release a temporary file must not fail the
			// import.
			LOG.log(System.Logger.Level.WARNING, "Could not release a roster being read", ex);
		}
	}

	/**
	 * A file that broke while being read: at the row being read when there is one (as
	 * Excel numbers rows), else the whole file (never "row 0").
	 */
	static RosterFormatException unreadableAt(Exception ex, int rowNumber) {
		return (rowNumber > 0) ? new RosterFormatException("roster.format.unreadable", ex, rowNumber)
				: new RosterFormatException("roster.format.corrupt", ex);
	}

	/**
	 * A file beyond the upload's bounds keeps its own answer (upload.too-large); anything
	 * else is unreadable.
	 */
	private static RuntimeException unreadable(Exception ex, int rowNumber) {
		if (ex instanceof InvalidInput tooLarge) {
			return tooLarge;
		}
		return (ex instanceof RosterFormatException known) ? known : unreadableAt(ex, rowNumber);
	}

	/**
	 * One reading of one file: searching for the header, then mapping each row through
	 * it.
	 */
	private static final class Pass {

		private final Map<String, RosterField> overrides;

		private final Map<String, RosterField> overridesByKey = new HashMap<>();

		/**
		 * The field of each column, null for unmapped; null itself until the header is
		 * found.
		 */
		private RosterField[] columns;

		Pass(Map<String, RosterField> overrides) {
			this.overrides = overrides;
			overrides.forEach((header, field) -> {
				if (header != null && field != null) {
					this.overridesByKey.putIfAbsent(RosterField.headerKey(header), field);
				}
			});
		}

		void run(SourceRows source, Consumer<RosterSheet> onHeader, Consumer<RosterRow> onRow) {
			long count = 0;
			int lastNumber = 0;
			SourceRow row;
			while ((row = next(source, lastNumber)) != null) {
				lastNumber = row.number();
				if (++count > MAX_ROWS) {
					throw new RosterFormatException("roster.format.tooManyRows", MAX_ROWS);
				}
				if (this.columns == null) {
					if (row.number() > HEADER_SEARCH_ROWS) {
						break;
					}
					RosterSheet sheet = header(row);
					if (sheet != null) {
						onHeader.accept(sheet);
					}
					continue;
				}
				RosterRow parsed = parse(row);
				if (parsed != null) {
					onRow.accept(parsed);
				}
			}
			if (this.columns == null) {
				throw new RosterFormatException("roster.format.noHeader", HEADER_SEARCH_ROWS);
			}
		}

		/**
		 * Reading errors only: an exception from the caller's consumers is theirs and
		 * passes untouched.
		 */
		private static SourceRow next(SourceRows source, int lastNumber) {
			try {
				return source.next();
			}
			catch (IOException | RuntimeException ex) {
				throw unreadable(ex, lastNumber + 1);
			}
		}

		/**
		 * The sheet this row heads, or null if fewer than two of its cells look like
		 * roster headers.
		 */
		private RosterSheet header(SourceRow row) {
			int width = Math.min(row.width(), MAX_COLUMNS);
			List<String> headers = new ArrayList<>(width);
			int recognised = 0;
			for (int column = 0; column < width; column++) {
				String header = row.text(column);
				headers.add(header);
				if (!header.isEmpty() && (override(header) != null || RosterField.ofHeader(header).isPresent())) {
					recognised++;
				}
			}
			if (recognised < 2) {
				return null;
			}
			while (!headers.isEmpty() && headers.get(headers.size() - 1).isEmpty()) {
				headers.remove(headers.size() - 1);
			}

			RosterField[] fields = new RosterField[headers.size()];
			Set<RosterField> claimed = EnumSet.noneOf(RosterField.class);
			for (int column = 0; column < fields.length; column++) {
				RosterField field = override(headers.get(column));
				if (field != null && claim(claimed, field)) {
					fields[column] = field;
				}
			}
			for (int column = 0; column < fields.length; column++) {
				String header = headers.get(column);
				if (fields[column] == null && !header.isEmpty() && override(header) == null) {
					RosterField field = RosterField.ofHeader(header).orElse(null);
					if (field != null && claim(claimed, field)) {
						fields[column] = field;
					}
				}
			}
			if (!claimed.contains(RosterField.NAME)) {
				throw new RosterFormatException("roster.format.noNameColumn", row.number());
			}

			Map<Integer, RosterField> mapping = new HashMap<>();
			List<String> unmapped = new ArrayList<>();
			for (int column = 0; column < fields.length; column++) {
				if (fields[column] != null) {
					mapping.put(column, fields[column]);
				}
				else if (!headers.get(column).isEmpty()) {
					unmapped.add(headers.get(column));
				}
			}
			this.columns = fields;
			return new RosterSheet(row.number(), headers, mapping, unmapped, List.of());
		}

		/**
		 * The first column for a field wins; any number of columns may be ignored as SEQ.
		 */
		private static boolean claim(Set<RosterField> claimed, RosterField field) {
			return field == RosterField.SEQ || claimed.add(field);
		}

		private RosterField override(String header) {
			RosterField field = this.overrides.get(header);
			return (field != null) ? field : this.overridesByKey.get(RosterField.headerKey(header));
		}

		/**
		 * The row's values, or null for a row with nothing to import (blank, numbering
		 * only, or a footer).
		 */
		private RosterRow parse(SourceRow row) {
			EnumMap<RosterField, String> values = null;
			for (int column = 0; column < this.columns.length; column++) {
				RosterField field = this.columns[column];
				if (field == null || field == RosterField.SEQ) {
					continue;
				}
				String value = switch (field) {
					case BIRTH_DATE -> row.dateText(column);
					case ID_NUMBER -> idNumber(row.text(column));
					case PHONE -> unquoted(row.text(column));
					default -> row.text(column);
				};
				if (!value.isEmpty()) {
					if (values == null) {
						values = new EnumMap<>(RosterField.class);
					}
					values.put(field, value);
				}
			}
			if (values == null) {
				return null;
			}
			if (!values.containsKey(RosterField.NAME) && !values.containsKey(RosterField.ID_NUMBER) && isFooter(row)) {
				return null;
			}
			return new RosterRow(row.number(), values);
		}

		private static boolean isFooter(SourceRow row) {
			int width = Math.min(row.width(), MAX_COLUMNS);
			for (int column = 0; column < width; column++) {
				String text = row.text(column);
				if (!text.isEmpty()) {
					String key = text.replace(" ", "");
					return FOOTER_WORDS.stream().anyMatch(key::startsWith);
				}
			}
			return false;
		}

	}

	/**
	 * ID numbers without the spaces people type for readability, and with the check
	 * character "x" upper-cased.
	 */
	static String idNumber(String text) {
		return unquoted(text).replace(" ", "").toUpperCase(Locale.ROOT);
	}

	/**
	 * Undoes the tricks used to stop Excel turning long digit strings into numbers: a
	 * leading apostrophe, or a CSV cell written as the formula {@code ="230102..."}.
	 */
	static String unquoted(String text) {
		if (text.startsWith("'")) {
			return text.substring(1).strip();
		}
		if (text.length() >= 3 && text.startsWith("=\"") && text.endsWith("\"")) {
			return text.substring(2, text.length() - 1).strip();
		}
		return text;
	}

}
