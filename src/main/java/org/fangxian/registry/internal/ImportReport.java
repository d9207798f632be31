package org.fangxian.registry.internal;

import java.util.List;

/**
 * What a roster import did, row by row where it matters. Row numbers are the ones the
 * user sees in Excel (title and header rows included).
 *
 * @param accepted new residents created
 * @param updated existing residents whose details changed
 * @param unchanged rows that matched a resident exactly (re-importing a file gives only
 * these)
 * @param rejected rows not imported, with the reason (at most {@link #LIST_LIMIT} listed)
 * @param duplicates rows merged into a resident found by another rule, never inserted
 * twice
 * @param dryRun true for a preview: nothing was written
 * @param newPlaces compounds, buildings and units the community does not have yet, each
 * to be confirmed before rows naming it are imported (those created by this import, when
 * not a preview)
 */
public record ImportReport(int total, int accepted, int updated, int unchanged, int rejectedCount,
		List<RejectedRow> rejected, List<DuplicateRow> duplicates, boolean dryRun, List<NewPlace> newPlaces) {

	public static final int LIST_LIMIT = 5000;

	/** A row that was not imported. */
	public record RejectedRow(int row, String field, String reason) {
	}

	/**
	 * A row recognised as a person already known.
	 *
	 * @param rule {@code SAME_ID_NUMBER} (the ID number appears earlier in the file) or
	 * {@code SAME_NAME_PHONE_HOUSEHOLD} (same name and phone in the same household)
	 */
	public record DuplicateRow(int row, Long matchedResidentId, String rule) {
	}

	/**
	 * A place the community does not have yet, named by rows of the file.
	 *
	 * @param label the names below the community, joined by " / " ("新小区X", "福乐湾小区 /
	 * 12栋"): what the user confirms
	 * @param kind {@code COMPOUND}, {@code BUILDING} or {@code UNIT}
	 * @param firstRow the first row naming it (as Excel numbers rows)
	 * @param rows how many rows name it
	 */
	public record NewPlace(String label, String kind, int firstRow, int rows) {
	}

}
