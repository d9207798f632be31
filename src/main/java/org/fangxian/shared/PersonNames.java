package org.fangxian.shared;

/** How a person's name is shown where a full name is not needed: on a family's phone, at a neighbour's door. */
public final class PersonNames {

	private PersonNames() {
	}

	/**
	 * First and last character kept, the rest starred: 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜, 张三 → 张*. Counted in
	 * code points, so a rare character outside the basic plane is one character.
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

}
