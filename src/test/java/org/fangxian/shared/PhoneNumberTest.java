package org.fangxian.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumberTest {

	@ParameterizedTest
	@ValueSource(strings = { "13800138000", "+86 138-0013-8000", "8613800138000", "0086 13800138000", "１３８００１３８０００",
			"＋８６　１３８　００１３　８０００", "(+86) 138 0013 8000", "+86-13800138000", "138.0013.8000", "138 0013 8000\u200B",
			"\u00A0138\u3000 0013 8000 ", })
	void parsesMobileNumbers(String raw) {
		assertThat(PhoneNumber.parse(raw)).contains(new PhoneNumber("13800138000", true));
	}

	@ParameterizedTest
	@ValueSource(strings = { "13012345678", "14712345678", "15912345678", "16612345678", "17712345678", "18812345678",
			"19912345678" })
	void acceptsEveryMobileSecondDigitFromThreeToNine(String raw) {
		assertThat(PhoneNumber.parse(raw)).hasValueSatisfying(phone -> {
			assertThat(phone.value()).isEqualTo(raw);
			assertThat(phone.mobile()).isTrue();
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "0451-86661234|045186661234", "(0451)86661234|045186661234", "（０４５１）８６６６１２３４|045186661234",
					"0451 8666 1234|045186661234", "010-62345678|01062345678", "021 6234 5678|02162345678",
					"0755-8765432|07558765432", "+86 451 8666 1234|045186661234", "+86 (0)451 8666 1234|045186661234",
					"0086 10 6234 5678|01062345678", })
	void parsesLandlineNumbers(String raw, String expected) {
		assertThat(PhoneNumber.parse(raw)).contains(new PhoneNumber(expected, false));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "   ", "12345", "23800138000", // no mobile starts with 2
			"138001380001", // 12 digits
			"1380013800", // 10 digits
			"12800138000", // second digit 2
			"10800138000", "86138001380001", // 86 + 12 digits
			"8623800138000", // 86 only stripped before a mobile
			"+86 23800138000", "+852 9123 4567", // Hong Kong
			"+1 415 555 0100", "011-62345678", // no area code 011
			"023-800138000", // local number too long for a three-digit area code
			"0451-866612", // local number too short
			"0451-866612345", "13800138000转123", "138-0013-800O", // letter O
			"tel:13800138000", })
	void rejectsEverythingElse(String raw) {
		assertThat(PhoneNumber.parse(raw)).isEmpty();
	}

	@Test
	void masksMobileNumbers() {
		assertThat(PhoneNumber.parse("13812345678").orElseThrow().masked()).isEqualTo("138****5678");
	}

	@Test
	void masksLandlineNumbersKeepingFirstFourAndLastTwo() {
		assertThat(PhoneNumber.parse("0451-86661234").orElseThrow().masked()).isEqualTo("0451******34");
		assertThat(PhoneNumber.parse("010-62345678").orElseThrow().masked()).isEqualTo("0106*****78");
		assertThat(PhoneNumber.parse("0755-8765432").orElseThrow().masked()).isEqualTo("0755*****32");
	}

	@Test
	void toStringNeverRevealsTheFullNumber() {
		PhoneNumber phone = PhoneNumber.parse("13812345678").orElseThrow();

		assertThat(phone.toString()).isEqualTo("138****5678");
		assertThat("call " + phone).doesNotContain("13812345678");
	}

	@Test
	void constructorRejectsValuesThatAreNotNormalized() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PhoneNumber("138 0013 8000", true));
		assertThatIllegalArgumentException().isThrownBy(() -> new PhoneNumber("13800138000", false));
		assertThatIllegalArgumentException().isThrownBy(() -> new PhoneNumber("045186661234", true));
		assertThatIllegalArgumentException().isThrownBy(() -> new PhoneNumber(null, true));
	}

	@Test
	void equalsComparesValueAndKind() {
		assertThat(PhoneNumber.parse("+86 138-0013-8000")).isEqualTo(PhoneNumber.parse("１３８００１３８０００"));
	}

}
