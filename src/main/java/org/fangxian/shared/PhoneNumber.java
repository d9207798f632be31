package org.fangxian.shared;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A mainland China mobile or landline number, stored as digits only.
 *
 * <p>
 * {@link #toString()} returns the {@linkplain #masked() masked} form so that a number
 * never reaches a log by accident; use {@link #value()} to store or compare it.
 *
 * @param value 11 digits for a mobile; for a landline the area code with its leading
 * {@code 0} followed by the local number
 * @param mobile whether this is a mobile number
 */
public record PhoneNumber(String value, boolean mobile) {

	// 010 and 02x are the only three-digit area codes, all others have four digits (0 +
	// three)
	private static final Pattern LANDLINE = Pattern.compile("0(?:10|2\\d|[3-9]\\d{2})\\d{7,8}");

	private static final Pattern SEPARATORS = Pattern.compile("[\\s\\p{Z}\\-\u2010-\u2015\u2212().]");

	/**
	 * @throws IllegalArgumentException when {@code value} is not a normalized number of
	 * the given kind
	 */
	public PhoneNumber {
		if (value == null || !(mobile ? isMobile(value) : LANDLINE.matcher(value).matches())) {
			throw new IllegalArgumentException("phone.invalid");
		}
	}

	/** A mainland mobile number: 1, then 3 to 9, then nine digits (1[3-9]\d{9}). */
	private static boolean isMobile(String digits) {
		return digits.length() == 11 && digits.charAt(0) == '1' && digits.charAt(1) >= '3' && digits.charAt(1) <= '9'
				&& FullWidth.asciiDigits(digits, 2, 11);
	}

	/**
	 * Parses a number as typed: full-width characters, spaces, dashes, parentheses and
	 * dots are ignored, and a leading {@code +86} or {@code 0086} is removed (as is a
	 * bare {@code 86} directly before an 11-digit mobile number). After
	 * {@code +86}/{@code 0086} a landline may omit the leading {@code 0} of its area
	 * code, as is usual in international notation.
	 * @param raw the number as typed, may be {@code null}
	 * @return the number, or empty when it is neither a mainland mobile nor a landline
	 * number
	 */
	public static Optional<PhoneNumber> parse(String raw) {
		if (raw == null) {
			return Optional.empty();
		}
		// Nearly every number arrives as plain digits: then there is nothing to map or
		// strip.
		String digits = FullWidth.asciiDigits(raw, 0, raw.length()) ? raw
				: SEPARATORS.matcher(FullWidth.toHalfWidth(raw)).replaceAll("");
		boolean international = false;
		if (digits.startsWith("+86")) {
			digits = digits.substring(3);
			international = true;
		}
		else if (digits.startsWith("0086")) {
			digits = digits.substring(4);
			international = true;
		}
		else if (digits.length() == 13 && digits.startsWith("86") && isMobile(digits.substring(2))) {
			// a bare 86 is only unambiguous before a mobile; elsewhere it may begin a
			// local number
			digits = digits.substring(2);
		}
		if (isMobile(digits)) {
			return Optional.of(new PhoneNumber(digits, true));
		}
		if (international && !digits.startsWith("0")) {
			digits = "0" + digits;
		}
		if (LANDLINE.matcher(digits).matches()) {
			return Optional.of(new PhoneNumber(digits, false));
		}
		return Optional.empty();
	}

	/**
	 * @return for a mobile the first 3 and last 4 digits around 4 asterisks
	 * ({@code 138****5678}); for a landline the first 4 and last 2 digits with the rest
	 * masked ({@code 0451******34})
	 */
	public String masked() {
		if (mobile) {
			return value.substring(0, 3) + "****" + value.substring(7);
		}
		return value.substring(0, 4) + "*".repeat(value.length() - 6) + value.substring(value.length() - 2);
	}

	@Override
	public String toString() {
		return masked();
	}
}
