package org.fangxian.registry.internal;

import org.fangxian.shared.FullWidth;

/** Cell clean-up: full-width to half-width, trimmed, runs of spaces made one, capped in length. */
final class RosterText {

	static final int MAX_CELL = 1000;

	private RosterText() {
	}

	static String clean(String raw) {
		String text = FullWidth.clean(raw);
		return text.length() > MAX_CELL ? text.substring(0, MAX_CELL) : text;
	}

}
