package org.fangxian.registry.internal;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One resident's row as read from a roster, before any validation: normalised text per
 * field, only for fields that have a value.
 *
 * @param rowNumber the row number the user sees in Excel (for CSV, the record number
 * counting title and header rows), so error reports point at the right row
 * @param values the non-empty values by field
 */
public record RosterRow(int rowNumber, Map<RosterField, String> values) {

	public RosterRow {
		values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
	}

	/** The value of a field, "" when the row has none. */
	public String get(RosterField field) {
		return this.values.getOrDefault(field, "");
	}

	public boolean has(RosterField field) {
		return this.values.containsKey(field);
	}

}
