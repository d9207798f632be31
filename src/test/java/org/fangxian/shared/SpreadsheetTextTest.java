package org.fangxian.shared;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpreadsheetTextTest {

	@ParameterizedTest
	@ValueSource(strings = { "=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+cmd|' /C calc'!A0", "-2+3",
			"@SUM(A1:A9)", "\t=1+1", "\r=1+1" })
	void textThatCouldBeReadAsAFormulaBecomesPlainText(String text) {
		assertThat(SpreadsheetText.cell(text)).isEqualTo("'" + text);
	}

	@ParameterizedTest
	@ValueSource(strings = { "王建国", "1栋2单元301", "139****0001", "110105194912310021", "a=b", "" })
	void ordinaryTextIsUnchanged(String text) {
		assertThat(SpreadsheetText.cell(text)).isEqualTo(text);
	}

	@Test
	void sheetNamesLoseWhatExcelRefusesAndFormulaStarts() {
		assertThat(SpreadsheetText.sheetName("G1 卡点: 东/西", "x")).isEqualTo("G1 卡点  东 西");
		assertThat(SpreadsheetText.sheetName("=cmd", "x")).isEqualTo("_=cmd");
		assertThat(SpreadsheetText.sheetName("   ", "x")).isEqualTo("x");
		assertThat(SpreadsheetText.sheetName("一".repeat(40), "x")).hasSize(31);
	}

}
