package org.fangxian.shared;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Days of the response (日报, the dashboard's "today") are days in China Standard Time,
 * whatever zone the server or its {@link Clock} runs in: a scan at 23:59 CST belongs to
 * that day, one at 00:01 to the next.
 */
public final class ChinaStandardTime {

	public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

	private ChinaStandardTime() {
	}

	public static LocalDate today(Clock clock) {
		return LocalDate.ofInstant(clock.instant(), ZONE);
	}

	/** The first instant of the day in China; the day ends where the next one starts. */
	public static Instant startOf(LocalDate day) {
		return day.atStartOfDay(ZONE).toInstant();
	}

}
