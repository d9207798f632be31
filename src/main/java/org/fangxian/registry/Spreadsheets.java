package org.fangxian.registry;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.function.Consumer;

import org.fangxian.registry.internal.RosterFormatException;
import org.fangxian.registry.internal.TableRows;
import org.fangxian.shared.InvalidInput;

/**
 * Reads the tables people upload (.xlsx or .csv in UTF-8 or GBK) with the roster import's
 * reader, for modules that import lists of their own (volunteers, lab results): same
 * cleaning, same row numbers.
 */
public final class Spreadsheets {

	/**
	 * One non-blank row: its number as the spreadsheet shows it, and its cleaned cells.
	 */
	public record Row(int number, List<String> cells) {

		public String cell(int column) {
			return (column >= 0 && column < this.cells.size()) ? this.cells.get(column) : "";
		}

	}

	private Spreadsheets() {
	}

	/**
	 * Reads every non-blank row in file order; the format is told by the content (an
	 * .xlsx is a zip), because uploads do not always keep their file name.
	 * @throws InvalidInput on field {@code file} when the file is empty, unreadable or
	 * too long
	 */
	public static void read(byte[] content, int maxRows, Consumer<Row> onRow) {
		if (content == null || content.length == 0) {
			throw new InvalidInput("file", "roster.format.unreadable", 0);
		}
		boolean xlsx = content.length > 3 && content[0] == 'P' && content[1] == 'K' && content[2] == 3
				&& content[3] == 4;
		try {
			TableRows.read(new ByteArrayInputStream(content), xlsx, maxRows,
					(number, cells) -> onRow.accept(new Row(number, List.copyOf(cells))));
		}
		catch (RosterFormatException ex) {
			throw new InvalidInput("file", ex.messageKey(), ex.args());
		}
	}

}
