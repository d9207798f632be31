package org.fangxian;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.PhoneNumber;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TestIdNumbersTest {

	private static final LocalDate TODAY = LocalDate.of(2026, 12, 2);

	@Test
	void issuesValidNumbersNeverTwiceOverAHundredThousandDraws() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			String number = TestIdNumbers.next();
			assertThat(seen.add(number)).as("issued twice: %s", number).isTrue();
			if (i % 97 == 0) {
				IdNumberCheck check = IdNumber.check(number, TODAY);
				assertThat(check.valid()).as("%s: %s", number, check.reason()).isTrue();
				assertThat(check.birthDate()).isBetween(TestIdNumbers.ADULT_FROM, TestIdNumbers.ADULT_TO);
			}
		}
		assertThat(seen).allSatisfy(number -> assertThat(number).startsWith(TestIdNumbers.REGION)
			.hasSize(18)
			.endsWith(String.valueOf(IdNumber.checkChar(number.substring(0, 17)))));
	}

	@Test
	void honoursTheBirthDateUntilItsThousandNumbersAreUsed() {
		LocalDate born = LocalDate.of(1931, 2, 28);
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String number = TestIdNumbers.bornOn(born);
			assertThat(IdNumber.check(number, TODAY).birthDate()).isEqualTo(born);
			seen.add(number);
		}
		assertThat(seen).hasSize(1000);
		assertThatIllegalStateException().isThrownBy(() -> TestIdNumbers.bornOn(born));
	}

	@Test
	void drawsFromTheWholeRangeAndMovesOnWhenADayIsUsedUp() {
		LocalDate from = LocalDate.of(1932, 3, 1);
		LocalDate to = LocalDate.of(1932, 3, 2);
		Set<LocalDate> days = new HashSet<>();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 2000; i++) {
			String number = TestIdNumbers.bornBetween(from, to);
			assertThat(seen.add(number)).isTrue();
			days.add(IdNumber.check(number, TODAY).birthDate());
		}
		assertThat(days).containsExactlyInAnyOrder(from, to);
		assertThatIllegalStateException().isThrownBy(() -> TestIdNumbers.bornBetween(from, to));
	}

	@Test
	void aYearsNumbersAreBornInThatYear() {
		for (int i = 0; i < 200; i++) {
			assertThat(IdNumber.check(TestIdNumbers.bornIn(2016), TODAY).birthDate().getYear()).isEqualTo(2016);
		}
		LocalDate thisYear = IdNumber.check(TestIdNumbers.bornIn(LocalDate.now().getYear()), null).birthDate();
		assertThat(thisYear).isBefore(LocalDate.now());
	}

	@Test
	void phoneNumbersAreValidMobilesNeverTwice() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			String phone = TestPhoneNumbers.next();
			assertThat(seen.add(phone)).as("issued twice: %s", phone).isTrue();
			assertThat(phone).startsWith(TestPhoneNumbers.PREFIX);
			if (i % 97 == 0) {
				assertThat(PhoneNumber.parse(phone)).contains(new PhoneNumber(phone, true));
			}
		}
	}

	/**
	 * A fixed number in a test, roster file or the demo can never equal an issued one:
	 * none has the helpers' region or phone prefix.
	 */
	@Test
	void noFixedNumberInTheSourcesSharesTheIssuedRanges() throws IOException {
		// a number, or the start of one built by concatenation; not a date such as
		// "19700101"
		Pattern issued = Pattern.compile("\"" + TestIdNumbers.REGION + "|(?<!\\d)" + TestIdNumbers.REGION
				+ "\\d{11}[\\dXx]|\"" + TestPhoneNumbers.PREFIX + "\\d{0,6}\"\\s*\\+|(?<!\\d)" + TestPhoneNumbers.PREFIX
				+ "\\d{7}(?!\\d)");
		Set<String> homes = Set.of("TestIdNumbers.java", "TestPhoneNumbers.java", "TestIdNumbersTest.java");
		List<String> offenders = new ArrayList<>();
		int scanned = 0;
		try (Stream<Path> files = Files.walk(Path.of("src"))) {
			for (Path file : files.filter(Files::isRegularFile)
				.filter(f -> f.toString().matches(".*\\.(java|csv|sql|properties|html|js|json|txt)$"))
				.filter(f -> !homes.contains(f.getFileName().toString()))
				.toList()) {
				String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
				scanned++;
				if (issued.matcher(text).find()) {
					offenders.add(file.toString());
				}
			}
		}
		assertThat(scanned).as("source files read").isGreaterThan(500);
		assertThat(offenders).isEmpty();
	}

}
