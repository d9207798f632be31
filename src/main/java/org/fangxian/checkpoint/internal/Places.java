package org.fangxian.checkpoint.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.fangxian.registry.DivisionCode;
import org.fangxian.registry.OfficialDivisions;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;

import org.springframework.stereotype.Component;

/**
 * Places as a road officer types them (哈尔滨, 朝阳区, 北京朝阳区, or a division code), matched
 * against registry's official division list down to districts and counties. A name that
 * fits several places (朝阳区 is in 北京 and in 长春) is refused with the ways to say it that
 * fit one ("北京朝阳区"); codes still work.
 */
@Component
public class Places {

	/** Endings an officer leaves off: 哈尔滨 for 哈尔滨市, 朝阳 for 朝阳区. */
	private static final String[] SUFFIXES = { "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市",
			"区", "县", "盟", "旗" };

	/**
	 * One division of the list.
	 *
	 * @param code 12 digits
	 * @param name as the list writes it (朝阳区)
	 * @param parent the nearest named level above (北京市, 长春市), or null for a province
	 * @param label province down to the place, for texts (北京市 朝阳区)
	 */
	record Place(String code, String name, String parent, String label) {

		/** What to type to name this place and no other. */
		String typed(boolean unique) {
			return unique || this.parent == null ? this.name : shortName(this.parent) + this.name;
		}

	}

	private final OfficialDivisions divisions;

	private volatile List<Place> all;

	Places(OfficialDivisions divisions) {
		this.divisions = divisions;
	}

	/** The place's label (黑龙江省 哈尔滨市), or the code itself when the list lacks it. */
	public String describe(String code) {
		return code == null ? "" : this.divisions.describe(code).orElse(code);
	}

	/**
	 * The 12-digit code of what was typed, or a 4xx naming what fits.
	 * @param field the form field, for the error
	 */
	String resolve(String raw, String field) {
		String typed = FullWidth.clean(raw).replace(" ", "");
		if (typed.isEmpty()) {
			throw new InvalidInput(field, "road.place.unknown", raw, "—");
		}
		if (typed.chars().allMatch(Character::isDigit)) {
			return DivisionCode.normalize(typed)
				.orElseThrow(() -> new InvalidInput(field, "road.division.invalid", raw));
		}
		List<Place> found = matches(typed);
		if (found.size() == 1) {
			return found.get(0).code();
		}
		if (found.isEmpty()) {
			List<Place> near = suggest(typed, 6);
			throw new InvalidInput(field, "road.place.unknown", typed,
					near.isEmpty() ? "—" : String.join("、", near.stream().map(p -> p.typed(true)).toList()));
		}
		throw new InvalidInput(field, "road.place.ambiguous", typed,
				String.join("、", found.stream().limit(8).map(p -> p.typed(false)).toList()));
	}

	/** Places whose name holds what was typed, the higher levels first; for hints. */
	List<Place> suggest(String typed, int limit) {
		String text = FullWidth.clean(typed).replace(" ", "");
		if (text.isEmpty()) {
			return List.of();
		}
		String bare = shortName(text);
		return places().stream()
			.filter(p -> p.name().contains(bare) || p.label().replace(" ", "").contains(text))
			.sorted(Comparator.comparing((Place p) -> level(p.code())).thenComparing(Place::code))
			.limit(limit)
			.toList();
	}

	/**
	 * Every place the text names exactly: by its name, its name without the ending, or
	 * with its parent.
	 */
	List<Place> matches(String typed) {
		List<Place> exact = new ArrayList<>();
		for (Place p : places()) {
			if (names(p, typed)) {
				exact.add(p);
			}
		}
		if (!exact.isEmpty()) {
			return narrowest(exact, typed);
		}
		// 北京朝阳区, 长春朝阳: the parent's name, then the place's.
		List<Place> qualified = new ArrayList<>();
		for (Place p : places()) {
			if (p.parent() == null) {
				continue;
			}
			for (String own : List.of(p.name(), shortName(p.name()))) {
				if (own.length() >= 1 && typed.endsWith(own) && typed.length() > own.length()) {
					String prefix = typed.substring(0, typed.length() - own.length());
					if (p.label().replace(" ", "").contains(prefix) || prefix.equals(shortName(p.parent()))
							|| p.label().contains(shortName(prefix))) {
						qualified.add(p);
						break;
					}
				}
			}
		}
		return qualified;
	}

	/**
	 * 吉林市 names the city, not the province 吉林省: an exact full name wins over a short one.
	 */
	private static List<Place> narrowest(List<Place> exact, String typed) {
		List<Place> full = exact.stream().filter(p -> p.name().equals(typed)).toList();
		return full.isEmpty() ? exact : full;
	}

	private static boolean names(Place p, String typed) {
		return p.name().equals(typed) || shortName(p.name()).equals(typed);
	}

	static String shortName(String name) {
		for (String suffix : SUFFIXES) {
			if (name.endsWith(suffix) && name.length() > suffix.length() + 1) {
				return name.substring(0, name.length() - suffix.length());
			}
		}
		return name;
	}

	private static int level(String code) {
		return code.endsWith("0000000000") ? 0 : code.endsWith("00000000") ? 1 : 2;
	}

	private List<Place> places() {
		List<Place> loaded = this.all;
		if (loaded == null) {
			List<Place> list = new ArrayList<>();
			for (OfficialDivisions.Division province : this.divisions.provinces()) {
				list.add(new Place(pad(province.code()), province.name(), null, province.name()));
				for (OfficialDivisions.Division city : this.divisions.cities(province.code())) {
					// 市辖区 and 县 are the list's stand-ins for a municipality's own
					// districts.
					boolean standIn = city.name().equals("市辖区") || city.name().equals("县")
							|| city.name().equals("省直辖县级行政区划") || city.name().equals("自治区直辖县级行政区划");
					String cityLabel = standIn ? province.name() : province.name() + " " + city.name();
					if (!standIn) {
						list.add(new Place(pad(city.code()), city.name(), province.name(), cityLabel));
					}
					for (OfficialDivisions.Division district : this.divisions.districts(city.code())) {
						if (district.name().equals("市辖区")) {
							continue;
						}
						list.add(new Place(pad(district.code()), district.name(),
								standIn ? province.name() : city.name(), cityLabel + " " + district.name()));
					}
				}
			}
			this.all = loaded = List.copyOf(list);
		}
		return loaded;
	}

	private static String pad(String code) {
		return (code + "000000000000").substring(0, 12);
	}

	/**
	 * The place of a stored code as a text for the officer: its label, never the digits.
	 */
	Optional<String> label(String code) {
		return this.divisions.describe(code);
	}

}
