package org.fangxian.registry;

import java.time.LocalDate;
import java.util.List;

/**
 * A resident as shown to a user: ID number and phone masked unless this view was an
 * audited reveal.
 */
public record ResidentView(long id, long nodeId, Long householdId, String name, String idType, String idNumber,
		String phone, boolean revealed, LocalDate birthDate, String sex, Relation relation, List<String> tags,
		ResidentStatus status, String address, String note) {
}
