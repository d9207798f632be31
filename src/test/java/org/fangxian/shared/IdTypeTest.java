package org.fangxian.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdTypeTest {

	@Test
	void hasOfficialChineseLabels() {
		assertThat(IdType.RESIDENT_ID.label()).isEqualTo("居民身份证");
		assertThat(IdType.PASSPORT.label()).isEqualTo("护照");
		assertThat(IdType.HK_MACAU_PERMIT.label()).isEqualTo("港澳居民来往内地通行证");
		assertThat(IdType.TAIWAN_PERMIT.label()).isEqualTo("台湾居民来往大陆通行证");
		assertThat(IdType.FOREIGN_PERMANENT.label()).isEqualTo("外国人永久居留身份证");
		assertThat(IdType.OTHER.label()).isEqualTo("其他");
	}

	@ParameterizedTest
	@EnumSource(IdType.class)
	void resolvesItsOwnLabelAndName(IdType type) {
		assertThat(IdType.fromLabel(type.label())).contains(type);
		assertThat(IdType.fromLabel(type.name())).contains(type);
		assertThat(IdType.fromLabel(type.name().toLowerCase())).contains(type);
	}

	@ParameterizedTest
	@CsvSource({ "身份证, RESIDENT_ID", "居民身份证, RESIDENT_ID", "护照, PASSPORT", "港澳通行证, HK_MACAU_PERMIT",
			"回乡证, HK_MACAU_PERMIT", "台胞证, TAIWAN_PERMIT", "永居证, FOREIGN_PERMANENT", "其他, OTHER", "其它, OTHER",
			"Passport, PASSPORT", "resident_id, RESIDENT_ID", "Hk_Macau_Permit, HK_MACAU_PERMIT", })
	void resolvesShortFormsAndNames(String label, IdType expected) {
		assertThat(IdType.fromLabel(label)).contains(expected);
	}

	@Test
	void toleratesSpacesAndFullWidthInLabels() {
		assertThat(IdType.fromLabel("\u3000身 份 证 ")).contains(IdType.RESIDENT_ID);
		assertThat(IdType.fromLabel("ＰＡＳＳＰＯＲＴ")).contains(IdType.PASSPORT);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "   ", "驾驶证", "军官证", "RESIDENT", "passports" })
	void rejectsUnknownLabels(String label) {
		assertThat(IdType.fromLabel(label)).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "E12345678|E12345678", "e1234 5678|E12345678", "ｅ１２３４５６７８|E12345678",
			"\u3000h 6012 3456\u00A0|H60123456", "12345|12345", "ABCDEFGHIJ0123456789|ABCDEFGHIJ0123456789", })
	void normalizesOtherDocumentNumbers(String raw, String expected) {
		assertThat(IdType.normalizeOther(raw)).contains(expected);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "  ", "\u3000", "1234", "ABCDEFGHIJ01234567890", "E-1234567", "E1234567.", "护照12345",
			"Ä1234567" })
	void rejectsInvalidOtherDocumentNumbers(String raw) {
		assertThat(IdType.normalizeOther(raw)).isEmpty();
	}

}
