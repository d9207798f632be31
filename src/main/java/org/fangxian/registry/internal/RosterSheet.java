package org.fangxian.registry.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a roster file holds: where its header is, how its columns were understood, and its
 * rows.
 *
 * @param headerRowNumber the header's row number as the user sees it
 * @param headers normalised header texts by column index ("" for a column without one)
 * @param mapping the field each recognised column was mapped to, by column index;
 * {@link RosterField#SEQ} columns are listed but never imported
 * @param unmappedHeaders header texts that no field claimed (unknown, or a second column
 * for a field already mapped), in column order, so the user can be offered to map them
 * @param rows the data rows; empty when the sheet is handed to a streaming consumer
 */
public record RosterSheet(int headerRowNumber, List<String> headers, Map<Integer, RosterField> mapping,
		List<String> unmappedHeaders, List<RosterRow> rows) {

	public RosterSheet {
		headers = List.copyOf(headers);
		mapping = Collections.unmodifiableMap(new TreeMap<>(mapping));
		unmappedHeaders = List.copyOf(unmappedHeaders);
		rows = List.copyOf(rows);
	}

	/** The column index mapped to a field, or -1. */
	public int columnOf(RosterField field) {
		for (Map.Entry<Integer, RosterField> entry : this.mapping.entrySet()) {
			if (entry.getValue() == field) {
				return entry.getKey();
			}
		}
		return -1;
	}

	RosterSheet withRows(List<RosterRow> rows) {
		return new RosterSheet(this.headerRowNumber, this.headers, this.mapping, this.unmappedHeaders, rows);
	}

}
