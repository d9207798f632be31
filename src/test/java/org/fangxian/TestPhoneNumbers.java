package org.fangxian;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mobile numbers for tests, each issued once in the JVM. A volunteer's phone is unique
 * across the whole database (an import matches a volunteer by it anywhere), and all tests
 * of a run share one, so numbers drawn at random could meet another test's volunteer.
 *
 * <p>
 * All start with {@link #PREFIX}, which no fixed number of the tests and no demo resident
 * uses ({@code TestIdNumbersTest} checks the sources).
 */
public final class TestPhoneNumbers {

	/** A China Telecom range of 10 million numbers no test or demo number starts with. */
	public static final String PREFIX = "1970";

	private static final AtomicInteger NEXT = new AtomicInteger();

	private TestPhoneNumbers() {
	}

	/** The next unused mobile number. */
	public static String next() {
		int n = NEXT.getAndIncrement();
		if (n > 9_999_999) {
			throw new IllegalStateException("all test mobile numbers are issued");
		}
		return PREFIX + String.format("%07d", n);
	}

}
