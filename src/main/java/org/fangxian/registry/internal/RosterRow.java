package org.fangxian.registry.internal;

import java.util.Map;

/**
 * One data row of a roster.
 * @param rowNumber the row number the user sees in Excel (1-based, title and header rows counted)
 */
public record RosterRow(int rowNumber, Map<RosterField, String> values) {

	public String get(RosterField field) {
		return this.values.getOrDefault(field, "");
	}

}
