package org.fangxian.shared;

/**
 * How a person's name is shown where a full name is not needed: on a family's phone, at a
 * neighbour's door.
 */
public final class PersonNames {

	private PersonNames() {
	}

	/**
	 * First and last character kept, the rest starred: 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜, 张三 → 张*.
	 * Counted in code points, so a rare character outside the basic plane is one
	 * character.
	 */
	public static String mask(String name) {
		String trimmed = name == null ? "" : name.strip();
		int length = trimmed.codePointCount(0, trimmed.length());
		if (length <= 1) {
			return trimmed;
		}
		int[] points = trimmed.codePoints().toArray();
		String first = new String(points, 0, 1);
		if (length == 2) {
			return first + "*";
		}
		return first + "*".repeat(length - 2) + new String(points, length - 1, 1);
	}

	/**
	 * Only the first character kept: 王小明 → 王**, 张三 → 张*. For a screen read with the
	 * person in front of you (the gate guard's, the sampler's, a quarantine list), where
	 * the surname is enough to check them. Counted in code points, like
	 * {@link #mask(String)}.
	 */
	public static String initial(String name) {
		String trimmed = name == null ? "" : name.strip();
		int length = trimmed.codePointCount(0, trimmed.length());
		if (length == 0) {
			return "";
		}
		return new String(trimmed.codePoints().limit(1).toArray(), 0, 1) + "*".repeat(Math.max(1, length - 1));
	}

}
