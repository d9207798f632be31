package org.fangxian.shared;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * The order in which doors are listed: by floor, then by door, the way a worker walks a
 * building. Room numbers are text (101, 1001, 1-2-301, 地下室), so runs of digits compare as
 * numbers and everything else as text: 101 before 102 before 1001, never 1001 before 101.
 * Units and buildings written into the same text ("2单元1001") sort the same way, unit
 * first.
 */
public final class RoomOrder {

	/** Natural order of room texts; {@code null} and blank last. */
	public static final Comparator<String> ROOMS = RoomOrder::compare;

	private RoomOrder() {
	}

	public static int compare(String a, String b) {
		boolean aBlank = a == null || a.isBlank();
		boolean bBlank = b == null || b.isBlank();
		if (aBlank || bBlank) {
			return Boolean.compare(aBlank, bBlank);
		}
		int i = 0;
		int j = 0;
		while (i < a.length() && j < b.length()) {
			char x = a.charAt(i);
			char y = b.charAt(j);
			if (isDigit(x) && isDigit(y)) {
				int iEnd = digitsEnd(a, i);
				int jEnd = digitsEnd(b, j);
				int byNumber = new BigInteger(a.substring(i, iEnd)).compareTo(new BigInteger(b.substring(j, jEnd)));
				if (byNumber != 0) {
					return byNumber;
				}
				i = iEnd;
				j = jEnd;
			}
			else {
				if (x != y) {
					return Character.compare(x, y);
				}
				i++;
				j++;
			}
		}
		return Integer.compare(a.length() - i, b.length() - j);
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static int digitsEnd(String text, int from) {
		int end = from;
		while (end < text.length() && isDigit(text.charAt(end))) {
			end++;
		}
		return end;
	}

}
