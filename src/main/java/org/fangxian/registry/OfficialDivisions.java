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
