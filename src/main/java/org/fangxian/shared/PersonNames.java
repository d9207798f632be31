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

	/** Two-character surnames (复姓) still in use, so 欧阳娜娜 shows as 欧阳**, not 欧***. */
	private static final java.util.Set<String> COMPOUND_SURNAMES = java.util.Set.of("欧阳", "司马", "上官", "诸葛", "东方", "皇甫",
			"尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "申屠", "澹台", "公冶", "太史", "闻人",
			"呼延", "钟离", "赫连", "万俟", "濮阳", "淳于", "单于", "百里", "东郭", "南门", "羊舌", "微生", "梁丘", "左丘", "东门", "仲孙", "谷梁", "司空",
			"拓跋");

	/**
	 * The full surname and the given name starred: 王小明 → 王**, 欧阳娜娜 → 欧阳**, 张三 → 张*. For a
	 * guard checking the person in front of them against the screen (with sex, birth year
	 * and address): the surname is what they can ask for.
	 */
	public static String surname(String name) {
		String trimmed = name == null ? "" : name.strip();
		int length = trimmed.codePointCount(0, trimmed.length());
		if (length == 0) {
			return "";
		}
		int kept = length > 2 && COMPOUND_SURNAMES.contains(trimmed.substring(0, trimmed.offsetByCodePoints(0, 2))) ? 2
				: 1;
		int end = trimmed.offsetByCodePoints(0, kept);
		return trimmed.substring(0, end) + "*".repeat(Math.max(1, length - kept));
	}

}
