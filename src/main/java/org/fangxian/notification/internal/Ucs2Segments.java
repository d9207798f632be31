package org.fangxian.notification.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A text as the short messages that carry it in UCS2 (data_coding 0x08, UTF-16BE): one of
 * up to 70 characters, or parts of up to 67 characters each behind a 6-byte user data
 * header (IEI 0x00: reference, count, sequence) that the phone joins back into one text.
 * A surrogate pair (a rare character outside the basic plane) is never split between two
 * parts.
 */
final class Ucs2Segments {

	/** Octets in one short message. */
	static final int SINGLE = 140;

	static final int UDH_LENGTH = 6;

	static final int PART = SINGLE - UDH_LENGTH;

	private Ucs2Segments() {
	}

	/**
	 * @param reference the concatenation reference (0-255): the same for every part of
	 * this text, and the same when the text is sent again, so that a phone joins a resent
	 * part with the others
	 */
	static List<byte[]> of(String text, int reference) {
		byte[] all = text.getBytes(StandardCharsets.UTF_16BE);
		if (all.length <= SINGLE) {
			return List.of(all);
		}
		List<int[]> bounds = new ArrayList<>();
		int from = 0;
		while (from < all.length) {
			int to = Math.min(from + PART, all.length);
			if (to < all.length && Character.isHighSurrogate(charAt(all, to - 2))) {
				to -= 2;
			}
			bounds.add(new int[] { from, to });
			from = to;
		}
		if (bounds.size() > 255) {
			throw new IllegalArgumentException("text too long for one concatenated message");
		}
		List<byte[]> parts = new ArrayList<>(bounds.size());
		for (int i = 0; i < bounds.size(); i++) {
			int[] b = bounds.get(i);
			byte[] part = new byte[UDH_LENGTH + b[1] - b[0]];
			part[0] = 0x05; // header length after this octet
			part[1] = 0x00; // IEI: concatenated short message, 8-bit reference
			part[2] = 0x03; // IE length
			part[3] = (byte) reference;
			part[4] = (byte) bounds.size();
			part[5] = (byte) (i + 1);
			System.arraycopy(all, b[0], part, UDH_LENGTH, b[1] - b[0]);
			parts.add(part);
		}
		return parts;
	}

	private static char charAt(byte[] utf16, int offset) {
		return (char) (((utf16[offset] & 0xFF) << 8) | (utf16[offset + 1] & 0xFF));
	}

}
