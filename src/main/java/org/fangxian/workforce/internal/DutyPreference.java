package org.fangxian.workforce.internal;

import java.util.ArrayList;
import java.util.BitSet;
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

	private static final Map<Integer, String> NAMED_BY_START = Map.of(5 * 60, "早班", 12 * 60, "中班", 17 * 60, "晚班",
			22 * 60, "夜班");

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
	 * (22:00-05:00) or a window of start times such as 08:00-12:00, or several of them
	 * that join into one window (早班、中班 is 05:00-17:00); blank, or all four: any.
	 * @return {from, to} minutes, or {-1, -1} @throws InvalidInput for anything else, and
	 * for windows with a gap between them (早班、晚班): the roster weighs one window
	 */
	static int[] hours(String text) {
		String t = text.strip();
		List<int[]> windows = new ArrayList<>();
		for (String word : t.split("[、,，;；/]+")) {
			if (!word.isBlank()) {
				windows.add(window(word.strip(), t));
			}
		}
		if (windows.isEmpty()) {
			return new int[] { -1, -1 };
		}
		if (windows.size() == 1) {
			return windows.get(0);
		}
		return joined(windows, t);
	}

	private static int[] window(String word, String text) {
		int[] named = NAMED.get(word);
		if (named != null) {
			return named.clone();
		}
		Matcher m = WINDOW.matcher(word);
		if (m.matches()) {
			int from = minute(m.group(1), m.group(2), text);
			int to = minute(m.group(3), m.group(4), text);
			if (to == DutyPerson.ALL_DAY) {
				to = 0;
			}
			if (from != to && from < DutyPerson.ALL_DAY) {
				return new int[] { from, to };
			}
		}
		throw new InvalidInput("意向时段", "workforce.import.preferredHours", text);
	}

	/** Windows on the clock's circle as one: touching or overlapping, else refused. */
	private static int[] joined(List<int[]> windows, String text) {
		BitSet covered = new BitSet(DutyPerson.ALL_DAY);
		for (int[] w : windows) {
			if (w[0] < w[1]) {
				covered.set(w[0], w[1]);
			}
			else {
				covered.set(w[0], DutyPerson.ALL_DAY);
				covered.set(0, w[1]);
			}
		}
		int gap = covered.nextClearBit(0);
		if (gap >= DutyPerson.ALL_DAY) {
			return new int[] { -1, -1 };
		}
		int from = -1;
		int starts = 0;
		for (int i = 1; i <= DutyPerson.ALL_DAY; i++) {
			int minute = (gap + i) % DutyPerson.ALL_DAY;
			if (covered.get(minute) && !covered.get((minute + DutyPerson.ALL_DAY - 1) % DutyPerson.ALL_DAY)) {
				from = minute;
				starts++;
			}
		}
		if (starts != 1) {
			throw new InvalidInput("意向时段", "workforce.import.preferredHoursApart", text);
		}
		int to = covered.nextClearBit(from);
		if (to >= DutyPerson.ALL_DAY) {
			to = covered.nextClearBit(0);
		}
		return new int[] { from, to % DutyPerson.ALL_DAY };
	}

	/**
	 * The window in the words of the 意向时段 cell, which {@link #hours} reads back: the
	 * named shift times it is made of (晚班, or 早班、中班), else its hours (07:00-12:00); empty
	 * for any time.
	 */
	public List<String> times() {
		if (!hasHours()) {
			return List.of();
		}
		List<String> names = new ArrayList<>();
		int at = this.fromMinute;
		do {
			String name = NAMED_BY_START.get(at);
			if (name == null || names.size() == NAMED.size()) {
				return List.of(clock(this.fromMinute) + "-" + clock(this.toMinute));
			}
			names.add(name);
			at = NAMED.get(name)[1];
		}
		while (at != this.toMinute);
		return List.copyOf(names);
	}

	private static String clock(int minute) {
		return String.format("%02d:%02d", minute / 60, minute % 60);
	}

	/** A named shift time and the start times it stands for, for forms. */
	public record NamedTime(String word, String hours) {
	}

	/** The named shift times in the day's order (早班, 中班, 晚班, 夜班). */
	public static List<NamedTime> namedTimes() {
		return NAMED_BY_START.keySet()
			.stream()
			.sorted()
			.map(NAMED_BY_START::get)
			.map(word -> new NamedTime(word, clock(NAMED.get(word)[0]) + "–" + clock(NAMED.get(word)[1])))
			.toList();
	}

	/** The kinds of post in their enum order, for screens. */
	public List<PostKind> kindsInOrder() {
		return this.kinds.stream().sorted().toList();
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
