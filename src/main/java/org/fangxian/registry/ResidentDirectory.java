package org.fangxian.registry;

import java.util.List;
import java.util.Optional;

import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.IdType;
import org.fangxian.shared.PersonNames;
import org.fangxian.shared.PhoneNumber;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Lookups for other modules that must identify a person (a gate scan, a sampling point)
 * without showing personal data; the caller is responsible for scoping and auditing its
 * own use.
 */
@Service
public class ResidentDirectory {

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	ResidentDirectory(JdbcClient jdbc, PersonalDataProtection protection) {
		this.jdbc = jdbc;
		this.protection = protection;
	}

	/**
	 * What other modules may know of a resident: where they live and whether they live
	 * here now.
	 */
	public record ResidentSnapshot(long id, String name, String path, long nodeId, Long householdId,
			ResidentStatus status, String maskedId) {

		/**
		 * The name with all but the first character hidden ("王**"), for a guard's screen.
		 */
		public String maskedName() {
			return PersonNames.initial(this.name);
		}

	}

	private static final String SELECT = "select id, name, path, node_id, household_id, status, id_masked as masked_id from resident ";

	public Optional<ResidentSnapshot> byId(long residentId) {
		return this.jdbc.sql(SELECT + "where id = :id")
			.param("id", residentId)
			.query(ResidentSnapshot.class)
			.optional();
	}

	/** By a normalized 18-character resident ID number. */
	public Optional<ResidentSnapshot> byIdNumber(String normalizedIdNumber) {
		return this.jdbc.sql(SELECT + "where id_hash = :hash")
			.param("hash", this.protection.lookupHash(IdType.RESIDENT_ID.name() + ":" + normalizedIdNumber))
			.query(ResidentSnapshot.class)
			.optional();
	}

	/**
	 * A resident's snapshot and identity as a subquery of another module's one-statement
	 * read (the gate's scan, issue 17), with the parameters it binds. Its columns: those
	 * of {@link ResidentSnapshot} (id, name, path, node_id, household_id, status,
	 * masked_id) and of {@link Identity} (sex, birth_year, room, place); read a row with
	 * {@link #snapshot} and {@link #identity}.
	 */
	public record Row(String sql, java.util.Map<String, Object> params) {
	}

	private static final String ROW = """
			select r.id, r.name, r.path, r.node_id, r.household_id, r.status, r.id_masked as masked_id, r.sex,
			       extract(year from r.birth_date)::int as birth_year, h.room,
			       (select string_agg(n.name, ' ' order by length(n.path)) from division_node n
			        where n.id = any(string_to_array(trim(both '/' from r.path), '/')::bigint[])
			          and n.kind in ('BUILDING', 'UNIT')) as place
			from resident r left join household h on h.id = r.household_id
			""";

	/**
	 * @param residentId SQL expression for the resident's id (a column of the enclosing
	 * statement)
	 */
	public Row rowById(String residentId) {
		return new Row(ROW + "where r.id = " + residentId, java.util.Map.of());
	}

	/** By a normalized 18-character resident ID number. */
	public Row rowByIdNumber(String normalizedIdNumber) {
		return new Row(rowByIdHash(":residentIdHash").sql(),
				java.util.Map.of("residentIdHash", idNumberHash(normalizedIdNumber)));
	}

	/**
	 * By the lookup hash of a resident ID number ({@link #idNumberHash}), for statements
	 * that look up several at once.
	 * @param hash SQL expression for the hash (bytea)
	 */
	public Row rowByIdHash(String hash) {
		return new Row(ROW + "where r.id_hash = " + hash, java.util.Map.of());
	}

	/** The lookup hash {@link #rowByIdHash} finds a normalized resident ID number by. */
	public byte[] idNumberHash(String normalizedIdNumber) {
		return this.protection.lookupHash(IdType.RESIDENT_ID.name() + ":" + normalizedIdNumber);
	}

	/** The snapshot of a {@link Row}'s row, empty when the row names no resident. */
	public static Optional<ResidentSnapshot> snapshot(java.sql.ResultSet rs) throws java.sql.SQLException {
		Long id = rs.getObject("id", Long.class);
		if (id == null) {
			return Optional.empty();
		}
		return Optional.of(new ResidentSnapshot(id, rs.getString("name"), rs.getString("path"), rs.getLong("node_id"),
				rs.getObject("household_id", Long.class), ResidentStatus.valueOf(rs.getString("status")),
				rs.getString("masked_id")));
	}

	/** The identity of a {@link Row}'s row (its id not null). */
	public static Identity identity(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new Identity(rs.getLong("id"), rs.getString("name"), rs.getString("sex"),
				rs.getObject("birth_year", Integer.class), rs.getString("place"), rs.getString("room"));
	}

