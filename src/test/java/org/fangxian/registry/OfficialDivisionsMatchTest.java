package org.fangxian.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Place names as road-check workers type them, matched against the bundled official list
 * (issue 13: origins and itineraries typed as 哈尔滨, 朝阳区).
 */
class OfficialDivisionsMatchTest {

	private final OfficialDivisions divisions = new OfficialDivisions();

	@Test
	void aCityTypedWithoutItsSuffixIsFoundExactly() {
		var harbin = this.divisions.match("哈尔滨", 5);
		assertThat(harbin).first().satisfies(m -> {
			assertThat(m.code()).isEqualTo("230100000000");
			assertThat(m.label()).isEqualTo("黑龙江省 哈尔滨市");
			assertThat(m.exact()).isTrue();
		});
	}

	@Test
	void aNameSharedByPlacesListsEachAndThePlaceAboveNarrowsIt() {
		var chaoyang = this.divisions.match("朝阳区", 10);
		assertThat(chaoyang).filteredOn(OfficialDivisions.PlaceMatch::exact)
			.extracting(OfficialDivisions.PlaceMatch::label)
			.contains("北京市 朝阳区", "吉林省 长春市 朝阳区");
		assertThat(this.divisions.match("北京/朝阳区", 10)).extracting(OfficialDivisions.PlaceMatch::code)
			.containsExactly("110105000000");
		assertThat(this.divisions.match("北京市 朝阳", 10)).extracting(OfficialDivisions.PlaceMatch::code)
			.containsExactly("110105000000");
	}

	@Test
	void aBeginningGivesSuggestionsAndNonsenseGivesNothing() {
		var suggestions = this.divisions.match("哈尔", 10);
		assertThat(suggestions).isNotEmpty().noneMatch(OfficialDivisions.PlaceMatch::exact);
		assertThat(suggestions).extracting(OfficialDivisions.PlaceMatch::label).contains("黑龙江省 哈尔滨市");
		assertThat(this.divisions.match("不存在的地方", 10)).isEmpty();
		assertThat(this.divisions.match("  ", 10)).isEmpty();
		assertThat(this.divisions.match(null, 10)).isEmpty();
	}

}
