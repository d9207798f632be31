package org.fangxian.registry;

import java.util.Optional;

/**
 * Official statistical division codes. The source lists use 2/4/6/9/12 digits by level;
 * we store all of them padded to 12 digits (230102 → 230102000000), the form used in
 * national systems.
 */
public final class DivisionCode {

	private DivisionCode() {
	}

	public static Optional<String> normalize(String raw) {
		if (raw == null) {
			return Optional.empty();
		}
		String digits = org.fangxian.shared.FullWidth.clean(raw).replace(" ", "");
		if (!digits.matches("\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12}")) {
			return Optional.empty();
		}
		return Optional.of((digits + "000000000000").substring(0, 12));
	}

	/**
	 * Significant digits of a code at a level: 2 for a province, 4 a city, 6 a district,
	 * 9 a street.
	 */
	static int significantDigits(NodeKind kind) {
		return switch (kind) {
			case PROVINCE -> 2;
			case CITY -> 4;
			case DISTRICT -> 6;
			case STREET -> 9;
			default -> 12;
		};
	}

	/** Whether {@code child} lies under a {@code parent} of the given level. */
	public static boolean isWithin(String child, String parent, NodeKind parentKind) {
		return child.startsWith(parent.substring(0, significantDigits(parentKind))) && !child.equals(parent);
	}

}