	/**
	 * The resident's tags as stored (enum names of {@link ResidentTag}, or the roster's
	 * own words such as "慢性病"), for rules that give some people priority (a supply
	 * request's urgency).
	 */
	public List<String> tags(long residentId) {
		return this.jdbc.sql("select tags from resident where id = :id")
			.param("id", residentId)
			.query((rs, n) -> List.of((String[]) rs.getArray(1).getArray()))
			.optional()
			.orElse(List.of());
	}

	/** A person living within a subtree who can be reached by phone. */
	public record Contact(long residentId, Long householdId, String path, PhoneNumber phone) {
	}

	/**
	 * Everyone living (not away, moved out or deceased) within the subtree at
	 * {@code path} who has a phone, for notices such as "your building is sealed"; the
	 * caller checks permission and scope.
	 */
	public List<Contact> contactsWithin(String path) {
		return this.jdbc.sql("""
				select id, household_id, path, phone_cipher from resident
				where district_id = any(districts_under(:path)) and path like :prefix
				  and resident_lives_here(status) and phone_cipher is not null
				order by id""")
			.param("path", path)
			.param("prefix", path + "%")
			.query((rs, n) -> new Contact(rs.getLong(1), rs.getObject(2, Long.class), rs.getString(3),
					PhoneNumber.parse(this.protection.decrypt(rs.getBytes(4))).orElse(null)))
			.list()
			.stream()
			.filter(c -> c.phone() != null)
			.toList();
	}

	/** The resident's phone, when there is one. */
	public Optional<Contact> contact(long residentId) {
		return this.jdbc.sql(
				"select id, household_id, path, phone_cipher from resident where id = :id and phone_cipher is not null")
			.param("id", residentId)
			.query((rs, n) -> new Contact(rs.getLong(1), rs.getObject(2, Long.class), rs.getString(3),
					PhoneNumber.parse(this.protection.decrypt(rs.getBytes(4))).orElse(null)))
			.optional()
			.filter(c -> c.phone() != null);
	}

	/**
	 * How many people live (not away, moved out or deceased) within the subtree at
	 * {@code path}: a sum over the read model of living residents per node (V107), kept
	 * by every write to {@code resident}, not a count over the residents themselves.
	 */
	public long countLivingWithin(String path) {
		return this.jdbc
			.sql("select coalesce(sum(living), 0) from resident_living_count where path ~>=~ :path and path ~<~ :end")
			.param("path", path)
			.param("end", Node.subtreeEnd(path))
			.query(Long.class)
			.single();
	}

	/**
	 * {@link #countLivingWithin(String)} for many subtrees in one statement (a district's
	 * 1,000 sealed buildings); paths hold only digits and slashes, so they travel as one
	 * comma-joined text.
	 */
	public java.util.Map<String, Long> countLivingWithin(java.util.Collection<String> paths) {
		java.util.Map<String, Long> counts = new java.util.HashMap<>();
		if (paths.isEmpty()) {
			return counts;
		}
		this.jdbc.sql("""
				select p.path, (select coalesce(sum(c.living), 0) from resident_living_count c
				                  where c.path ~>=~ p.path and c.path ~<~ (left(p.path, -1) || '0')) as living
				from unnest(string_to_array(:paths, ',')) as p(path)""")
			.param("paths", String.join(",", paths))
			.query((java.sql.ResultSet rs) -> {
				counts.put(rs.getString("path"), rs.getLong("living"));
			});
		return counts;
	}

	/**
	 * The members of a household who have not moved out or died; those away are included,
	 * as they come back through the gate with the same pass.
	 */
	public List<ResidentSnapshot> householdMembers(long householdId) {
		return this.jdbc.sql(SELECT + "where household_id = :household and resident_is_present(status) order by id")
			.param("household", householdId)
			.query(ResidentSnapshot.class)
			.list();
	}

	/**
	 * Phones of a household's members who have not moved out or died and are not known to
	 * be minors on {@code today} (no birth date on record counts as an adult), for texts
	 * meant for the family.
	 */
	public List<Contact> adultContactsOfHousehold(long householdId, java.time.LocalDate today) {
		return this.jdbc.sql("""
				select id, household_id, path, phone_cipher from resident
				where household_id = :household and resident_is_present(status) and phone_cipher is not null
				  and (birth_date is null or birth_date <= :adultBornBy)
				order by id""")
			.param("household", householdId)
			.param("adultBornBy", java.sql.Date.valueOf(today.minusYears(18)))
			.query((rs, n) -> new Contact(rs.getLong(1), rs.getObject(2, Long.class), rs.getString(3),
					PhoneNumber.parse(this.protection.decrypt(rs.getBytes(4))).orElse(null)))
			.list()
			.stream()
			.filter(c -> c.phone() != null)
			.toList();
	}

