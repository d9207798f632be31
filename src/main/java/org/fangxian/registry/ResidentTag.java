package org.fangxian.registry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Groups that need particular care in an outbreak. Tags a roster uses that are not listed
 * here are kept as written (e.g. "低保户"), so no information is lost.
 */
public enum ResidentTag {

	/** 独居老人 */
	ELDERLY_ALONE,
	/** 残疾人 */
	DISABLED,
	/** 卧床 (sampled at home) */
	BEDRIDDEN,
	/** 孕妇 */
	PREGNANT,
	/** 党员 */
	PARTY_MEMBER,
	/** 需帮扶 */
	NEEDS_HELP;

	private static final Map<String, ResidentTag> LABELS = Map.ofEntries(Map.entry("独居老人", ELDERLY_ALONE),
			Map.entry("独居", ELDERLY_ALONE), Map.entry("空巢老人", ELDERLY_ALONE), Map.entry("残疾人", DISABLED),
			Map.entry("残疾", DISABLED), Map.entry("卧床", BEDRIDDEN), Map.entry("长期卧床", BEDRIDDEN),
			Map.entry("卧床老人", BEDRIDDEN), Map.entry("孕妇", PREGNANT), Map.entry("孕产妇", PREGNANT),
			Map.entry("党员", PARTY_MEMBER), Map.entry("中共党员", PARTY_MEMBER), Map.entry("需帮扶", NEEDS_HELP),
			Map.entry("需要帮助", NEEDS_HELP), Map.entry("困难群众", NEEDS_HELP), Map.entry("帮扶对象", NEEDS_HELP));

	/** Compiled once: every roster row's tags are split by it. */
	private static final Pattern SEPARATORS = Pattern.compile("[、,，;；/|\\s]+");

	/**
	 * Splits "独居老人、残疾人" into stored tags: enum names for known groups, the text for
	 * others.
	 */
	public static List<String> parse(String text) {
		Set<String> tags = new LinkedHashSet<>();
		if (text != null) {
			for (String part : SEPARATORS.split(text)) {
				String clean = part.trim();
				if (clean.isEmpty()) {
					continue;
				}
				ResidentTag known = LABELS.get(clean);
				if (known == null) {
					for (ResidentTag tag : values()) {
						if (tag.name().equalsIgnoreCase(clean)) {
							known = tag;
						}
					}
				}
				tags.add(known != null ? known.name() : (clean.length() > 30 ? clean.substring(0, 30) : clean));
			}
		}
		return new ArrayList<>(tags);
	}

}
