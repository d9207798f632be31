package org.fangxian.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Service;

/**
 * The bundled official division list read-only, down to streets: names by code, for
 * pickers ("where do you come from") and for describing a code. Nothing here touches the
 * jurisdiction tree; villages are not held (a 12-digit village code is described by its
 * street).
 */
@Service
public class OfficialDivisions {

	/**
	 * One division of the official list.
	 *
	 * @param code the code at its own level (2, 4, 6 or 9 digits)
	 * @param parentCode the code of the level above, null for a province
	 */
	public record Division(String code, String name, String parentCode) {
	}

	private volatile Map<String, Division> byCode;

	/** Provinces, in code order. */
	public List<Division> provinces() {
		return all().values().stream().filter(d -> d.code().length() == 2).toList();
	}

	/**
	 * Cities (4 digits) of a province, or of every province when {@code provinceCode} is
	 * null.
	 */
	public List<Division> cities(String provinceCode) {
		return all().values()
			.stream()
			.filter(d -> d.code().length() == 4 && (provinceCode == null || d.parentCode().equals(provinceCode)))
			.toList();
	}

	/** Districts and counties (6 digits) of a city. */
	public List<Division> districts(String cityCode) {
		return all().values().stream().filter(d -> d.code().length() == 6 && d.parentCode().equals(cityCode)).toList();
	}

	/**
	 * Names a 2- to 12-digit code from the province down ("黑龙江省 哈尔滨市 道里区"); a city called
	 * "市辖区" (the districts of a municipality) is left out. Empty when the code is
	 * unknown.
	 */
	public Optional<String> describe(String code) {
		Optional<String> normalized = DivisionCode.normalize(code);
		if (normalized.isEmpty()) {
			return Optional.empty();
		}
		String c = normalized.get();
		List<String> names = new ArrayList<>();
		String deepest = null;
		for (int digits : new int[] { 2, 4, 6, 9 }) {
			String part = c.substring(0, digits);
			if (part.substring(digits == 9 ? 6 : digits - 2).chars().allMatch(ch -> ch == '0')) {
				break;
			}
			Division division = all().get(part);
			if (division == null) {
				return Optional.empty();
			}
			deepest = part;
			if (!(digits == 4 && (division.name().equals("市辖区") || division.name().equals("县")))) {
				names.add(division.name());
			}
		}
		return deepest == null ? Optional.empty() : Optional.of(String.join(" ", names));
	}

	/**
	 * A place of the official list matching a typed name.
	 *
	 * @param code its 12-digit division code
	 * @param label its full name from the province down ("北京市 朝阳区")
	 * @param exact the typed name is the place's name (with or without 省/市/区/县…), not
	 * only its beginning
	 */
	public record PlaceMatch(String code, String label, boolean exact) {
	}

	private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[/／,，、\\s>＞]+");

	private static final java.util.regex.Pattern SUFFIX = java.util.regex.Pattern
		.compile("(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|省|市|区|县|盟|旗)$");

	/**
	 * Provinces, cities and districts whose name matches what a person typed ("哈尔滨",
	 * "朝阳区", "北京/朝阳", "辽宁 朝阳"): exact names first (several places may share one: 朝阳区 of
	 * Beijing and of Changchun), then names that begin with it, as suggestions. Earlier
	 * parts of the text narrow by the places above. Empty for an empty text.
	 * @param limit how many at most
	 */
	public List<PlaceMatch> match(String typed, int limit) {
		if (typed == null) {
			return List.of();
		}
		List<String> parts = java.util.Arrays.stream(SEPARATORS.split(org.fangxian.shared.FullWidth.clean(typed)))
			.filter(p -> !p.isEmpty())
			.toList();
		if (parts.isEmpty()) {
			return List.of();
		}
		String last = parts.get(parts.size() - 1);
		List<String> above = parts.subList(0, parts.size() - 1);
		List<PlaceMatch> exact = new ArrayList<>();
		List<PlaceMatch> prefix = new ArrayList<>();
		for (Division d : all().values()) {
			if (d.code().length() > 6 || d.name().equals("市辖区") || d.name().equals("县")) {
				continue;
			}
			boolean isExact = d.name().equals(last) || bare(d.name()).equals(bare(last));
			boolean isPrefix = !isExact && d.name().startsWith(last);
			if ((!isExact && !isPrefix) || !under(d, above)) {
				continue;
			}
			String code = (d.code() + "000000000000").substring(0, 12);
			PlaceMatch m = new PlaceMatch(code, describe(code).orElse(d.name()), isExact);
			(isExact ? exact : prefix).add(m);
		}
		List<PlaceMatch> result = new ArrayList<>(exact);
		result.addAll(prefix);
		return result.size() > limit ? List.copyOf(result.subList(0, limit)) : List.copyOf(result);
	}

	private static String bare(String name) {
		String stripped = SUFFIX.matcher(name).replaceFirst("");
		return stripped.isEmpty() ? name : stripped;
	}

	/** Whether each of the names typed before the last names a place above {@code d}. */
	private boolean under(Division d, List<String> above) {
		for (String name : above) {
			boolean found = false;
			for (Division up = parent(d); up != null; up = parent(up)) {
				if (up.name().equals(name) || bare(up.name()).equals(bare(name)) || up.name().startsWith(name)) {
					found = true;
					break;
				}
			}
			if (!found) {
				return false;
			}
		}
		return true;
	}

	private Division parent(Division d) {
		return d.parentCode() == null ? null : all().get(d.parentCode());
	}

	private Map<String, Division> all() {
		Map<String, Division> loaded = this.byCode;
		if (loaded == null) {
			synchronized (this) {
				if (this.byCode == null) {
					Map<String, Division> map = new LinkedHashMap<>();
					read("provinces.csv", -1, map);
					read("cities.csv", 2, map);
					read("areas.csv", 2, map);
					read("streets.csv", 2, map);
					this.byCode = map;
				}
				loaded = this.byCode;
			}
		}
		return loaded;
	}

	private static void read(String file, int parentColumn, Map<String, Division> into) {
		try (InputStream in = new ClassPathResource("divisions/" + file).getInputStream();
				BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8),
						1 << 16)) {
			for (CSVRecord record : CSVFormat.DEFAULT.builder()
				.setHeader()
				.setSkipHeaderRecord(true)
				.get()
				.parse(reader)) {
				String code = record.get(0);
				into.put(code, new Division(code, record.get(1), parentColumn < 0 ? null : record.get(parentColumn)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
