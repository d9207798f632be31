package org.fangxian.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.dhatim.fastexcel.reader.SheetVisibility;
import org.fangxian.shared.SpreadsheetUpload;

/**
 * Streams the first visible sheet of an .xlsx roster, from the temporary file a checked
 * {@link SpreadsheetUpload} spooled (the zip format needs random access, and fastexcel
 * would otherwise hold the whole file in memory); the sheet itself is then read row by
 * row.
 */
final class XlsxRows implements SourceRows {

	/**
	 * Excel's built-in number formats that display dates (14-22, 45-47), including those
	 * only East Asian locales define (27-36, 50-58), such as "yyyy年m月d日"; files refer to
	 * them by id alone.
	 */
	private static final Set<Integer> BUILT_IN_DATE_FORMATS = Set.of(14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30,
			31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58);

	/** Serial numbers a living person's birth date can have: 1910-01-01 to 2100-12-31. */
	private static final int FIRST_BIRTH_SERIAL = 3654;

	private static final int LAST_BIRTH_SERIAL = 73415;

	private static final LocalDate EPOCH_1900 = LocalDate.of(1899, 12, 30);

	private static final LocalDate EPOCH_1904 = LocalDate.of(1904, 1, 1);

	private final SpreadsheetUpload upload;

	private final ReadableWorkbook workbook;

	private final Stream<Row> stream;

	private final Iterator<Row> rows;

	private XlsxRows(SpreadsheetUpload upload, ReadableWorkbook workbook, Stream<Row> stream) {
		this.upload = upload;
		this.workbook = workbook;
		this.stream = stream;
		this.rows = stream.iterator();
	}

	/** Takes over the upload: closing these rows deletes it. */
	static XlsxRows open(SpreadsheetUpload upload) throws IOException {
		ReadableWorkbook workbook = null;
		try {
			// Cell formats are needed to tell a date from a number; parse errors become
			// error cells, not failures.
			workbook = new ReadableWorkbook(upload.file().toFile(), new ReadingOptions(true, true));
			List<Sheet> sheets = workbook.getSheets().toList();
			Sheet sheet = sheets.stream()
				.filter((candidate) -> candidate.getVisibility() == SheetVisibility.VISIBLE)
				.findFirst()
				.orElse(sheets.isEmpty() ? null : sheets.get(0));
			if (sheet == null) {
				throw new IOException("Workbook has no sheets");
			}
			return new XlsxRows(upload, workbook, sheet.openStream());
		}
		catch (IOException | RuntimeException ex) {
			if (workbook != null) {
				workbook.close();
			}
			throw ex;
		}
	}

	@Override
	public SourceRow next() {
		return this.rows.hasNext() ? new XlsxRow(this.rows.next()) : null;
	}

	@Override
	public void close() throws IOException {
		try {
			this.stream.close();
			this.workbook.close();
		}
		finally {
			this.upload.close();
		}
	}

	private final class XlsxRow implements SourceRow {

		private final Row row;

		XlsxRow(Row row) {
			this.row = row;
		}

		@Override
		public int number() {
			return this.row.getRowNum();
		}

		@Override
		public int width() {
			return this.row.getCellCount();
		}

		@Override
		public String text(int column) {
			return render(cell(column), false);
		}

		@Override
		public String dateText(int column) {
			return render(cell(column), true);
		}

		private Cell cell(int column) {
			return (column < this.row.getCellCount()) ? this.row.getCell(column) : null;
		}

	}

	private String render(Cell cell, boolean dateColumn) {
		if (cell == null) {
			return "";
		}
		Object value = cell.getValue();
		if (value instanceof BigDecimal number) {
			if (isDateFormatted(cell) || (dateColumn && isBirthSerial(number))) {
				return date(number);
			}
			return plain(number);
		}
		if (value instanceof String text) {
			return CellText.clean(text);
		}
		if (value instanceof Boolean flag) {
			return flag.toString().toUpperCase(Locale.ROOT);
		}
		// Empty and error cells (#N/A, #REF!) carry nothing to import.
		return "";
	}

	/**
	 * A number as typed: the XML keeps the digits Excel wrote, so an ID number or phone
	 * stored as a number comes back whole, without the exponent or ".0" a double would
	 * add.
	 */
	private static String plain(BigDecimal number) {
		BigDecimal stripped = number.stripTrailingZeros();
		// A hostile "1E+999999999" must not expand into a billion zeros.
		if (Math.abs(stripped.scale()) > 40) {
			return stripped.toString();
		}
		return stripped.toPlainString();
	}

	private String date(BigDecimal serial) {
		long days = serial.setScale(0, RoundingMode.FLOOR).longValue();
		if (days < 0 || days > 2_958_465) {
			return plain(serial);
		}
		LocalDate epoch = this.workbook.isDate1904() ? EPOCH_1904 : EPOCH_1900;
		return epoch.plusDays(days).toString();
	}

	private static boolean isBirthSerial(BigDecimal number) {
		return number.compareTo(BigDecimal.valueOf(FIRST_BIRTH_SERIAL)) >= 0
				&& number.compareTo(BigDecimal.valueOf(LAST_BIRTH_SERIAL)) <= 0;
	}

	private static boolean isDateFormatted(Cell cell) {
		Integer formatId = cell.getDataFormatId();
		if (formatId != null && BUILT_IN_DATE_FORMATS.contains(formatId)) {
			return true;
		}
		String format = cell.getDataFormatString();
		return format != null && isDateFormat(format);
	}

	/**
	 * Whether a custom number format shows a date: it has year, day or month codes once
	 * quoted text, escapes and bracketed sections (colours, locales, conditions) are
	 * removed. A lone "m" is minutes when hours or seconds are present.
	 */
	static boolean isDateFormat(String format) {
		String codes = format.replaceAll("\"[^\"]*\"|\\\\.|\\[[^]]*]|_.|\\*.", "").toLowerCase(Locale.ROOT);
		if (codes.contains("general")) {
			return false;
		}
		if (codes.indexOf('y') >= 0 || codes.indexOf('d') >= 0) {
			return true;
		}
		return codes.indexOf('m') >= 0 && codes.indexOf('h') < 0 && codes.indexOf('s') < 0;
	}

}
