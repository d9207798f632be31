package org.fangxian.testing.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.SpreadsheetUpload;

/**
 * A lab's result file, CSV (UTF-8 or GB18030) or XLSX, read into rows of three texts:
 * tube barcode, result, time. The header is recognised by its Chinese or English names;
 * without one the columns are taken in that order. Row numbers are those a spreadsheet
 * shows, so a lab can find a bad row.
 */
public final class LabFile {

	public record Line(int row, String barcode, String result, String time) {
	}

	private static final Map<String, Integer> HEADERS = Map.ofEntries(Map.entry("试管条码", 0), Map.entry("条码", 0),
			Map.entry("管码", 0), Map.entry("试管编号", 0), Map.entry("试管号", 0), Map.entry("样本编号", 0), Map.entry("TUBE", 0),
			Map.entry("BARCODE", 0), Map.entry("TUBEBARCODE", 0), Map.entry("TUBE_BARCODE", 0), Map.entry("结果", 1),
			Map.entry("检测结果", 1), Map.entry("核酸结果", 1), Map.entry("RESULT", 1), Map.entry("时间", 2),
			Map.entry("检测时间", 2), Map.entry("报告时间", 2), Map.entry("结果时间", 2), Map.entry("TIME", 2),
			Map.entry("RESULTTIME", 2), Map.entry("RESULT_TIME", 2), Map.entry("TESTEDAT", 2));

	/**
	 * Every row is held at once (the header decides how to read the rest), so a lab file
	 * is bounded tighter than the default upload, and only its first
	 * {@value #MAX_COLUMNS} columns are kept.
	 */
	static final SpreadsheetUpload.Limits LIMITS = SpreadsheetUpload.Limits.DEFAULT.withMaxRows(500_000)
		.withMaxCells(5_000_000);

	static final int MAX_COLUMNS = 16;

	private LabFile() {
	}

	static List<Line> read(String filename, byte[] content) {
		if (content.length == 0) {
			throw new InvalidInput("file", "testing.import.empty");
		}
		List<List<String>> rows;
		try (SpreadsheetUpload upload = SpreadsheetUpload.receive(new ByteArrayInputStream(content), filename,
				LIMITS)) {
			rows = (upload.format() == SpreadsheetUpload.Format.XLSX) ? xlsx(upload) : csv(upload, content);
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof InvalidInput invalid) {
				// upload.too-large from the upload's bounds, or this reader's own.
				throw invalid;
			}
			throw new InvalidInput("file", "testing.import.unreadable");
		}
		int[] columns = { 0, 1, 2 };
		int first = 0;
		if (!rows.isEmpty()) {
			int[] found = { -1, -1, -1 };
			List<String> header = rows.get(0);
			for (int i = 0; i < header.size(); i++) {
				Integer which = HEADERS.get(header.get(i).replace(" ", "").toUpperCase(Locale.ROOT));
				if (which != null && found[which] < 0) {
					found[which] = i;
				}
			}
			if (found[0] >= 0 || found[1] >= 0) {
				if (found[0] < 0 || found[1] < 0) {
					throw new InvalidInput("file", "testing.import.columns");
				}
				columns = found;
				first = 1;
			}
		}
		List<Line> lines = new ArrayList<>();
		for (int i = first; i < rows.size(); i++) {
			List<String> row = rows.get(i);
			if (row.stream().allMatch(String::isBlank)) {
				continue;
			}
			lines.add(new Line(i + 1, cell(row, columns[0]), cell(row, columns[1]),
					columns[2] < 0 ? "" : cell(row, columns[2])));
		}
		if (lines.isEmpty()) {
			throw new InvalidInput("file", "testing.import.empty");
		}
		return lines;
	}

	private static String cell(List<String> row, int index) {
		return index < row.size() ? FullWidth.clean(row.get(index)) : "";
	}

	private static List<List<String>> csv(SpreadsheetUpload upload, byte[] content) throws IOException {
		Charset charset = utf8(content) ? StandardCharsets.UTF_8 : Charset.forName("GB18030");
		List<List<String>> rows = new ArrayList<>();
		try (Reader reader = upload.csv(charset)) {
			for (CSVRecord record : CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get().parse(reader)) {
				List<String> row = new ArrayList<>();
				for (int i = 0; i < Math.min(record.size(), MAX_COLUMNS); i++) {
					row.add(record.get(i).replace("\uFEFF", ""));
				}
				rows.add(row);
			}
		}
		return rows;
	}

	private static boolean utf8(byte[] content) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(content));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	private static List<List<String>> xlsx(SpreadsheetUpload upload) throws IOException {
		List<List<String>> rows = new ArrayList<>();
		try (ReadableWorkbook workbook = new ReadableWorkbook(upload.file().toFile())) {
			try (var stream = workbook.getFirstSheet().openStream()) {
				for (Row row : (Iterable<Row>) stream::iterator) {
					// Rows Excel left out entirely keep their numbers: pad with empty
					// rows.
					while (rows.size() < row.getRowNum() - 1) {
						rows.add(List.of());
					}
					List<String> cells = new ArrayList<>();
					for (int i = 0; i < Math.min(row.getCellCount(), MAX_COLUMNS); i++) {
						Cell cell = row.getCell(i);
						cells.add(cell == null ? "" : text(cell));
					}
					rows.add(cells);
				}
			}
		}
		return rows;
	}

	/**
	 * Dates arrive as Excel serial numbers (days since 1900: 20000..80000 is 1954..2119);
	 * barcodes typed as numbers lose nothing.
	 */
	private static String text(Cell cell) {
		if (cell.getType() == CellType.NUMBER) {
			BigDecimal number = cell.asNumber();
			if (number.doubleValue() > 20000 && number.doubleValue() < 80000) {
				return cell.asDate().toString().replace('T', ' ');
			}
			return number.stripTrailingZeros().toPlainString();
		}
		return cell.getText() == null ? "" : cell.getText();
	}

}
