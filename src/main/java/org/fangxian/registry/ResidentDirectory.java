package org.fangxian.registry;

import java.util.Optional;

import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.IdType;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Lookups for other modules that must identify a person (a gate scan, a sampling point) without
 * showing personal data; the caller is responsible for scoping and auditing its own use.
 */
@Service
public class ResidentDirectory {

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	ResidentDirectory(JdbcClient jdbc, PersonalDataProtection protection) {
		this.jdbc = jdbc;
		this.protection = protection;
	}

	/** What other modules may know of a resident: where they live and whether they live here now. */
	public record ResidentSnapshot(long id, String name, String path, long nodeId, Long householdId, ResidentStatus status,
			String maskedId) {

		/** The name with all but the first character hidden ("王**"), for a guard's screen. */
		public String maskedName() {
			return this.name.isEmpty() ? "" : this.name.charAt(0) + "*".repeat(Math.max(1, this.name.length() - 1));
		}

	}

	private static final String SELECT = "select id, name, path, node_id, household_id, status, id_masked as masked_id from resident ";

	public Optional<ResidentSnapshot> byId(long residentId) {
		return this.jdbc.sql(SELECT + "where id = :id").param("id", residentId).query(ResidentSnapshot.class).optional();
	}

	/** By a normalized 18-character resident ID number. */
	public Optional<ResidentSnapshot> byIdNumber(String normalizedIdNumber) {
		return this.jdbc.sql(SELECT + "where id_hash = :hash")
			.param("hash", this.protection.lookupHash(IdType.RESIDENT_ID.name() + ":" + normalizedIdNumber))
			.query(ResidentSnapshot.class)
			.optional();
	}

}
