package org.fangxian.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdNumberTest {

	private static final LocalDate TODAY = LocalDate.of(2025, 6, 1);

	// Tests compare against this instead of IdNumber.checkChar so that a wrong table in
	// the production code
	// cannot also make the expectations wrong. ISO 7064 MOD 11-2 by definition: the
	// character at position i
	// (counted from the right, the check character being position 1) weighs 2^(i-1) mod
	// 11, and the check
	// value makes the weighted sum of all 18 positions congruent to 1 mod 11; value 10 is
	// written X.
	private static char referenceCheckChar(String first17) {
		int sum = 0;
		for (int i = 0; i < 17; i++) {
			sum += (first17.charAt(i) - '0') * referenceWeight(18 - i);
		}
		return referenceCharForSum(sum);
	}

	private static char referenceCharForSum(int sum) {
		int value = Math.floorMod(1 - sum, 11);
		return value == 10 ? 'X' : (char) ('0' + value);
	}

	private static int referenceWeight(int position) {
		int weight = 1;
		for (int i = 1; i < position; i++) {
			weight = weight * 2 % 11;
		}
		return weight;
	}

	private static String withCheckChar(String first17) {
		return first17 + referenceCheckChar(first17);
	}

	@Test
	void referenceWeightsMatchTheStandardTable() {
		int[] weights = IntStream.rangeClosed(0, 16).map(i -> referenceWeight(18 - i)).toArray();
		assertThat(weights).containsExactly(7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2);
	}

	@Test
	void referenceMapsSumRemaindersToTheStandardCharacters() {
		// standard table: weighted sum mod 11 = 0..10 -> 1 0 X 9 8 7 6 5 4 3 2
		String expected = "10X98765432";
		for (int remainder = 0; remainder <= 10; remainder++) {
			assertThat(referenceCharForSum(remainder)).isEqualTo(expected.charAt(remainder));
			assertThat(referenceCharForSum(remainder + 11 * 17)).isEqualTo(expected.charAt(remainder));
		}
	}

	// Each row was computed by hand with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
	// (sum, sum mod 11 -> char)
	@ParameterizedTest
	@CsvSource({ "11010519491231002, X", // GB 11643-1999 example: 167, 2 -> X
			"44052418800101001, 4", // widely published example: 195, 8 -> 4
			"83000019920130002, 2", // 197, 10 -> 2
			"81000019850707123, 6", // 259, 6 -> 6
			"82000020000229004, 8", // 169, 4 -> 8
			"32010620240229003, 3", // 185, 9 -> 3
			"31011519791125402, 3", // 240, 9 -> 3
			"65010220231231001, 1", // 187, 0 -> 1
			"23010219900118123, X", // 200, 2 -> X
			"11010518900101001, 1", // 121, 0 -> 1
			"37020219871013381, 4", // 272, 8 -> 4
			"61010419750615345, 8", // 279, 4 -> 8
			"44052419800101001, 3", // 196, 9 -> 3
	})
	void computesKnownCheckCharacters(String first17, char expected) {
		assertThat(IdNumber.checkChar(first17)).isEqualTo(expected);
		assertThat(referenceCheckChar(first17)).isEqualTo(expected);
	}

	@Test
	void checkCharAgreesWithTheReferenceOnRandomInput() {
		Random random = new Random(11643);
		for (int n = 0; n < 2000; n++) {
			StringBuilder digits = new StringBuilder();
			for (int i = 0; i < 17; i++) {
				digits.append(random.nextInt(10));
			}
			String first17 = digits.toString();
			assertThat(IdNumber.checkChar(first17)).as(first17).isEqualTo(referenceCheckChar(first17));
		}
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "1101051949123100", "110105194912310021", "1101051949123100A", "１１０１０５１９４９１２３１００２" })
	void checkCharRejectsAnythingButSeventeenDigits(String first17) {
		assertThatIllegalArgumentException().isThrownBy(() -> IdNumber.checkChar(first17));
	}

	@ParameterizedTest
	@CsvSource({ "11010519491231002X, 1949-12-31, FEMALE", "830000199201300022, 1992-01-30, FEMALE", // Taiwan
																										// residents'
																										// residence
																										// permit
			"810000198507071236, 1985-07-07, MALE", // Hong Kong residents' residence
													// permit
			"820000200002290048, 2000-02-29, FEMALE", // Macau; 2000 is a leap year
														// (divisible by 400)
			"320106202402290033, 2024-02-29, MALE", "310115197911254023, 1979-11-25, FEMALE",
			"650102202312310011, 2023-12-31, MALE", "23010219900118123X, 1990-01-18, MALE",
			"370202198710133814, 1987-10-13, MALE", "610104197506153458, 1975-06-15, MALE",
			"110105189001010011, 1890-01-01, MALE", // earliest accepted birth date
			"460002202506010075, 2025-06-01, MALE", // born today
	})
	void acceptsValidNumbers(String raw, LocalDate birthDate, Sex sex) {
		IdNumberCheck check = IdNumber.check(raw, TODAY);

		assertThat(check).isEqualTo(new IdNumberCheck(true, raw, birthDate, sex, null));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", "１１０１０５１９４９１２３１００２ｘ", "110105 19491231 002X",
					"110105-19491231-002x", "'  110105 1949 1231 002 X '", "\u3000110105\u00A019491231\u3000002X\u200B",
					"110105－19491231－002X", "\uFEFF11010519491231002X", })
	void cleansInputBeforeChecking(String raw) {
		IdNumberCheck check = IdNumber.check(raw, TODAY);

		assertThat(check.valid()).isTrue();
		assertThat(check.normalized()).isEqualTo("11010519491231002X");
	}

	@Test
	void upgradesFifteenDigitNumbers() {
		// 1101054912310 02 -> insert 19 after the address code; check char of
		// 11010519491231002 is X
		IdNumberCheck check = IdNumber.check("110105491231002", TODAY);

		assertThat(check)
			.isEqualTo(new IdNumberCheck(true, "11010519491231002X", LocalDate.of(1949, 12, 31), Sex.FEMALE, null));
	}

	@Test
	void upgradesFifteenDigitNumbersWithSpacesAndFullWidthDigits() {
		// 44052419800101001: 196, 9 -> 3; the 15th (= new 17th) digit 1 is odd: male
		IdNumberCheck check = IdNumber.check("４４０５２４ 800101 001", TODAY);

		assertThat(check)
			.isEqualTo(new IdNumberCheck(true, "440524198001010013", LocalDate.of(1980, 1, 1), Sex.MALE, null));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "   ", "\u3000", "\t\n", "--", " - ", "\u200B", "－" })
	void reportsBlank(String raw) {
		assertThat(IdNumber.check(raw, TODAY)).isEqualTo(new IdNumberCheck(false, null, null, null, "id.blank"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "1", "11010519491231", "1101051949123100", "11010519491231002", "11010519491231002X1",
			"110105194912310021234" })
	void reportsLength(String raw) {
		assertThat(IdNumber.check(raw, TODAY).reason()).isEqualTo("id.length");
	}

	@ParameterizedTest
	@ValueSource(strings = { "11010519491231002Y", "11010519491231002y", "1101051949123100X2", // X
																								// only
																								// allowed
																								// last
			"X10105194912310021", "11010519491231O02X", // letter O instead of zero
			"110105.19491231002", // dot is not a separator
			"11010549123100X", // 15-digit numbers have no check character
			"11010549123100A", "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", // Arabic-Indic digits are digits for
														// Character.isDigit, not for us
	})
	void reportsCharacters(String raw) {
		assertThat(IdNumber.check(raw, TODAY).reason()).isEqualTo("id.chars");
	}

	@Test
	void acceptsExactlyTheListedProvinceCodes() {
		Set<Integer> valid = Set.of(11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
				50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83);
		for (int code = 0; code <= 99; code++) {
			String id = withCheckChar("%02d0102199001011".formatted(code) + "23");
			IdNumberCheck check = IdNumber.check(id, TODAY);
			if (valid.contains(code)) {
				assertThat(check.valid()).as(id).isTrue();
			}
			else {
				assertThat(check.reason()).as(id).isEqualTo("id.province");
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "100105491231002", "900105491231002", "840105491231002" })
	void reportsProvinceOfFifteenDigitNumbers(String raw) {
		assertThat(IdNumber.check(raw, TODAY).reason()).isEqualTo("id.province");
	}

	@ParameterizedTest
	@ValueSource(strings = { "110103198001010013", // Beijing Chongwen district, abolished
													// 2010: 108, 9 -> 3
			"11010419800101001X", // Beijing Xuanwu district, abolished 2010: 112, 2 -> X
			"12999919800101001X", // address digits not checked at all: 343, 2 -> X
	})
	void doesNotValidateTheAddressDigits(String raw) {
		assertThat(IdNumber.check(raw, TODAY).valid()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "110105190002290017", // 1900 is no leap year (divisible by
													// 100, not by 400): 137, 5 -> 7
			"110105202302290014", // 2023 is no leap year: 151, 8 -> 4
			"110105199013010018", // month 13: 147, 4 -> 8
			"110105199001320019", // day 32: 157, 3 -> 9
			"110105199001000015", // day 0: 117, 7 -> 5
			"110105188912310010", // day before 1890-01-01: 188, 1 -> 0
			"440524188001010014", // the published example is born 1880: 195, 8 -> 4
			"110105490230002", // 15 digits, 1949-02-30
	})
	void reportsBirthDate(String raw) {
		assertThat(IdNumber.check(raw, TODAY).reason()).isEqualTo("id.birthdate");
	}

	@Test
	void acceptsFebruary29OnlyInLeapYears() {
		assertThat(IdNumber.check(withCheckChar("11010520240229001"), TODAY).birthDate())
			.isEqualTo(LocalDate.of(2024, 2, 29));
		assertThat(IdNumber.check(withCheckChar("11010520000229001"), TODAY).birthDate())
			.isEqualTo(LocalDate.of(2000, 2, 29));
		assertThat(IdNumber.check(withCheckChar("11010519000229001"), TODAY).reason()).isEqualTo("id.birthdate");
		assertThat(IdNumber.check(withCheckChar("11010520230229001"), TODAY).reason()).isEqualTo("id.birthdate");
		assertThat(IdNumber.check("110105000229001", TODAY).reason()).isEqualTo("id.birthdate"); // implied
																									// 1900
		assertThat(IdNumber.check("110105960229001", TODAY).valid()).isTrue();
	}

	@Test
	void reportsFutureBirthDate() {
		// born 2025-06-02, one day after TODAY: 199, 1 -> 0
		assertThat(IdNumber.check("460002202506020070", TODAY).reason()).isEqualTo("id.future");
		assertThat(IdNumber.check("460002202506020070", TODAY.plusDays(1)).valid()).isTrue();
	}

	@Test
	void skipsTheFutureCheckWithoutToday() {
		assertThat(IdNumber.check("460002202506020070", null).valid()).isTrue();
	}

	@Test
	void reportsEveryWrongCheckCharacter() {
		for (char wrong : "0123456789".toCharArray()) {
			assertThat(IdNumber.check("11010519491231002" + wrong, TODAY).reason()).isEqualTo("id.checksum");
		}
		for (char wrong : "012456789X".toCharArray()) {
			assertThat(IdNumber.check("44052419800101001" + wrong, TODAY).reason()).isEqualTo("id.checksum");
		}
	}

	@Test
	void reportsChecksumForSwappedDigits() {
		// a typical typing error: the last two birth-day digits swapped (1949-12-13
		// instead of 12-31)
		assertThat(IdNumber.check("11010519491213002X", TODAY).reason()).isEqualTo("id.checksum");
	}

	@ParameterizedTest
	@CsvSource({ "0, FEMALE", "1, MALE", "2, FEMALE", "3, MALE", "4, FEMALE", "5, MALE", "6, FEMALE", "7, MALE",
			"8, FEMALE", "9, MALE" })
	void readsSexFromTheSeventeenthDigit(int digit, Sex sex) {
		String id = withCheckChar("1101051949123100" + digit);

		assertThat(IdNumber.check(id, TODAY).sex()).isEqualTo(sex);
		assertThat(new IdNumber(id).sex()).isEqualTo(sex);
	}

	@Test
	void ofReturnsTheNormalizedNumber() {
		IdNumber id = IdNumber.of(" 110105 19491231 002x ");

		assertThat(id.value()).isEqualTo("11010519491231002X");
		assertThat(id.birthDate()).isEqualTo(LocalDate.of(1949, 12, 31));
		assertThat(id.sex()).isEqualTo(Sex.FEMALE);
	}

	@Test
	void ofUpgradesFifteenDigitNumbers() {
		assertThat(IdNumber.of("110105491231002")).isEqualTo(IdNumber.of("11010519491231002X"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "''|id.blank", "1234|id.length", "11010519491231002Y|id.chars",
			"99010519491231002X|id.province", "110105190002290017|id.birthdate", "110105194912310021|id.checksum", })
	void ofThrowsTheReasonKey(String raw, String reason) {
		assertThatIllegalArgumentException().isThrownBy(() -> IdNumber.of(raw)).withMessage(reason);
	}

	@Test
	void ofRejectsBirthDatesAfterToday() {
		String nextYear = LocalDate.now().plusYears(1).format(DateTimeFormatter.BASIC_ISO_DATE);
		String future = withCheckChar("110105" + nextYear + "001");

		assertThatIllegalArgumentException().isThrownBy(() -> IdNumber.of(future)).withMessage("id.future");
	}

	@Test
	void ofRejectsNull() {
		assertThatIllegalArgumentException().isThrownBy(() -> IdNumber.of(null)).withMessage("id.blank");
	}

	@Test
	void constructorNormalizesButToleratesFutureDatesFromStorage() {
		assertThat(new IdNumber("11010519491231002x").value()).isEqualTo("11010519491231002X");
		assertThat(new IdNumber("460002202506020070").birthDate()).isEqualTo(LocalDate.of(2025, 6, 2));
		assertThatIllegalArgumentException().isThrownBy(() -> new IdNumber("110105194912310021"))
			.withMessage("id.checksum");
		assertThatIllegalArgumentException().isThrownBy(() -> new IdNumber(null)).withMessage("id.blank");
	}

	@Test
	void equalsComparesTheNormalizedValue() {
		assertThat(IdNumber.of("１１０１０５１９４９１２３１００２ｘ")).isEqualTo(new IdNumber("11010519491231002X"))
			.hasSameHashCodeAs(new IdNumber("11010519491231002X"));
	}

	@Test
	void masksFirstFourAndLastFour() {
		assertThat(IdNumber.of("23010219900118123X").masked()).isEqualTo("2301**********123X");
		assertThat(IdNumber.of("830000199201300022").masked()).isEqualTo("8300**********0022");
	}

	@Test
	void toStringNeverRevealsTheFullNumber() {
		IdNumber id = IdNumber.of("23010219900118123X");

		assertThat(id.toString()).isEqualTo("2301**********123X").doesNotContain("19900118");
		assertThat("holder " + id).isEqualTo("holder 2301**********123X");
	}

	@Test
	void checkResultForInvalidInputCarriesOnlyTheReason() {
		assertThat(IdNumber.check("110105194912310021", TODAY))
			.isEqualTo(new IdNumberCheck(false, null, null, null, "id.checksum"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "E12345678|E1*****78", "ＥＡ１２３４５６７|EA*****67", "' H6012 3456 '|H6*****56",
			"ABCDEF|AB**EF", "ABCDE|*****", "AB|**", "''|''", })
	void masksOtherDocumentNumbers(String raw, String expected) {
		assertThat(IdNumber.mask(raw)).isEqualTo(expected);
	}

	@Test
	void maskOfNullIsEmpty() {
		assertThat(IdNumber.mask(null)).isEmpty();
	}

}
