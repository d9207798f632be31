package org.fangxian.workforce.web;

import java.util.ArrayList;
import java.util.List;

import org.fangxian.workforce.internal.DutyPreference;
import org.fangxian.workforce.internal.Preferences;

/**
 * The wishes form as typed: kinds of post ticked, named shift times ticked, and a window
 * of one's own (07:00-12:00); shown again as typed when refused.
 */
record PreferenceForm(List<String> kinds, List<String> slots, String other) {

	PreferenceForm {
		kinds = (kinds == null) ? List.of() : List.copyOf(kinds);
		slots = (slots == null) ? List.of() : List.copyOf(slots);
		other = (other == null) ? "" : other;
	}

	/** The stored wishes on the form: named times ticked, any other window typed. */
	static PreferenceForm of(Preferences.Wishes wishes) {
		List<String> named = DutyPreference.namedTimes().stream().map(DutyPreference.NamedTime::word).toList();
		List<String> slots = wishes.times().stream().filter(named::contains).toList();
		String other = String.join("、", wishes.times().stream().filter(t -> !named.contains(t)).toList());
		return new PreferenceForm(wishes.kinds(), slots, other);
	}

	Preferences.Wishes wishes() {
		List<String> times = new ArrayList<>(this.slots);
		if (!this.other.isBlank()) {
			times.add(this.other);
		}
		return new Preferences.Wishes(this.kinds, times);
	}

}
