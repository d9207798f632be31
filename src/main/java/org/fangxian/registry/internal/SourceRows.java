package org.fangxian.registry.internal;

import java.io.Closeable;
import java.io.IOException;

/**
 * Rows of one roster file, whatever its format, in file order; gaps in the numbering are
 * blank rows.
 */
interface SourceRows extends Closeable {

	/** The next row, or null at the end of the file. */
	SourceRow next() throws IOException;

	interface SourceRow {

		/**
		 * The number the user sees for this row: Excel's row number, or the CSV record
		 * number.
		 */
		int number();

		/** One past the last column that may hold a value. */
		int width();

		/** The cell's normalised text, "" when the cell is absent or empty. */
		String text(int column);

		/**
		 * The cell's text when the column holds birth dates: a spreadsheet may keep a
		 * date as a bare number once its cell style is lost, which only this column can
		 * safely read as a date.
		 */
		default String dateText(int column) {
			return text(column);
		}

	}

}
