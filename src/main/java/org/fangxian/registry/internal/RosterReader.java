package org.fangxian.registry.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;

/**
 * Reads resident rosters as communities keep them: XLSX or CSV (UTF-8 or GBK), a title row above
 * the header, Chinese header names, blank rows, full-width digits. Rows are streamed, so a million
 * rows never sit in memory at once.
 */
public final class RosterReader {

	static final int HEADER_SEARCH_ROWS = 15;

	static final int MAX_ROWS = 2_000_000;

	static final int MAX_COLUMNS = 200;

	/**
	 * Streams a roster.
	 * @param overrides field chosen by the user for a header text; wins over the guessed mapping
	 * @param onHeader called once, before the first row
	 */
	public void stream(InputStream in, String filename, Map<String, RosterField> overrides,
			Consumer<RosterSheet> onHeader, Consumer<RosterRow> onRow) {
		String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
		Assembler assembler = new Assembler(overrides == null ? Map.of() : overrides, onHeader, onRow);
		try {
			if (name.endsWith(".xlsx")) {
				readXlsx(in, assembler);
			}
			else if (name.endsWith(".csv") || name.endsWith(".txt")) {
				readCsv(in, assembler);
			}
			else {
				throw new RosterFormatException("roster.format.unsupported");
			}
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof RosterFormatException format) {
				throw format;
			}
			throw new RosterFormatException("roster.format.unreadable");
		}
		assembler.finish();
	}

	/** Reads the whole roster into memory: for previews and small files. */
	public Result read(InputStream in, String filename, Map<String, RosterField> overrides) {
		List<RosterRow> rows = new ArrayList<>();
		RosterSheet[] sheet = new RosterSheet[1];
		stream(in, filename, overrides, s -> sheet[0] = s, rows::add);
		return new Result(sheet[0], rows);
	}

	/** A roster read whole. */
	public record Result(RosterSheet sheet, List<RosterRow> rows) {
	}

	private void readXlsx(InputStream in, Assembler assembler) throws IOException {
		try (ReadableWorkbook workbook = new ReadableWorkbook(in);
				Stream<Row> rows = workbook.getFirstSheet().openStream()) {
			rows.forEach(row -> {
				int count = Math.min(row.getCellCount(), MAX_COLUMNS);
				List<String> cells = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					cells.add(text(row.getCell(i)));
				}
				assembler.accept(row.getRowNum(), cells);
			});
		}
	}

	/** Numbers typed into Excel (phones, sometimes ID numbers) must not come back as "1.3800138E10". */
	private static String text(Cell cell) {
		if (cell == null || cell.getType() == CellType.EMPTY) {
			return "";
		}
		if (cell.getType() == CellType.NUMBER) {
			String raw = cell.getRawValue();
			try {
				return new BigDecimal(raw).stripTrailingZeros().toPlainString();
			}
			catch (NumberFormatException ex) {
				return raw;
			}
		}
		String text = cell.getText();
		return text == null ? "" : text;
	}

	private void readCsv(InputStream raw, Assembler assembler) throws IOException {
		BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
		Charset charset = detectCharset(in);
		Reader reader = new InputStreamReader(in, charset);
		CSVFormat format = CSVFormat.DEFAULT.builder()
			.setDelimiter(detectDelimiter(in, charset))
			.setIgnoreEmptyLines(false)
			.setTrim(false)
			.get();
		try (CSVParser parser = format.parse(reader)) {
			int line = 0;
			for (CSVRecord record : parser) {
				line++;
				List<String> cells = new ArrayList<>(Math.min(record.size(), MAX_COLUMNS));
				for (int i = 0; i < record.size() && i < MAX_COLUMNS; i++) {
					String cell = record.get(i);
					cells.add(line == 1 && i == 0 ? stripBom(cell) : cell);
				}
				assembler.accept(line, cells);
			}
		}
	}

	private static String stripBom(String text) {
		return text.startsWith("\uFEFF") ? text.substring(1) : text;
	}

	/** UTF-8 if the first 64 KiB decode as UTF-8, else GB18030 (what Excel in China saves CSV as). */
	static Charset detectCharset(BufferedInputStream in) throws IOException {
		in.mark(1 << 16);
		byte[] head = in.readNBytes(1 << 16);
		in.reset();
		int end = head.length;
		// Do not judge a multi-byte character cut at the buffer's edge.
		if (end == 1 << 16) {
			while (end > 0 && (head[end - 1] & 0xC0) == 0x80) {
				end--;
			}
			if (end > 0 && (head[end - 1] & 0x80) != 0) {
				end--;
			}
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(head, 0, end));
			return StandardCharsets.UTF_8;
		}
		catch (CharacterCodingException ex) {
			return Charset.forName("GB18030");
		}
	}

	private static char detectDelimiter(BufferedInputStream in, Charset charset) throws IOException {
		in.mark(1 << 16);
		byte[] head = in.readNBytes(8192);
		in.reset();
		String text = new String(head, charset);
		int newline = text.indexOf('\n');
		String firstLines = newline < 0 ? text : text.substring(0, Math.min(text.length(), newline + 2000));
		long commas = firstLines.chars().filter(c -> c == ',').count();
		long tabs = firstLines.chars().filter(c -> c == '\t').count();
		long semicolons = firstLines.chars().filter(c -> c == ';').count();
		if (tabs > commas && tabs >= semicolons) {
			return '\t';
		}
		return semicolons > commas ? ';' : ',';
	}

	/** Finds the header among the first rows, then turns each later row into a {@link RosterRow}. */
	private static final class Assembler {

		private final Map<String, RosterField> overrides;

		private final Consumer<RosterSheet> onHeader;

		private final Consumer<RosterRow> onRow;

		private Map<Integer, RosterField> mapping;

		private int rowsSeen;

		private int dataRows;

		Assembler(Map<String, RosterField> overrides, Consumer<RosterSheet> onHeader, Consumer<RosterRow> onRow) {
			this.overrides = new LinkedHashMap<>();
			overrides.forEach((header, field) -> this.overrides.put(RosterText.clean(header), field));
			this.onHeader = onHeader;
			this.onRow = onRow;
		}

		void accept(int rowNumber, List<String> rawCells) {
			this.rowsSeen++;
			if (this.mapping == null) {
				findHeader(rowNumber, rawCells);
				return;
			}
			Map<RosterField, String> values = new EnumMap<>(RosterField.class);
			boolean blank = true;
			for (Map.Entry<Integer, RosterField> column : this.mapping.entrySet()) {
				if (column.getKey() < rawCells.size()) {
					String value = RosterText.clean(rawCells.get(column.getKey()));
					if (!value.isEmpty()) {
						blank = false;
						values.merge(column.getValue(), value, (a, b) -> a + " " + b);
					}
				}
			}
			if (blank || isFooter(values, rawCells)) {
				return;
			}
			if (++this.dataRows > MAX_ROWS) {
				throw new RosterFormatException("roster.format.tooManyRows");
			}
			this.onRow.accept(new RosterRow(rowNumber, values));
		}

		/** "填表人：张三 审核人：李四" or "合计" under the table: not a person. */
		private static boolean isFooter(Map<RosterField, String> values, List<String> rawCells) {
			if (!values.getOrDefault(RosterField.ID_NUMBER, "").isEmpty()) {
				return false;
			}
			String joined = String.join(" ", rawCells);
			return joined.contains("填表人") || joined.contains("审核人") || joined.contains("制表") || joined.trim().startsWith("合计")
					|| joined.trim().startsWith("总计");
		}

		private void findHeader(int rowNumber, List<String> rawCells) {
			List<String> headers = rawCells.stream().map(RosterText::clean).toList();
			Map<Integer, RosterField> guessed = new LinkedHashMap<>();
			int recognised = 0;
			for (int i = 0; i < headers.size(); i++) {
				String header = headers.get(i);
				RosterField field = this.overrides.containsKey(header) ? this.overrides.get(header)
						: RosterField.forHeader(header).orElse(null);
				if (RosterField.forHeader(header).isPresent() || this.overrides.containsKey(header)) {
					recognised++;
				}
				if (field != null && field != RosterField.SEQ && !guessed.containsValue(field)) {
					guessed.put(i, field);
				}
			}
			if (recognised >= 2) {
				if (!guessed.containsValue(RosterField.NAME)) {
					throw new RosterFormatException("roster.format.noNameColumn");
				}
				this.mapping = guessed;
				List<String> unmapped = new ArrayList<>();
				for (int i = 0; i < headers.size(); i++) {
					if (!guessed.containsKey(i) && !headers.get(i).isEmpty()) {
						unmapped.add(headers.get(i));
					}
				}
				this.onHeader.accept(new RosterSheet(rowNumber, headers, Map.copyOf(guessed), List.copyOf(unmapped)));
			}
			else if (this.rowsSeen >= HEADER_SEARCH_ROWS) {
				throw new RosterFormatException("roster.format.noHeader");
			}
		}

		void finish() {
			if (this.mapping == null) {
				throw new RosterFormatException("roster.format.noHeader");
			}
		}

	}

}
