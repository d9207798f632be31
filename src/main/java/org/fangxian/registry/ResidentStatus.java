package org.fangxian.registry;

import java.util.Map;
import java.util.Optional;

/** Whether a registered person lives here now. */
public enum ResidentStatus {

	/** 常住 */
	RESIDENT,
	/** 租住 */
	RENTING,
	/** 外出 (registered here, away from the city) */
	AWAY,
	/** 迁出 */
	MOVED_OUT,
	/** 已故 */
	DECEASED;

	private static final Map<String, ResidentStatus> LABELS = Map.ofEntries(Map.entry("常住", RESIDENT),
			Map.entry("在住", RESIDENT), Map.entry("户籍", RESIDENT), Map.entry("户籍人口", RESIDENT),
			Map.entry("常住人口", RESIDENT), Map.entry("居住", RESIDENT), Map.entry("租户", RENTING), Map.entry("租住", RENTING),
			Map.entry("租房", RENTING), Map.entry("流动人口", RENTING), Map.entry("外出", AWAY), Map.entry("不在本地", AWAY),
			Map.entry("外地", AWAY), Map.entry("迁出", MOVED_OUT), Map.entry("已迁出", MOVED_OUT), Map.entry("死亡", DECEASED),
			Map.entry("已故", DECEASED), Map.entry("去世", DECEASED));

	/** Parses what rosters write; blank means a resident. */
	public static Optional<ResidentStatus> fromLabel(String label) {
		if (label == null || label.isBlank()) {
			return Optional.of(RESIDENT);
		}
		String clean = label.trim();
		for (ResidentStatus status : values()) {
			if (status.name().equalsIgnoreCase(clean)) {
				return Optional.of(status);
			}
		}
		return Optional.ofNullable(LABELS.get(clean));
	}

	/**
	 * Lives here now: reached by texts, at home with the household (SQL:
	 * resident_lives_here(status)).
	 */
	public boolean livesHere() {
		return this == RESIDENT || this == RENTING;
	}

	/**
	 * On the area's books, also when away (counts, testing populations; SQL:
	 * resident_is_present(status)).
	 */
	public boolean present() {
		return this == RESIDENT || this == RENTING || this == AWAY;
	}

}
