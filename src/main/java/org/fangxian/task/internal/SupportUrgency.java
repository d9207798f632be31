package org.fangxian.task.internal;

import java.util.ArrayList;
import java.util.List;

import org.fangxian.registry.ResidentTag;
import org.fangxian.task.Urgency;

/**
 * How urgent a supply request is, from who asks and what for: medicine and a medical
 * visit weigh most, then infant needs and gas; being sealed in or quarantined and
 * belonging to a group that needs care (elderly living alone, disabled, bedridden,
 * pregnant, chronically ill) add to it. Three points or more is urgent, two high, less
 * normal: medicine alone is high, medicine for someone sealed in is urgent, groceries for
 * a sealed pensioner living alone are high.
 */
public final class SupportUrgency {

	private SupportUrgency() {
	}

	/** The urgency and the reasons that made it, for the worker's list. */
	public record Assessment(Urgency urgency, List<String> reasons) {
	}

	public enum Kind {

		MEDICINE(2), MEDICAL(2), INFANT(1), GAS(1), GROCERIES(0), OTHER(0);

		final int weight;

		Kind(int weight) {
			this.weight = weight;
		}

	}

	/**
	 * @param confinement {@code SEALED}, {@code QUARANTINED} or null
	 * @param tags the resident's tags as stored by the registry (enum names or free text)
	 */
	public static Assessment assess(Kind kind, String confinement, List<String> tags) {
		List<String> reasons = new ArrayList<>();
		int points = kind.weight;
		if (kind.weight > 0) {
			reasons.add(kind.name());
		}
		if (confinement != null) {
			points++;
			reasons.add(confinement);
		}
		String care = careReason(tags);
		if (care != null) {
			points++;
			reasons.add(care);
		}
		Urgency urgency = points >= 3 ? Urgency.URGENT : points == 2 ? Urgency.HIGH : Urgency.NORMAL;
		return new Assessment(urgency, List.copyOf(reasons));
	}

	private static String careReason(List<String> tags) {
		if (tags == null) {
			return null;
		}
		for (String tag : tags) {
			if (tag.equals(ResidentTag.ELDERLY_ALONE.name()) || tag.equals(ResidentTag.DISABLED.name())
					|| tag.equals(ResidentTag.BEDRIDDEN.name()) || tag.equals(ResidentTag.PREGNANT.name())) {
				return tag;
			}
			// chronic illness has no tag of its own: rosters write it as text (慢性病, 慢病)
			if (tag.contains("慢性") || tag.contains("慢病") || tag.equalsIgnoreCase("CHRONIC_ILLNESS")) {
				return "CHRONIC_ILLNESS";
			}
		}
		return null;
	}

}
