package org.fangxian.registry;

import java.util.Map;
import java.util.Optional;

/** Relation to the head of the household (与户主关系). */
public enum Relation {

	HEAD, SPOUSE, CHILD, PARENT, GRANDCHILD, SIBLING, TENANT, OTHER;

	private static final Map<String, Relation> LABELS = Map.ofEntries(Map.entry("户主", HEAD), Map.entry("本人", HEAD),
			Map.entry("配偶", SPOUSE), Map.entry("妻", SPOUSE), Map.entry("夫", SPOUSE), Map.entry("妻子", SPOUSE),
			Map.entry("丈夫", SPOUSE), Map.entry("子女", CHILD), Map.entry("子", CHILD), Map.entry("女", CHILD),
			Map.entry("儿子", CHILD), Map.entry("女儿", CHILD), Map.entry("长子", CHILD), Map.entry("长女", CHILD),
			Map.entry("次子", CHILD), Map.entry("次女", CHILD), Map.entry("父母", PARENT), Map.entry("父亲", PARENT),
			Map.entry("母亲", PARENT), Map.entry("父", PARENT), Map.entry("母", PARENT), Map.entry("孙子女", GRANDCHILD),
			Map.entry("孙子", GRANDCHILD), Map.entry("孙女", GRANDCHILD), Map.entry("外孙", GRANDCHILD),
			Map.entry("外孙女", GRANDCHILD), Map.entry("兄弟姐妹", SIBLING), Map.entry("兄", SIBLING), Map.entry("弟", SIBLING),
			Map.entry("姐", SIBLING), Map.entry("妹", SIBLING), Map.entry("租户", TENANT), Map.entry("租客", TENANT),
			Map.entry("其他", OTHER), Map.entry("其它", OTHER));

	/**
	 * Parses what rosters write; blank or unknown wording is kept as OTHER rather than
	 * losing the row.
	 */
	public static Relation fromLabel(String label) {
		if (label == null || label.isBlank()) {
			return OTHER;
		}
		String clean = label.trim();
		for (Relation relation : values()) {
			if (relation.name().equalsIgnoreCase(clean)) {
				return relation;
			}
		}
		return Optional.ofNullable(LABELS.get(clean)).orElse(OTHER);
	}

}
