package org.fangxian.workforce.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.fangxian.registry.Spreadsheets;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PhoneNumber;

/**
 * One row of a volunteer list, read and judged: the columns are found by their Chinese
 * headers (姓名, 手机号, 身份证号, 所属单位, 技能, 每周最多班次, and optionally 批次, 党员, 可服务日; the days may
 * carry hours: 周一至周五 18:00-22:00, 每天 22:00-06:00, else all day; and the wishes 意向岗位,
 * 意向时段, see {@link DutyPreference}). Skills are kept as the words of the file, split on 、
 * or commas.
 */
record VolunteerRow(int row, String name, String idNumber, PhoneNumber phone, String organisation, String batch,
		boolean partyMember, List<String> skills, int maxShiftsPerWeek, int availableDays, int fromMinute, int toMinute,
		DutyPreference preference) {

	/** Hours in the days' cell: "周一至周五 18:00-22:00", "每天 22:00-06:00". */
	static final java.util.regex.Pattern HOURS = java.util.regex.Pattern
		.compile("(\\d{1,2})[:：](\\d{2})\\s*[-–—~至到]\\s*(\\d{1,2})[:：](\\d{2})");

	enum Column {

		NAME, PHONE, ID_NUMBER, ORGANISATION, SKILLS, MAX_SHIFTS, BATCH, PARTY_MEMBER, DAYS, PREFERRED_POSTS,
		PREFERRED_HOURS

	}

	static final Map<String, Column> HEADERS = Map.ofEntries(Map.entry("姓名", Column.NAME), Map.entry("名字", Column.NAME),
			Map.entry("手机号", Column.PHONE), Map.entry("手机号码", Column.PHONE), Map.entry("手机", Column.PHONE),
			Map.entry("联系电话", Column.PHONE), Map.entry("电话", Column.PHONE), Map.entry("身份证号", Column.ID_NUMBER),
			Map.entry("身份证号码", Column.ID_NUMBER), Map.entry("身份证", Column.ID_NUMBER),
			Map.entry("证件号码", Column.ID_NUMBER), Map.entry("所属单位", Column.ORGANISATION),
			Map.entry("单位", Column.ORGANISATION), Map.entry("工作单位", Column.ORGANISATION),
			Map.entry("派出单位", Column.ORGANISATION), Map.entry("技能", Column.SKILLS), Map.entry("特长", Column.SKILLS),
			Map.entry("每周最多班次", Column.MAX_SHIFTS), Map.entry("每周班次", Column.MAX_SHIFTS),
			Map.entry("最多班次", Column.MAX_SHIFTS), Map.entry("批次", Column.BATCH), Map.entry("党员", Column.PARTY_MEMBER),
			Map.entry("是否党员", Column.PARTY_MEMBER), Map.entry("可服务日", Column.DAYS), Map.entry("可用日期", Column.DAYS),
			Map.entry("可服务时间", Column.DAYS), Map.entry("意向岗位", Column.PREFERRED_POSTS),
			Map.entry("意向时段", Column.PREFERRED_HOURS), Map.entry("意向班次", Column.PREFERRED_HOURS));

	static final int DEFAULT_MAX_SHIFTS = 7;

	private static final String[] DAY_NAMES = { "一", "二", "三", "四", "五", "六", "日" };

	/**
	 * Column positions by header, or empty when the row is not a header (it has no 姓名).
	 */
	static Optional<Map<Column, Integer>> header(Spreadsheets.Row row) {
		Map<Column, Integer> found = new java.util.EnumMap<>(Column.class);
		for (int i = 0; i < row.cells().size(); i++) {
			Column column = HEADERS.get(row.cell(i).replace(" ", "").replace("*", "").toUpperCase(Locale.ROOT));
			if (column != null) {
				found.putIfAbsent(column, i);
			}
		}
		return found.containsKey(Column.NAME) && found.size() >= 2 ? Optional.of(found) : Optional.empty();
	}

	/**
	 * The row read against the header. @throws InvalidInput naming the field and the
	 * reason it is refused
	 */
	static VolunteerRow read(Spreadsheets.Row source, Map<Column, Integer> columns, LocalDate today) {
		String name = cell(source, columns, Column.NAME);
		if (name.isEmpty()) {
			throw new InvalidInput("姓名", "workforce.import.nameBlank");
		}
		if (name.length() > 50) {
			throw new InvalidInput("姓名", "workforce.import.nameLong");
		}
		String rawId = cell(source, columns, Column.ID_NUMBER);
		String idNumber = null;
		if (!rawId.isEmpty()) {
			IdNumberCheck check = IdNumber.check(rawId, today);
			if (!check.valid()) {
				throw new InvalidInput("身份证号", check.reason());
			}
			idNumber = check.normalized();
		}
		String rawPhone = cell(source, columns, Column.PHONE);
		PhoneNumber phone = null;
		if (!rawPhone.isEmpty()) {
			phone = PhoneNumber.parse(rawPhone).orElseThrow(() -> new InvalidInput("手机号", "workforce.import.phone"));
		}
		if (idNumber == null && phone == null) {
			throw new InvalidInput("身份证号", "workforce.import.noIdNorPhone");
		}
		String rawMax = cell(source, columns, Column.MAX_SHIFTS);
		int max = DEFAULT_MAX_SHIFTS;
		if (!rawMax.isEmpty()) {
			try {
				max = Integer.parseInt(rawMax.replace("次", "").replace("班", "").strip());
			}
			catch (NumberFormatException ex) {
				throw new InvalidInput("每周最多班次", "workforce.import.maxShifts", rawMax);
			}
			if (max < 0 || max > 21) {
				throw new InvalidInput("每周最多班次", "workforce.import.maxShifts", rawMax);
			}
		}
		String organisation = cell(source, columns, Column.ORGANISATION);
		String batch = cell(source, columns, Column.BATCH);
		if (organisation.length() > 100 || batch.length() > 50) {
			throw new InvalidInput("所属单位", "workforce.import.tooLong");
		}
		String party = cell(source, columns, Column.PARTY_MEMBER);
		boolean partyMember = party.equals("是") || party.equals("党员") || party.equals("中共党员") || party.equals("Y")
				|| party.equals("1");
		String days = cell(source, columns, Column.DAYS);
		int from = 0;
		int to = DutyPerson.ALL_DAY;
		java.util.regex.Matcher hours = HOURS.matcher(days);
		if (hours.find()) {
			from = minute(hours.group(1), hours.group(2), days);
			to = minute(hours.group(3), hours.group(4), days);
			if (to == 0) {
				to = DutyPerson.ALL_DAY;
			}
			if (from == to || from >= DutyPerson.ALL_DAY) {
				throw new InvalidInput("可服务日", "workforce.import.days", days);
			}
			days = (days.substring(0, hours.start()) + days.substring(hours.end())).strip();
		}
		int available = days.isEmpty() ? DutyPerson.EVERY_DAY : days(days);
		int[] preferredHours = DutyPreference.hours(cell(source, columns, Column.PREFERRED_HOURS));
		DutyPreference preference = new DutyPreference(
				DutyPreference.kinds(cell(source, columns, Column.PREFERRED_POSTS)), preferredHours[0],
				preferredHours[1]);
		return new VolunteerRow(source.number(), name, idNumber, phone, organisation, batch, partyMember,
				skills(cell(source, columns, Column.SKILLS)), max, available, from, to, preference);
	}

	/** Skill words as written, in order, each once: "采样、驾驶" → [采样, 驾驶]. */
	static List<String> skills(String text) {
		Set<String> words = new LinkedHashSet<>();
		for (String word : text.split("[、,，;；/\\s]+")) {
			String skill = word.strip();
			if (!skill.isEmpty()) {
				if (skill.length() > 20) {
					throw new InvalidInput("技能", "workforce.import.skill", skill);
				}
				words.add(skill);
			}
		}
		return new ArrayList<>(words);
	}

	private static int minute(String hour, String minute, String text) {
		int h = Integer.parseInt(hour);
		int m = Integer.parseInt(minute);
		if (h > 24 || m > 59 || (h == 24 && m > 0)) {
			throw new InvalidInput("可服务日", "workforce.import.days", text);
		}
		return h * 60 + m;
	}

	/** "周一至周五", "周一、周三、周六", "每天", "1-5" → bits of ISO days. */
	static int days(String text) {
		String t = text.replace("星期", "周").replace("礼拜", "周").replace("天", "日").replace(" ", "");
		if (t.equals("每日") || t.equals("全周") || t.equals("全部") || t.equals("不限")) {
			return DutyPerson.EVERY_DAY;
		}
		if (t.equals("工作日")) {
			return 0b001_1111;
		}
		if (t.equals("周末")) {
			return 0b110_0000;
		}
		int bits = 0;
		for (String part : t.split("[、,，;；/]+")) {
			String[] range = part.split("至|到|-|~|—");
			int from = day(range[0]);
			int to = (range.length > 1) ? day(range[1]) : from;
			if (from < 1 || to < 1 || range.length > 2) {
				throw new InvalidInput("可服务日", "workforce.import.days", text);
			}
			for (int d = from;; d = d % 7 + 1) {
				bits |= 1 << (d - 1);
				if (d == to) {
					break;
				}
			}
		}
		return bits;
	}

	private static int day(String text) {
		String t = text.startsWith("周") ? text.substring(1) : text;
		for (int i = 0; i < DAY_NAMES.length; i++) {
			if (t.equals(DAY_NAMES[i]) || t.equals(String.valueOf(i + 1))) {
				return i + 1;
			}
		}
		return t.equals("七") || t.equals("7") ? 7 : -1;
	}

	private static String cell(Spreadsheets.Row row, Map<Column, Integer> columns, Column column) {
		Integer index = columns.get(column);
		return (index == null) ? "" : row.cell(index);
	}

}
