package org.fangxian.registry.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The columns a resident roster may have, each with the header wordings communities use. */
public enum RosterField {

	SEQ("序号", "编号", "no", "no."), NAME("姓名", "名字", "居民姓名", "name"),
	ID_TYPE("证件类型", "证件种类", "id type"),
	ID_NUMBER("身份证号", "身份证号码", "公民身份号码", "证件号码", "证件号", "身份证", "id number", "idnumber"),
	SEX("性别", "sex"), BIRTH_DATE("出生日期", "出生年月", "birth date"),
	PHONE("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "phone"),
	COMPOUND("小区", "小区名称", "院落", "compound"), BUILDING("楼栋", "楼号", "楼栋号", "栋", "楼", "building"),
	UNIT("单元", "单元号", "楼组", "unit"), ROOM("门牌号", "房号", "房间号", "室", "户号", "门牌", "room"),
	ADDRESS("住址", "地址", "家庭住址", "居住地址", "现住址", "address"), RELATION("与户主关系", "关系", "relation"),
	TAGS("人员类别", "标签", "特殊人群", "人群分类", "人员类型", "tags"),
	STATUS("居住状态", "状态", "人员状态", "status"), NOTE("备注", "note");

	private final List<String> synonyms;

	RosterField(String... synonyms) {
		this.synonyms = List.of(synonyms);
	}

	public List<String> synonyms() {
		return this.synonyms;
	}

	/** Matches a header cell, ignoring required-marks ("*姓名"), colons and notes in brackets. */
	public static Optional<RosterField> forHeader(String header) {
		String key = headerKey(header);
		if (key.isEmpty()) {
			return Optional.empty();
		}
		for (RosterField field : values()) {
			if (field.synonyms.contains(key)) {
				return Optional.of(field);
			}
		}
		return Optional.empty();
	}

	static String headerKey(String header) {
		String text = RosterText.clean(header).toLowerCase(Locale.ROOT);
		text = text.replaceAll("[(（\\[【].*?[)）\\]】]", "");
		return text.replaceAll("[\\s*:：★※]", "");
	}

}
