package org.fangxian.workforce.internal;

import java.util.Set;

import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The 意向时段 words: several named times that touch join into one window, and a stored
 * window is written back in the same words (what the forms and the API show).
 */
class DutyPreferenceTest {

	@Test
	void adjacentTimesJoinIntoOneWindow() {
		assertThat(DutyPreference.hours("早班、中班")).containsExactly(5 * 60, 17 * 60);
		assertThat(DutyPreference.hours("中班、早班")).containsExactly(5 * 60, 17 * 60);
		assertThat(DutyPreference.hours("晚班、夜班")).containsExactly(17 * 60, 5 * 60);
		assertThat(DutyPreference.hours("夜班、早班")).containsExactly(22 * 60, 12 * 60);
		assertThat(DutyPreference.hours("07:00-12:00、12:00-14:00")).containsExactly(7 * 60, 14 * 60);
		assertThat(DutyPreference.hours("早班、07:00-13:00")).containsExactly(5 * 60, 13 * 60);
		assertThat(DutyPreference.hours("早班、早班")).containsExactly(5 * 60, 12 * 60);
		// The whole day is no wish at all.
		assertThat(DutyPreference.hours("早班、中班、晚班、夜班")).containsExactly(-1, -1);
	}

	@Test
	void timesWithAGapAreRefused() {
		assertThatThrownBy(() -> DutyPreference.hours("早班、晚班")).isInstanceOf(InvalidInput.class)
			.hasMessageContaining("workforce.import.preferredHoursApart");
		assertThatThrownBy(() -> DutyPreference.hours("07:00-09:00、10:00-12:00")).isInstanceOf(InvalidInput.class)
			.hasMessageContaining("workforce.import.preferredHoursApart");
		assertThatThrownBy(() -> DutyPreference.hours("早班、下午茶")).isInstanceOf(InvalidInput.class)
			.hasMessageContaining("workforce.import.preferredHours");
	}

	@Test
	void aStoredWindowIsWrittenInTheWordsThatReadItBack() {
		for (String words : new String[] { "早班", "夜班", "早班、中班", "晚班、夜班", "夜班、早班", "中班、晚班、夜班", "07:00-12:00",
				"22:00-06:00", "05:00-10:00" }) {
			int[] window = DutyPreference.hours(words);
			DutyPreference preference = new DutyPreference(Set.of(), window[0], window[1]);
			assertThat(String.join("、", preference.times())).isEqualTo(words);
			assertThat(DutyPreference.hours(String.join("、", preference.times()))).containsExactly(window);
		}
		assertThat(DutyPreference.NONE.times()).isEmpty();
		assertThat(DutyPreference.namedTimes()).extracting(DutyPreference.NamedTime::word)
			.containsExactly("早班", "中班", "晚班", "夜班");
		assertThat(DutyPreference.namedTimes().get(3).hours()).isEqualTo("22:00–05:00");
	}

}
