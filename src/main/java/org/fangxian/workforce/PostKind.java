package org.fangxian.workforce;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What a post (岗位) does. */
public enum PostKind {

	/** 卡点 */
	CHECKPOINT,
	/** 采样点 */
	SAMPLING_POINT,
	/** 配送 (supplies to sealed households) */
	DELIVERY,
	/** 巡逻 */
	PATROL,
	/** 热线 */
	HOTLINE,
	/** 入户 (door-to-door) */
	DOOR_TO_DOOR;

	private static final Map<String, PostKind> CHINESE = Map.of("卡点", CHECKPOINT, "采样点", SAMPLING_POINT, "配送", DELIVERY,
			"巡逻", PATROL, "热线", HOTLINE, "入户", DOOR_TO_DOOR);

	/**
	 * "checkpoint", "sampling point", "door-to-door", "SAMPLING_POINT" or the Chinese
	 * word.
	 */
	public static Optional<PostKind> parse(String text) {
		if (text == null) {
			return Optional.empty();
		}
		String t = text.strip();
		if (CHINESE.containsKey(t)) {
			return Optional.of(CHINESE.get(t));
		}
		try {
			return Optional.of(valueOf(t.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_')));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
