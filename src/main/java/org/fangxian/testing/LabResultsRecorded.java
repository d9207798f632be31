package org.fangxian.testing;

import java.time.Instant;
import java.util.List;

/**
 * Results a lab import has just recorded, person by person (a step of the import at a
 * time), published inside the import's transaction: a listener's work (a case opened from
 * an individual positive, a quarantine's test day filled in) commits or fails with the
 * results themselves.
 *
 * @param accountId who imported the file
 */
public record LabResultsRecorded(long importId, long accountId, String username, List<PersonResult> results) {

	/**
	 * @param individual whether the tube held this person alone (1-in-1): only then is a
	 * positive the person's own
	 */
	public record PersonResult(long residentId, String barcode, Instant sampledAt, Instant resultAt, boolean positive,
			boolean individual) {
	}

}
