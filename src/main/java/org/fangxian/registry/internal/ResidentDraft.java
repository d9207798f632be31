package org.fangxian.registry.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.fangxian.registry.Relation;
import org.fangxian.registry.ResidentStatus;
import org.fangxian.registry.ResidentTag;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.IdType;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PhoneNumber;
import org.fangxian.shared.Sex;

/**
 * A resident's details after validation and normalisation, from a form or a roster row.
 *
 * @param idNumber normalized (18-char for resident IDs), or null when the roster has none
 */
public record ResidentDraft(String name, IdType idType, String idNumber, LocalDate birthDate, Sex sex, String phone,
		Relation relation, List<String> tags, ResidentStatus status, String note) {

	/** Compiled once: every roster row's name goes through it. */
	private static final Pattern SPACE_BETWEEN_HAN = Pattern.compile("(?<=\\p{IsHan}) +(?=\\p{IsHan})");

	/**
	 * Validates raw text as people type it; throws {@link InvalidInput} naming the first
	 * bad field.
	 */
	public static ResidentDraft of(String rawName, String rawIdType, String rawIdNumber, String rawPhone,
			String rawRelation, String rawTags, String rawStatus, String rawNote, LocalDate today) {
		// "王 磊" and "王磊" are one person: spaces between Chinese characters are typing
		// noise.
		String name = SPACE_BETWEEN_HAN.matcher(FullWidth.clean(rawName)).replaceAll("");
		if (name.isEmpty()) {
			throw new InvalidInput("name", "resident.name.blank");
		}
		if (name.length() > 50) {
			throw new InvalidInput("name", "resident.name.tooLong");
		}
		IdType idType = IdType.RESIDENT_ID;
		String typeText = FullWidth.clean(rawIdType);
		if (!typeText.isEmpty()) {
			idType = IdType.fromLabel(typeText)
				.orElseThrow(() -> new InvalidInput("idType", "resident.idType.unknown", typeText));
		}
		String idText = FullWidth.clean(rawIdNumber);
		String idNumber = null;
		LocalDate birthDate = null;
		Sex sex = null;
		if (!idText.isEmpty()) {
			if (idType == IdType.RESIDENT_ID) {
				IdNumberCheck check = IdNumber.check(idText, today);
				if (!check.valid()) {
					// Excel keeps 15 significant digits: a number-formatted ID column
					// ends in zeros.
					boolean rounded = IdNumber.CHECKSUM.equals(check.reason()) && idText.matches("\\d{15}0{3}");
					throw new InvalidInput("idNumber", rounded ? "id.rounded" : check.reason());
				}
				idNumber = check.normalized();
				birthDate = check.birthDate();
				sex = check.sex();
			}
			else {
				idNumber = IdType.normalizeOther(idText)
					.orElseThrow(() -> new InvalidInput("idNumber", "resident.idNumber.otherInvalid"));
			}
		}
		String phone = null;
		String phoneText = FullWidth.clean(rawPhone);
		if (!phoneText.isEmpty()) {
			phone = PhoneNumber.parse(phoneText)
				.map(PhoneNumber::value)
				.orElseThrow(() -> new InvalidInput("phone", "resident.phone.invalid", phoneText));
		}
		String statusText = FullWidth.clean(rawStatus);
		ResidentStatus status = ResidentStatus.fromLabel(statusText)
			.orElseThrow(() -> new InvalidInput("status", "resident.status.unknown", statusText));
		String note = FullWidth.clean(rawNote);
		if (note.length() > 500) {
			note = note.substring(0, 500);
		}
		return new ResidentDraft(name, idType, idNumber, birthDate, sex, phone,
				Relation.fromLabel(FullWidth.clean(rawRelation)), ResidentTag.parse(FullWidth.clean(rawTags)), status,
				note.isEmpty() ? null : note);
	}

	/**
	 * The text hashed for lookups: the type is included so a passport never matches an ID
	 * number.
	 */
	public String idLookupKey() {
		return this.idNumber == null ? null : this.idType.name() + ":" + this.idNumber;
	}

	public String maskedId() {
		if (this.idNumber == null) {
			return null;
		}
		return this.idType == IdType.RESIDENT_ID ? new IdNumber(this.idNumber).masked() : IdNumber.mask(this.idNumber);
	}

	public String maskedPhone() {
		return this.phone == null ? null : PhoneNumber.parse(this.phone).map(PhoneNumber::masked).orElse(null);
	}

	/**
	 * Whether the stored record already says what this draft says (so re-importing
	 * changes nothing).
	 */
	boolean sameAs(ResidentRecords.Stored stored, byte[] phoneHash, long nodeId, Long householdId) {
		return this.name.equals(stored.name()) && java.util.Arrays.equals(phoneHash, stored.phoneHash())
				&& nodeId == stored.nodeId() && Objects.equals(householdId, stored.householdId())
				&& this.relation.name().equals(stored.relation()) && this.tags.equals(stored.tags())
				&& this.status.name().equals(stored.status()) && Objects.equals(this.note, stored.note());
	}

}
