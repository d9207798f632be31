package org.fangxian.shared;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Identity document types accepted at registration.
 */
public enum IdType {

	/**
	 * 居民身份证, also covers the Hong Kong/Macau/Taiwan residents' residence permits (same
	 * numbering).
	 */
	RESIDENT_ID("居民身份证"),
	/** 护照 */
	PASSPORT("护照"),
	/** 港澳居民来往内地通行证 (回乡证) */
	HK_MACAU_PERMIT("港澳居民来往内地通行证"),
	/** 台湾居民来往大陆通行证 (台胞证) */
	TAIWAN_PERMIT("台湾居民来往大陆通行证"),
	/** 外国人永久居留身份证 */
	FOREIGN_PERMANENT("外国人永久居留身份证"),
	/** 其他 */
	OTHER("其他");

	// Short forms people actually write in spreadsheets, next to the official names
	private static final Map<String, IdType> ALIASES = Map.of("身份证", RESIDENT_ID, "港澳通行证", HK_MACAU_PERMIT, "回乡证",
			HK_MACAU_PERMIT, "台胞证", TAIWAN_PERMIT, "永居证", FOREIGN_PERMANENT, "其它", OTHER);

	private static final Pattern OTHER_NUMBER = Pattern.compile("[A-Z0-9]{5,20}");

	private final String label;

	IdType(String label) {
		this.label = label;
	}

	/**
	 * @return the official Chinese name, e.g. {@code 居民身份证}
	 */
	public String label() {
		return label;
	}

	/**
	 * Resolves a document type from its Chinese name, a common short form ({@code 身份证},
	 * {@code 回乡证}, {@code 台胞证}, {@code 永居证}, ...) or the enum name in any case.
	 * @param text the label as entered, may be {@code null}; full-width characters and
	 * spaces are tolerated
	 * @return the type, or empty when unknown
	 */
	public static Optional<IdType> fromLabel(String text) {
		String key = FullWidth.clean(text).replace(" ", "");
		if (key.isEmpty()) {
			return Optional.empty();
		}
		for (IdType type : values()) {
			if (type.label.equals(key) || type.name().equalsIgnoreCase(key)) {
				return Optional.of(type);
			}
		}
		return Optional.ofNullable(ALIASES.get(key));
	}

	/**
	 * Normalizes the number of a non-resident document (passport, permits): full-width
	 * characters become ASCII, spaces are removed and letters upper-cased.
	 * @param raw the number as typed, may be {@code null}
	 * @return the number when it is 5 to 20 characters of {@code A-Z0-9}, otherwise empty
	 */
	public static Optional<String> normalizeOther(String raw) {
		String number = FullWidth.clean(raw).replace(" ", "").toUpperCase(Locale.ROOT);
		return OTHER_NUMBER.matcher(number).matches() ? Optional.of(number) : Optional.empty();
	}

}
