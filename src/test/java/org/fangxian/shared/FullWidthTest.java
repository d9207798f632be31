package org.fangxian.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FullWidthTest {

	@Test
	void toHalfWidthIsNullSafe() {
		assertThat(FullWidth.toHalfWidth(null)).isNull();
		assertThat(FullWidth.toHalfWidth("")).isEmpty();
	}

	@Test
	void mapsFullWidthDigitsLettersAndPunctuation() {
		assertThat(FullWidth.toHalfWidth("１３８０ＡＢＣｘｙｚ")).isEqualTo("1380ABCxyz");
		assertThat(FullWidth.toHalfWidth("（０４５１）－＋＠")).isEqualTo("(0451)-+@");
	}

	@Test
	void mapsBothEndsOfTheFullWidthBlock() {
		// U+FF01 is '！' -> '!', U+FF5E is '～' -> '~'
		assertThat(FullWidth.toHalfWidth("\uFF01\uFF5E")).isEqualTo("!~");
	}

	@Test
	void leavesCharactersJustOutsideTheBlockAlone() {
		// U+FF00 is unassigned, U+FF5F is the full-width white parenthesis without an
		// ASCII twin
		assertThat(FullWidth.toHalfWidth("\uFF00\uFF5F")).isEqualTo("\uFF00\uFF5F");
	}

	@Test
	void mapsIdeographicAndNoBreakSpaceToSpace() {
		assertThat(FullWidth.toHalfWidth("张\u3000三\u00A0丰")).isEqualTo("张 三 丰");
	}

	@Test
	void removesZeroWidthCharacters() {
		assertThat(FullWidth.toHalfWidth("\uFEFF1\u200B2\u200C3\u200D4\u2060")).isEqualTo("1234");
	}

	@Test
	void leavesChineseAndAsciiUnchanged() {
		assertThat(FullWidth.toHalfWidth("幸福社区 3栋 Room 101")).isEqualTo("幸福社区 3栋 Room 101");
	}

	@Test
	void cleanReturnsEmptyForNull() {
		assertThat(FullWidth.clean(null)).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			value = { "\"  张三  \"|张三", "\"张\t\n 三\"|张 三", "\"\u3000张\u3000\u3000三\u3000\"|张 三",
					"\"\u00A0幸福  社区\u00A0 3 栋 \"|幸福 社区 3 栋", "\"\u2002en\u2003em\u2009thin\"|en em thin",
					"\"\uFEFF姓名\"|姓名", "\"ＡＢＣ　１２３\"|ABC 123", })
	void cleanTrimsAndCollapsesWhitespace(String raw, String expected) {
		assertThat(FullWidth.clean(raw)).isEqualTo(expected);
	}

	@Test
	void cleanOfOnlyWhitespaceIsEmpty() {
		assertThat(FullWidth.clean(" \u3000\t\u200B\u00A0\n")).isEmpty();
	}

	/**
	 * Clean text is given back without the regular expression: for any mix of the
	 * characters that matter, the answer is what the regular expression gives.
	 */
	@Test
	void cleanAgreesWithTheRegularExpressionForAnyText() {
		String alphabet = "a王1 \t\n\r\u000B\f\u3000\u00A0\u2003\u2028\u2029\u200B\uFEFF\uFF11\uFF41\u001F\u0085\uD842\uDFB7-";
		java.util.SplittableRandom random = new java.util.SplittableRandom(17);
		java.util.regex.Pattern run = java.util.regex.Pattern.compile("[\\s\\p{Z}]+");
		for (int n = 0; n < 200_000; n++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(7);
			for (int i = 0; i < length; i++) {
				text.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			String raw = text.toString();
			String expected = run.matcher(FullWidth.toHalfWidth(raw)).replaceAll(" ").strip();
			assertThat(FullWidth.clean(raw)).as("clean(%s)", raw.codePoints().mapToObj(Integer::toHexString).toList())
				.isEqualTo(expected);
		}
	}

	@Test
	void plainAsciiIsRecognisedAndNothingElse() {
		assertThat(FullWidth.asciiDigits("13800138000", 0, 11)).isTrue();
		assertThat(FullWidth.asciiDigits("1380013800X", 0, 11)).isFalse();
		assertThat(FullWidth.asciiDigits("1380013800X", 0, 10)).isTrue();
		// full-width and Arabic-Indic digits are digits to Character.isDigit, not here
		assertThat(FullWidth.asciiDigits("１３８", 0, 3)).isFalse();
		assertThat(FullWidth.asciiDigits("\u0661\u0662", 0, 2)).isFalse();
		assertThat(FullWidth.asciiDigits("123", 0, 4)).isFalse();
		assertThat(FullWidth.asciiDigits(null, 0, 0)).isFalse();
		assertThat(FullWidth.asciiAlphanumeric("11010519491231002x")).isTrue();
		assertThat(FullWidth.asciiAlphanumeric("110105 1949")).isFalse();
		assertThat(FullWidth.asciiAlphanumeric("110105-1949")).isFalse();
		assertThat(FullWidth.asciiAlphanumeric("１１０")).isFalse();
		assertThat(FullWidth.asciiAlphanumeric("110\u200B105")).isFalse();
	}

}
