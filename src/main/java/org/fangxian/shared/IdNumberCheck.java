package org.fangxian.shared;

import java.time.LocalDate;

/**
 * Outcome of {@link IdNumber#check(String, LocalDate)}.
 *
 * @param valid whether the number is a valid mainland resident ID number
 * @param normalized the 18-character form (upper-case {@code X}, 15-digit numbers
 * upgraded); {@code null} when invalid
 * @param birthDate the encoded birth date; {@code null} when invalid
 * @param sex the encoded sex; {@code null} when invalid
 * @param reason {@code null} when valid, otherwise a message key such as
 * {@code id.checksum}
 */
public record IdNumberCheck(boolean valid, String normalized, LocalDate birthDate, Sex sex, String reason) {

	static IdNumberCheck valid(String normalized, LocalDate birthDate, Sex sex) {
		return new IdNumberCheck(true, normalized, birthDate, sex, null);
	}

	static IdNumberCheck invalid(String reason) {
		return new IdNumberCheck(false, null, null, null, reason);
	}
}
