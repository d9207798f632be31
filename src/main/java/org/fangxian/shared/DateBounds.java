package org.fangxian.shared;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The one range of dates the system accepts from anyone: years 1900 to 2199. Anything
 * outside is a typo (year 99999, 0202) that PostgreSQL would refuse or store as nonsense;
 * it is answered as bad input for the field, never a 500. Every date or time taken from a
 * form, a JSON body or a file goes through here.
 */
public final class DateBounds {

	static final LocalDate FIRST = LocalDate.of(1900, 1, 1);

	static final LocalDate LAST = LocalDate.of(2199, 12, 31);

	private DateBounds() {
	}

	public static boolean within(LocalDate date) {
		return date == null || (!date.isBefore(FIRST) && !date.isAfter(LAST));
	}

	public static boolean within(Instant instant) {
		return instant == null || (!instant.isBefore(FIRST.atStartOfDay(ZoneOffset.UTC).toInstant())
				&& instant.isBefore(LAST.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
	}

	/** The date, or bad input for the field ({@code date.outOfRange}). */
	public static LocalDate require(String field, LocalDate date) {
		if (!within(date)) {
			throw new InvalidInput(field, "date.outOfRange", FIRST.getYear(), LAST.getYear());
		}
		return date;
	}

	/** The instant, or bad input for the field ({@code date.outOfRange}). */
	public static Instant require(String field, Instant instant) {
		if (!within(instant)) {
			throw new InvalidInput(field, "date.outOfRange", FIRST.getYear(), LAST.getYear());
		}
		return instant;
	}

}
