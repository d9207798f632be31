package org.fangxian;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.fangxian.shared.IdNumber;

/**
 * Resident ID numbers (身份证号) for tests, each issued once in the JVM. A resident's number
 * is unique across the whole database and all tests of a run share one, so numbers drawn
 * at random collided now and then; these are unique by construction.
 *
 * <p>
 * All carry {@link #REGION}, which no fixed number of the tests, their rosters or the
 * demo district uses ({@code TestIdNumbersTest} checks the sources), and take the next
 * free 3-digit sequence of their birth date, so 1,000 people can share a birthday.
 */
public final class TestIdNumbers {

	/** 贵州省贵阳市南明区: no fixed test number, roster file or demo resident has it. */
	public static final String REGION = "520102";

	/** The adults most tests draw from: born 1950-01-01 to 1999-04-14. */
	public static final LocalDate ADULT_FROM = LocalDate.of(1950, 1, 1);

	public static final LocalDate ADULT_TO = ADULT_FROM.plusDays(17_999);

	// the next sequence of each birth date; a number is never handed out twice
	private static final ConcurrentMap<LocalDate, AtomicInteger> SEQUENCES = new ConcurrentHashMap<>();

	private TestIdNumbers() {
	}

	/** A number of an adult born between {@link #ADULT_FROM} and {@link #ADULT_TO}. */
	public static String next() {
		return bornBetween(ADULT_FROM, ADULT_TO);
	}

	/**
	 * A number of someone born on the given day.
	 * @throws IllegalStateException when all 1,000 numbers of that day are issued
	 */
	public static String bornOn(LocalDate born) {
		String number = issue(born);
		if (number == null) {
			throw new IllegalStateException("all 1,000 test ID numbers born on " + born + " are issued");
		}
		return number;
	}

	/**
	 * A number of someone born on a random day between the two, both included; another
	 * day of the range when that day's numbers are used up.
	 */
	public static String bornBetween(LocalDate from, LocalDate to) {
		long days = ChronoUnit.DAYS.between(from, to) + 1;
		if (days < 1) {
			throw new IllegalArgumentException(from + " is after " + to);
		}
		long start = ThreadLocalRandom.current().nextLong(days);
		for (long i = 0; i < days; i++) {
			String number = issue(from.plusDays((start + i) % days));
			if (number != null) {
				return number;
			}
		}
		throw new IllegalStateException("all test ID numbers born from " + from + " to " + to + " are issued");
	}

	/** A number of someone born in the given year (up to yesterday for this year). */
	public static String bornIn(int year) {
		LocalDate last = LocalDate.of(year, 12, 31);
		LocalDate yesterday = LocalDate.now().minusDays(1);
		return bornBetween(LocalDate.of(year, 1, 1), last.isAfter(yesterday) ? yesterday : last);
	}

	private static String issue(LocalDate born) {
		int sequence = SEQUENCES.computeIfAbsent(born, day -> new AtomicInteger()).getAndIncrement();
		if (sequence > 999) {
			return null;
		}
		String first17 = REGION + born.format(DateTimeFormatter.BASIC_ISO_DATE) + String.format("%03d", sequence);
		return first17 + IdNumber.checkChar(first17);
	}

}