	/** The living members of a household. */
	public List<ResidentSnapshot> household(long householdId) {
		return this.jdbc.sql(SELECT + "where household_id = :household and resident_lives_here(status) order by id")
			.param("household", householdId)
			.query(ResidentSnapshot.class)
			.list();
	}

	/**
	 * Someone living in the same building as a resident; {@code sameUnit}: in the same
	 * unit (楼组) too.
	 */
	public record Neighbour(long residentId, boolean sameUnit) {
	}

	/**
	 * The living neighbours of a resident placed in a unit or a building: everyone else
	 * of the building (the unit's parent), marked when of the same unit. A resident
	 * placed higher up (a compound, a community) has no building to share, so none. For
	 * flow tracing: the caller checks scope and audits.
	 */
	public List<Neighbour> neighbours(long residentId) {
		record Place(long nodeId, String kind, String path, String parentPath) {
		}
		Optional<Place> place = this.jdbc.sql("""
				select r.node_id, n.kind, n.path, p.path as parent_path
				from resident r join division_node n on n.id = r.node_id left join division_node p on p.id = n.parent_id
				where r.id = :id""").param("id", residentId).query(Place.class).optional();
		if (place.isEmpty() || !List.of("UNIT", "BUILDING").contains(place.get().kind())) {
			return List.of();
		}
		String building = place.get().kind().equals("UNIT") ? place.get().parentPath() : place.get().path();
		// A byte range rather than like: a prepared statement's generic plan can use the
		// path index for it (led by the district, V123).
		return this.jdbc
			.sql("""
					select id, node_id = :node as same_unit from resident
					where district_id = district_of(:from) and resident.path ~>=~ :from and resident.path ~<~ :to and id <> :id and status in ('RESIDENT', 'RENTING')
					order by id""")
			.param("node", place.get().nodeId())
			.param("from", building)
			.param("to", Node.subtreeEnd(building))
			.param("id", residentId)
			.query((rs, n) -> new Neighbour(rs.getLong("id"), rs.getBoolean("same_unit")))
			.list();
	}

	/**
	 * How many residents appear on a list of people (a tracing list): name, masked
	 * numbers, address. The caller masks the name where needed, checks scope and audits;
	 * ids not found are left out.
	 */
	public record Listing(long id, String name, String path, Long householdId, String idMasked, String phoneMasked,
			String address, ResidentStatus status) {
	}

	public List<Listing> listings(java.util.Collection<Long> residentIds) {
		if (residentIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				select r.id, r.name, r.path, r.household_id, r.id_masked, r.phone_masked,
				       coalesce(h.address, r.address, '') as address, r.status
				from resident r left join household h on h.id = r.household_id where r.id = any(:ids)""")
			.param("ids", residentIds.toArray(Long[]::new))
			.query((rs, n) -> new Listing(rs.getLong("id"), rs.getString("name"), rs.getString("path"),
					rs.getObject("household_id", Long.class), rs.getString("id_masked"), rs.getString("phone_masked"),
					rs.getString("address"), ResidentStatus.valueOf(rs.getString("status"))))
			.list();
	}

	/**
	 * What a guard or a printed card needs to tell one resident from another: the name
	 * (the caller masks it), sex, birth year, and where they live as building, unit and
	 * door ("3栋 2单元 1001"), so two units' door 1001 never read alike.
	 *
	 * @param sex {@code MALE}, {@code FEMALE} or null when not recorded
	 * @param place building and unit names of the resident's node, in tree order
	 * @param room the household's door, or null
	 */
	public record Identity(long id, String name, String sex, Integer birthYear, String place, String room) {

		/** Building, unit and door in one line. */
		public String address() {
			String door = this.room == null ? "" : this.room;
			return (this.place == null || this.place.isEmpty()) ? door
					: door.isEmpty() ? this.place : this.place + " " + door;
		}

	}

	/** Identities of these residents in one statement; ids not found are left out. */
	public List<Identity> identities(java.util.Collection<Long> residentIds) {
		if (residentIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				select r.id, r.name, r.sex, extract(year from r.birth_date)::int as birth_year, h.room,
				       (select string_agg(n.name, ' ' order by length(n.path)) from division_node n
				        where n.id = any(string_to_array(trim(both '/' from r.path), '/')::bigint[])
				          and n.kind in ('BUILDING', 'UNIT')) as place
				from resident r left join household h on h.id = r.household_id where r.id = any(:ids)""")
			.param("ids", residentIds.toArray(Long[]::new))
			.query((rs, n) -> new Identity(rs.getLong("id"), rs.getString("name"), rs.getString("sex"),
					rs.getObject("birth_year", Integer.class), rs.getString("place"), rs.getString("room")))
			.list();
	}

}
