package org.fangxian.workforce.internal;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.shared.InvalidInput;
import org.fangxian.workforce.PostKind;

/**
 * What a volunteer would rather do (意向): kinds of post and a time of day their shifts
 * should start in. A wish, never a rule: the solver weighs it below filling every seat
 * and never against a hard rule.
 *
 * @param kinds the kinds of post they prefer; empty: any
 * @param fromMinute start of the preferred start times, minutes after midnight, or -1 for
 * any time
 * @param toMinute end (exclusive) of the preferred start times; before {@code fromMinute}
 * the window runs overnight
 */
public record DutyPreference(Set<PostKind> kinds, int fromMinute, int toMinute) {

	public static final DutyPreference NONE = new DutyPreference(Set.of(), -1, -1);

	/** The named shift times of the import, by start time. */
	static final Map<String, int[]> NAMED = Map.of("早班", new int[] { 5 * 60, 12 * 60 }, "中班",
			new int[] { 12 * 60, 17 * 60 }, "晚班", new int[] { 17 * 60, 22 * 60 }, "夜班", new int[] { 22 * 60, 5 * 60 });

	private static final Pattern WINDOW = Pattern
		.compile("(\\d{1,2})[:：](\\d{2})\\s*[-–—~至到]\\s*(\\d{1,2})[:：](\\d{2})");

	public DutyPreference {
		kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(kinds);
	}

	public boolean hasHours() {
		return this.fromMinute >= 0;
	}

	/**
	 * How many of the wishes the seat misses (0, 1 or 2): its post's kind, its start
	 * time.
	 */
	public int misses(PostKind kind, long startMinuteOfDay) {
		int misses = 0;
		if (!this.kinds.isEmpty() && (kind == null || !this.kinds.contains(kind))) {
			misses++;
		}
		if (hasHours() && !startsWithin(startMinuteOfDay)) {
			misses++;
		}
		return misses;
	}

	private boolean startsWithin(long minute) {
		if (this.fromMinute < this.toMinute) {
			return minute >= this.fromMinute && minute < this.toMinute;
		}
		return minute >= this.fromMinute || minute < this.toMinute;
	}

	/**
	 * The 意向岗位 cell: kinds of post in Chinese (卡点、巡逻), comma or 、 separated; blank:
	 * any. @throws InvalidInput naming a word that is no kind of post
	 */
	static Set<PostKind> kinds(String text) {
		Set<PostKind> kinds = new LinkedHashSet<>();
		for (String word : text.split("[、,，;；/\\s]+")) {
			if (word.isBlank()) {
				continue;
			}
			kinds.add(PostKind.parse(word)
				.orElseThrow(() -> new InvalidInput("意向岗位", "workforce.import.preferredPost", word)));
		}
		return kinds.isEmpty() ? Set.of() : EnumSet.copyOf(kinds);
	}

	/**
	 * The 意向时段 cell: 早班 (starts 05:00-12:00), 中班 (12:00-17:00), 晚班 (17:00-22:00), 夜班
	 * (22:00-05:00) or a window of start times such as 08:00-12:00; blank: any. @return
	 * {from, to} minutes, or {-1, -1} @throws InvalidInput for anything else
	 */
	static int[] hours(String text) {
		String t = text.strip();
		if (t.isEmpty()) {
			return new int[] { -1, -1 };
		}
		int[] named = NAMED.get(t);
		if (named != null) {
			return named.clone();
		}
		Matcher m = WINDOW.matcher(t);
		if (m.matches()) {
			int from = minute(m.group(1), m.group(2), t);
			int to = minute(m.group(3), m.group(4), t);
			if (to == DutyPerson.ALL_DAY) {
				to = 0;
			}
			if (from != to && from < DutyPerson.ALL_DAY) {
				return new int[] { from, to };
			}
		}
		throw new InvalidInput("意向时段", "workforce.import.preferredHours", t);
	}

	private static int minute(String hour, String minute, String text) {
		int h = Integer.parseInt(hour);
		int m = Integer.parseInt(minute);
		if (h > 24 || m > 59 || (h == 24 && m > 0)) {
			throw new InvalidInput("意向时段", "workforce.import.preferredHours", text);
		}
		return h * 60 + m;
	}

	/** The kinds as stored (enum names, in order). */
	List<String> kindNames() {
		return this.kinds.stream().sorted().map(PostKind::name).toList();
	}

}
