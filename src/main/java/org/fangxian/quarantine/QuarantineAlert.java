package org.fangxian.quarantine;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Something in a quarantine that needs a worker now, published when it is recorded: a
 * fever at a check-in ({@link Kind#FEVER}, with its temperature) or a positive scheduled
 * test ({@link Kind#POSITIVE}). The community's workers are texted in the same
 * transaction; other modules may listen (a dashboard, the "today" page).
 *
 * @param person masked name, as on the quarantine's page
 * @param path the quarantine's place in the tree
 * @param day the day of the check-in or test
 * @param slot {@code AM}/{@code PM} for a check-in, null for a test
 * @param dayNumber for a test: its day of the quarantine (1 = the first)
 */
public record QuarantineAlert(Kind kind, long quarantineId, long residentId, String person, String path, LocalDate day,
		String slot, BigDecimal temperature, Integer dayNumber) {

	public enum Kind {

		FEVER, POSITIVE

	}

}
