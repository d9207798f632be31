package org.fangxian.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.fangxian.registry.internal.SourceRows.SourceRow;

/**
 * The roster reader's file handling (XLSX streaming, CSV encoding and delimiter sniffing,
 * cell cleaning, row numbers as Excel shows them) for other tables than resident rosters:
 * hands back each non-blank row's cleaned cells and leaves the meaning of the columns to
 * the caller.
 */
public final class TableRows {

	/**
	 * Receives one non-blank row: its number as the user sees it and its cells, "" for
	 * empty ones.
	 */
	public interface Sink {

		void row(int number, List<String> cells);

	}

	private TableRows() {
	}

	/**
	 * @throws RosterFormatException when the file cannot be read, or holds more than
	 * {@code maxRows} rows
	 */
	public static void read(InputStream in, boolean xlsx, int maxRows, Sink sink) {
		SourceRows source;
		org.fangxian.shared.SpreadsheetUpload upload = null;
		try {
			// The same bounds as every upload (zip bombs, huge string tables); the rows
			// take the upload over.
			upload = org.fangxian.shared.SpreadsheetUpload.receive(in, xlsx ? "upload.xlsx" : "upload.csv",
					RosterReader.LIMITS);
			source = xlsx ? XlsxRows.open(upload) : CsvRows.open(upload);
		}
		catch (IOException | RuntimeException ex) {
			if (upload != null) {
				upload.close();
			}
			throw (ex instanceof RosterFormatException known) ? known : RosterReader.unreadableAt(ex, 0);
		}
		int rows = 0;
		int number = 0;
		try (source) {
			SourceRow row;
			while ((row = source.next()) != null) {
				number = row.number();
				int width = Math.min(row.width(), RosterReader.MAX_COLUMNS);
				List<String> cells = new ArrayList<>(width);
				boolean blank = true;
				for (int i = 0; i < width; i++) {
					String text = row.text(i);
					blank &= text.isEmpty();
					cells.add(text);
				}
				if (blank) {
					continue;
				}
				if (++rows > maxRows) {
					throw new RosterFormatException("roster.format.tooManyRows", maxRows);
				}
				sink.row(number, cells);
			}
		}
		catch (IOException | RuntimeException ex) {
			throw (ex instanceof RosterFormatException known) ? known : RosterReader.unreadableAt(ex, number);
		}
	}

}
