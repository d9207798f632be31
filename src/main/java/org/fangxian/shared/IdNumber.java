package org.fangxian.shared;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A mainland China resident identity card number (GB 11643-1999), also used by the
 * residence permits of Hong Kong, Macau and Taiwan residents.
 *
 * <p>
 * {@link #toString()} returns the {@linkplain #masked() masked} form so that a number
 * never reaches a log by accident; use {@link #value()} to store or compare it.
 *
 * @param value the normalized 18-character number with an upper-case {@code X}
 */
public record IdNumber(String value) {

	/** Reason key: nothing was entered. */
	public static final String BLANK = "id.blank";

	/** Reason key: neither 15 nor 18 characters. */
	public static final String LENGTH = "id.length";

	/** Reason key: a character other than a digit or a final {@code X}. */
	public static final String CHARS = "id.chars";

	/** Reason key: the first two digits are no province code. */
	public static final String PROVINCE = "id.province";

	/** Reason key: the birth date does not exist or is before 1890-01-01. */
	public static final String BIRTHDATE = "id.birthdate";

	/** Reason key: the birth date is after today. */
	public static final String FUTURE = "id.future";

	/** Reason key: the check character does not match. */
	public static final String CHECKSUM = "id.checksum";

	// Nobody registering is born earlier; such dates are typing errors (e.g. 1809 for
	// 1980)
	private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1890, 1, 1);

	// ISO 7064 MOD 11-2: weight i is 2^(17-i) mod 11, check characters indexed by the
	// weighted sum mod 11
	private static final int[] WEIGHTS = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };

	private static final String CHECK_CHARS = "10X98765432";

	private static final Pattern SEPARATORS = Pattern.compile("[\\s\\p{Z}\\-\u2010-\u2015\u2212]");

	/**
	 * Accepts an already normalized or a raw number; the stored value is always the
	 * normalized form. The birth date is not compared with today, so numbers loaded from
	 * storage stay readable.
	 * @throws IllegalArgumentException with the reason key as message when the number is
	 * invalid
	 */
	public IdNumber {
		IdNumberCheck check = check(value, null);
		if (!check.valid()) {
			throw new IllegalArgumentException(check.reason());
		}
		value = check.normalized();
	}

	/**
	 * Parses a number typed by a user, rejecting birth dates after today (China time).
	 * @param raw the number as typed; full-width characters, spaces, dashes and a
	 * lower-case {@code x} are accepted
	 * @return the normalized number
	 * @throws IllegalArgumentException with the reason key (see
	 * {@link #check(String, LocalDate)}) as message
	 */
	public static IdNumber of(String raw) {
		// The Beijing calendar day: a server running in UTC would reject today's
		// newborns.
		IdNumberCheck check = check(raw, LocalDate.now(ChinaStandardTime.ZONE));
		if (!check.valid()) {
			throw new IllegalArgumentException(check.reason());
		}
		return new IdNumber(check.normalized());
	}

	/**
	 * Validates a number and explains why it is invalid.
	 *
	 * <p>
	 * The input is cleaned first: full-width characters become ASCII, spaces and dashes
	 * are removed and {@code x} is upper-cased. 15-digit numbers (issued before 1999,
	 * birth year 19YY) are upgraded to 18 characters. Only the province code is checked,
	 * not the remaining four address digits, because numbers issued under since-abolished
	 * county codes remain valid for life.
	 * @param raw the number as typed, may be {@code null}
	 * @param today the date birth dates must not be after; {@code null} skips that check
	 * @return the result; its reason is one of {@code id.blank}, {@code id.length},
	 * {@code id.chars}, {@code id.province}, {@code id.birthdate}, {@code id.future},
	 * {@code id.checksum}
	 */
	public static IdNumberCheck check(String raw, LocalDate today) {
		if (raw == null) {
			return IdNumberCheck.invalid(BLANK);
		}
		// Nearly every number arrives as plain ASCII: then there is nothing to map or
		// strip.
		String id = (FullWidth.asciiAlphanumeric(raw) ? raw
				: SEPARATORS.matcher(FullWidth.toHalfWidth(raw)).replaceAll(""))
			.toUpperCase(Locale.ROOT);
		if (id.isEmpty()) {
			return IdNumberCheck.invalid(BLANK);
		}
		if (id.length() != 15 && id.length() != 18) {
			return IdNumberCheck.invalid(LENGTH);
		}
		boolean legacy = id.length() == 15;
		boolean chars = legacy ? FullWidth.asciiDigits(id, 0, 15)
				: FullWidth.asciiDigits(id, 0, 17) && (FullWidth.asciiDigits(id, 17, 18) || id.charAt(17) == 'X');
		if (!chars) {
			return IdNumberCheck.invalid(CHARS);
		}
		if (!isProvince(Integer.parseInt(id.substring(0, 2)))) {
			return IdNumberCheck.invalid(PROVINCE);
		}
		String first17 = legacy ? id.substring(0, 6) + "19" + id.substring(6) : id.substring(0, 17);
		LocalDate birthDate = parseBirthDate(first17.substring(6, 14));
		if (birthDate == null || birthDate.isBefore(EARLIEST_BIRTH)) {
			return IdNumberCheck.invalid(BIRTHDATE);
		}
		if (today != null && birthDate.isAfter(today)) {
			return IdNumberCheck.invalid(FUTURE);
		}
		char expected = checkChar(first17);
		if (!legacy && id.charAt(17) != expected) {
			return IdNumberCheck.invalid(CHECKSUM);
		}
		return IdNumberCheck.valid(first17 + expected, birthDate, sexOf(first17));
	}

	/**
	 * Computes the ISO 7064 MOD 11-2 check character.
	 * @param first17 the first 17 digits
	 * @return {@code '0'..'9'} or {@code 'X'}
	 * @throws IllegalArgumentException when {@code first17} is not exactly 17 ASCII
	 * digits
	 */
	public static char checkChar(String first17) {
		if (first17 == null || first17.length() != 17 || !FullWidth.asciiDigits(first17, 0, 17)) {
			throw new IllegalArgumentException("17 digits expected");
		}
		int sum = 0;
		for (int i = 0; i < 17; i++) {
			sum += (first17.charAt(i) - '0') * WEIGHTS[i];
		}
		return CHECK_CHARS.charAt(sum % 11);
	}

	/**
	 * Masks any identity document number for display: keeps the first 2 and last 2
	 * characters when it has at least 6, otherwise masks everything. Spaces are dropped
	 * first so they do not reveal the length of groups.
	 * @param anyId a number of any document type, may be {@code null}
	 * @return the masked number, {@code ""} for {@code null}
	 */
	public static String mask(String anyId) {
		String id = FullWidth.clean(anyId).replace(" ", "");
		int length = id.length();
		if (length < 6) {
			return "*".repeat(length);
		}
		return id.substring(0, 2) + "*".repeat(length - 4) + id.substring(length - 2);
	}

	/**
	 * @return the birth date encoded in digits 7..14
	 */
	public LocalDate birthDate() {
		return parseBirthDate(value.substring(6, 14));
	}

	/**
	 * @return the sex encoded in the 17th digit
	 */
	public Sex sex() {
		return sexOf(value);
	}

	/**
	 * @return the first 4 and last 4 characters with 10 asterisks between, e.g.
	 * {@code 2301**********123X}
	 */
	public String masked() {
		return value.substring(0, 4) + "*".repeat(10) + value.substring(14);
	}

	@Override
	public String toString() {
		return masked();
	}

	// 81/82: Hong Kong/Macau residence permits, 83: Taiwan residence permits
	private static boolean isProvince(int code) {
		return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37)
				|| (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) || code == 71
				|| code == 81 || code == 82 || code == 83;
	}

	private static LocalDate parseBirthDate(String yyyyMMdd) {
		try {
			return LocalDate.of(Integer.parseInt(yyyyMMdd.substring(0, 4)), Integer.parseInt(yyyyMMdd.substring(4, 6)),
					Integer.parseInt(yyyyMMdd.substring(6, 8)));
		}
		catch (DateTimeException e) {
			return null;
		}
	}

	private static Sex sexOf(String digits) {
		return (digits.charAt(16) - '0') % 2 == 1 ? Sex.MALE : Sex.FEMALE;
	}
}
