package org.fangxian.registry.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The columns a community roster can carry, each with the header texts communities
 * actually use for it. Matching is on a normalised key (see {@link #headerKey}), so
 * "＊姓名：", "联系电话（手机）" and "ID Number" all find their field.
 */
public enum RosterField {

	/**
	 * Row numbering kept by hand; recognised so it counts towards header detection, never
	 * imported.
	 */
	SEQ("序号", "编号", "序", "no", "seq"),

	NAME("姓名", "名字", "居民姓名", "人员姓名", "name", "full name"),

	ID_TYPE("证件类型", "证件种类", "id type"),

	/** Not plain "ID": exports from other systems use that for their own record key. */
	ID_NUMBER("身份证号", "身份证号码", "身份证", "居民身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "证件号", "id number", "id no", "id card",
			"id card no"),

	SEX("性别", "sex", "gender"),

	BIRTH_DATE("出生日期", "出生年月", "出生年月日", "生日", "birth date", "date of birth", "birthday"),

	PHONE("联系电话", "电话", "电话号码", "手机", "手机号", "手机号码", "联系方式", "phone", "mobile", "tel"),

	COMPOUND("小区", "小区名称", "小区名", "院落", "compound"),

	BUILDING("楼栋", "楼号", "楼栋号", "栋", "栋号", "楼", "building"),

	UNIT("单元", "单元号", "楼组", "unit"),

	ROOM("门牌号", "门牌", "房号", "房间号", "室", "户号", "room"),

	/**
	 * Free-text address, for rosters that keep no separate compound, building, unit and
	 * room columns.
	 */
	ADDRESS("住址", "地址", "家庭住址", "居住地址", "现住址", "详细地址", "address"),

	RELATION("与户主关系", "关系", "relation", "relationship"),

	TAGS("人员类别", "人员类型", "标签", "特殊人群", "人群分类", "tags", "category"),

	STATUS("居住状态", "状态", "人员状态", "status"),

	NOTE("备注", "说明", "note", "notes", "remark", "remarks");

	private static final Map<String, RosterField> BY_KEY = new HashMap<>();

	static {
		for (RosterField field : values()) {
			for (String synonym : field.synonyms) {
				RosterField clash = BY_KEY.put(headerKey(synonym), field);
				if (clash != null) {
					throw new IllegalStateException(
							"Header synonym " + synonym + " claimed by " + clash + " and " + field);
				}
			}
		}
	}

	private final List<String> synonyms;

	RosterField(String... synonyms) {
		this.synonyms = List.of(synonyms);
	}

	/**
	 * Header texts recognised for this field, the usual Chinese one first (handy as a
	 * display label).
	 */
	public List<String> synonyms() {
		return this.synonyms;
	}

	/**
	 * The field a header text names, if any. A header listing alternatives ("电话/手机")
	 * matches only when every alternative names the same field, so a combined "楼栋/单元/房号"
	 * column is left for the user to map rather than silently read as a building.
	 */
	public static Optional<RosterField> ofHeader(String headerText) {
		String key = headerKey(headerText);
		if (key.isEmpty()) {
			return Optional.empty();
		}
		RosterField field = BY_KEY.get(key);
		if (field != null) {
			return Optional.of(field);
		}
		String[] parts = key.split("[/|、,]");
		if (parts.length < 2) {
			return Optional.empty();
		}
		for (String part : parts) {
			RosterField candidate = BY_KEY.get(part);
			if (candidate == null || (field != null && candidate != field)) {
				return Optional.empty();
			}
			field = candidate;
		}
		return Optional.of(field);
	}

	/**
	 * Reduces a header to what identifies it: half-width, lower case, without whitespace,
	 * required marks ("*"), colons, separators, or bracketed remarks such as "（手机）" or
	 * "【必填】".
	 */
	static String headerKey(String headerText) {
		String text = CellText.clean(headerText).toLowerCase(Locale.ROOT);
		String key = strip(text.replaceAll("\\([^)]*\\)|\\[[^]]*]|【[^】]*】|〔[^〕]*〕", ""));
		// A header that is nothing but a remark, "（备注）", still deserves to be matched on
		// its words.
		return key.isEmpty() ? strip(text.replaceAll("[()\\[\\]【】〔〕]", "")) : key;
	}

	private static String strip(String text) {
		return text.replaceAll("[\\s*:_.\\-※]", "");
	}

}
