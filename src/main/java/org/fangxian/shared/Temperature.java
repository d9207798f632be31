package org.fangxian.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A body temperature (体温) in °C as a gate or a quarantine check-in records it: one
 * decimal, within what a thermometer on a living person can show. The one home of the
 * plausible range and the fever threshold.
 *
 * @param celsius rounded to one decimal
 */
public record Temperature(BigDecimal celsius) {

	public static final BigDecimal LOWEST_PLAUSIBLE = new BigDecimal("35.0");

	public static final BigDecimal HIGHEST_PLAUSIBLE = new BigDecimal("42.0");

	/**
	 * 37.3 °C and above is a fever (发热), the screening threshold; text so a property can
	 * default to it.
	 */
	public static final String FEVER_THRESHOLD = "37.3";

	private static final BigDecimal FEVER = new BigDecimal(FEVER_THRESHOLD);

	/**
	 * The value as measured is checked (35.0 to 42.0: outside it the thermometer was
	 * misread or misused, so the reading is taken again, never recorded), then rounded to
	 * one decimal.
	 */
	public Temperature {
		Objects.requireNonNull(celsius, "celsius");
		if (celsius.compareTo(LOWEST_PLAUSIBLE) < 0 || celsius.compareTo(HIGHEST_PLAUSIBLE) > 0) {
			throw new InvalidInput("temperature", "gate.deny.temperatureImplausible");
		}
		celsius = celsius.setScale(1, RoundingMode.HALF_UP);
	}

	/**
	 * What a person typed or a device sent: full-width digits and spaces allowed
	 * ("３７．２").
	 */
	public static Temperature parse(String text) {
		try {
			return new Temperature(new BigDecimal(FullWidth.clean(text)));
		}
		catch (NumberFormatException ex) {
			throw new InvalidInput("temperature", "gate.deny.temperatureUnreadable");
		}
	}

	public boolean fever() {
		return isFever(this.celsius);
	}

	/** For values read back from the database (null: not measured). */
	public static boolean isFever(BigDecimal celsius) {
		return celsius != null && celsius.compareTo(FEVER) >= 0;
	}

}
