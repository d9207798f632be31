package org.fangxian.bench;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdType;
import org.fangxian.shared.PhoneNumber;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A benchmark district written with set-based SQL (the roster import, ~4,000 rows/s, is
 * measured on its own in {@link RegistryBenchmark}): 20 streets × 10 communities × 5
 * buildings × 1 unit, the residents spread evenly over the 1,000 units, 2 households per
 * 5 residents, one gate (checkpoint) per community. With {@code searchable} the residents
 * get what the registry's searches read: Chinese names from the roster generator's lists,
 * an address, distinct 32-byte ID and phone hashes, AES-sized ciphers, a phone-tail hash
 * keyed like the application's and a household; a few {@link Probe}s carry real ID
 * numbers and phones hashed with the application's key, so searches and gate scans find
 * them. Without it (the dashboard's figures need none of that) the rows are as thin as
 * before.
 */
final class BenchDistrict {

	/** A resident whose ID number and phone are stored with the application's keys. */
	record Probe(long residentId, long unitId, String idNumber, String phone) {
	}

	record Built(TestData.NodeRef node, String path, long residents, List<Probe> probes) {

		String pattern() {
			return this.path + "%";
		}

	}

	private static int probeSerial;

	private BenchDistrict() {
	}

	/**
	 * Builds the district's tree, households, residents and gates.
	 * @param protection the application's keys, for the phone tails and the probes (null
	 * when not {@code searchable})
	 */
	static Built build(JdbcClient jdbc, TestData data, String name, int residents, boolean searchable,
			PersonalDataProtection protection, int probes) {
		TestData.NodeRef district = data.node(null, "DISTRICT", IntegrationTest.uniqueCode(), name);
		jdbc.sql(
				"""
						insert into division_node (parent_id, kind, code, name)
						select :d, 'STREET', '98' || lpad((:base + s)::text, 10, '0'), '街道' || s from generate_series(1, 20) s""")
			.param("d", district.id())
			.param("base", (System.nanoTime() / 1000) % 9_000_000_000L)
			.update();
		jdbc.sql("""
				insert into division_node (parent_id, kind, code, name)
				select s.id, 'COMMUNITY', '97' || lpad((:base + row_number() over ())::text, 10, '0'),
				       x.pre[1 + (s.id + c) % array_length(x.pre, 1)] || x.suf[1 + c % array_length(x.suf, 1)]
				from division_node s cross join generate_series(1, 10) c
				cross join (select string_to_array(:prefixes, ',') as pre, string_to_array(:suffixes, ',') as suf) x
				where s.parent_id = :d""")
			.param("d", district.id())
			.param("base", (System.nanoTime() / 1000) % 9_000_000_000L)
			.param("prefixes", String.join(",", RosterCsvGenerator.COMPOUND_PREFIXES))
			.param("suffixes", String.join(",", RosterCsvGenerator.COMPOUND_SUFFIXES))
			.update();
		String path = district.path();
		jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select c.id, 'BUILDING', b || '栋' from division_node c cross join generate_series(1, 5) b
				where c.kind = 'COMMUNITY' and c.path like :p""").param("p", path + "%").update();
		jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select b.id, 'UNIT', '1单元' from division_node b where b.kind = 'BUILDING' and b.path like :p""")
			.param("p", path + "%")
			.update();
		int perUnit = residents / 1000;
		if (!searchable) {
			jdbc.sql(
					"""
							insert into resident (node_id, path, name, id_type, status)
							select u.id, '', '居民', 'RESIDENT_ID_CARD', case when i % 50 = 0 then 'AWAY' else 'RESIDENT' end
							from division_node u cross join generate_series(1, :n) i where u.kind = 'UNIT' and u.path like :p""")
				.param("n", perUnit)
				.param("p", path + "%")
				.update();
		}
		else {
			searchableResidents(jdbc, path, perUnit, protection);
		}
		jdbc.sql("""
				insert into checkpoint (node_id, path, name) select c.id, '', '东门' from division_node c
				where c.kind = 'COMMUNITY' and c.path like :p""").param("p", path + "%").update();
		List<Probe> list = searchable ? probes(jdbc, path, probes, protection) : List.of();
		return new Built(district, path, (long) perUnit * 1000, list);
	}

	/**
	 * Households first, in one ordered statement, so a unit's households have consecutive
	 * ids (one session, the sequence's cache of 1) and a resident finds its own by
	 * arithmetic instead of a join.
	 */
	private static void searchableResidents(JdbcClient jdbc, String path, int perUnit,
			PersonalDataProtection protection) {
		ensurePhoneTails(jdbc, protection);
		int perUnitHouseholds = Math.max(1, perUnit * 2 / 5);
		long firstHousehold = jdbc.sql("select coalesce(max(id), 0) + 1 from household").query(Long.class).single();
		jdbc.sql("""
				insert into household (node_id, path, room, address)
				select u.id, u.path, lpad(i::text, 4, '0'), '住址' from
				  (select id, path from division_node where kind = 'UNIT' and path like :p order by id) u
				  cross join generate_series(1, :n) i
				order by u.id, i""").param("n", perUnitHouseholds).param("p", path + "%").update();
		long households = jdbc.sql("select count(*) from household where id >= :f and path like :p")
			.param("f", firstHousehold)
			.param("p", path + "%")
			.query(Long.class)
			.single();
		if (households != 1000L * perUnitHouseholds) {
			throw new IllegalStateException("households not where expected: " + households);
		}
		jdbc.sql(
				"""
						insert into resident (node_id, household_id, path, name, id_type, id_cipher, id_hash, id_masked,
						    phone_cipher, phone_hash, phone_tail_hash, phone_masked, birth_date, sex, relation, status, address)
						select u.id, :h + u.rank * :hu + (i % :hu), '',
						       substr(:surnames, 1 + ((hashint8(g) & 2147483647) % length(:surnames)), 1)
						         || substr(:given, 1 + ((hashint8(g + 1) & 2147483647) % length(:given)), 1)
						         || case when (hashint8(g + 2) & 2147483647) % 100 < 72 then substr(:given, 1 + ((hashint8(g + 3) & 2147483647) % length(:given)), 1) else '' end,
						       'RESIDENT_ID', substring(sha512(k) from 1 for 47), sha256(k), '2301**********' || lpad((g % 10000)::text, 4, '0'),
						       substring(sha512(k || '\\x01'::bytea) from 1 for 40), sha256(k || '\\x01'::bytea), t.hash,
						       '138****' || lpad((g % 10000)::text, 4, '0'), date '1940-01-01' + (g % 29000)::int,
						       case when g % 2 = 0 then 'MALE' else 'FEMALE' end,
						       (array['HEAD', 'SPOUSE', 'CHILD', 'CHILD', 'PARENT'])[1 + g % 5],
						       case when g % 50 = 0 then 'AWAY' when g % 20 = 0 then 'RENTING' else 'RESIDENT' end,
						       u.address || lpad(((i % 18) + 1)::text, 2, '0') || '0' || (1 + i % 4) || '室'
						from (select n.id, c.name || b.name || n.name as address, row_number() over (order by n.id) - 1 as rank
						      from division_node n join division_node b on b.id = n.parent_id join division_node c on c.id = b.parent_id
						      where n.kind = 'UNIT' and n.path like :p) u
						cross join generate_series(1, :n) i
						cross join lateral (select u.rank * :n + i + :salt as g) s
						cross join lateral (select convert_to(:tag || s.g, 'UTF8') as k) kk
						join bench_phone_tail t on t.tail = s.g % 10000""")
			.param("h", firstHousehold)
			.param("hu", perUnitHouseholds)
			.param("n", perUnit)
			.param("p", path + "%")
			.param("surnames", String.join("", RosterCsvGenerator.SURNAMES))
			.param("given", RosterCsvGenerator.GIVEN_MALE + RosterCsvGenerator.GIVEN_FEMALE)
			.param("salt", firstHousehold * 7)
			.param("tag", path)
			.update();
	}

	/**
	 * The 10,000 phone-tail hashes, keyed like {@code PhoneTails} does, so the tail index
	 * is as selective as the real one.
	 */
	private static void ensurePhoneTails(JdbcClient jdbc, PersonalDataProtection protection) {
		jdbc.sql("create table if not exists bench_phone_tail (tail int primary key, hash bytea not null)").update();
		if (jdbc.sql("select count(*) from bench_phone_tail").query(Long.class).single() == 10_000) {
			return;
		}
		for (int tail = 0; tail < 10_000; tail++) {
			jdbc.sql("insert into bench_phone_tail values (:t, :h) on conflict do nothing")
				.param("t", tail)
				.param("h", protection.lookupHash("PHONE_TAIL:" + String.format("%04d", tail)))
				.update();
		}
	}

	/**
	 * Gives {@code count} residents spread over the district a real ID number and mobile,
	 * hashed with the application's key.
	 */
	private static List<Probe> probes(JdbcClient jdbc, String path, int count, PersonalDataProtection protection) {
		List<long[]> picked = jdbc.sql("""
				select id, node_id from resident where path like :p and status <> 'AWAY'
				order by hashint8(id) limit :n""")
			.param("p", path + "%")
			.param("n", count)
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.list();
		List<Probe> probes = new ArrayList<>();
		for (long[] row : picked) {
			int serial = ++probeSerial;
			// Born on distinct days after 1950-01-01: unique ID numbers with a valid
			// check
			// character; the phones are unique too.
			LocalDate birth = LocalDate.of(1950, 1, 1).plusDays(serial);
			String first17 = "230102" + birth.toString().replace("-", "") + "001";
			String idNumber = first17 + IdNumber.checkChar(first17);
			String phone = PhoneNumber.parse("139" + String.format("%08d", serial)).orElseThrow().value();
			jdbc.sql("""
					update resident set id_hash = :ih, phone_hash = :ph, phone_tail_hash = :th where id = :id""")
				.param("ih", protection.lookupHash(IdType.RESIDENT_ID.name() + ":" + idNumber))
				.param("ph", protection.lookupHash(phone))
				.param("th", protection.lookupHash("PHONE_TAIL:" + phone.substring(phone.length() - 4)))
				.param("id", row[0])
				.update();
			probes.add(new Probe(row[0], row[1], idNumber, phone));
		}
		return probes;
	}

	/**
	 * {@code count} gate scans at the district's gates spread evenly over the
	 * {@code seconds} before {@code now}, bulk-loaded with the counting trigger off, and
	 * their day counters rebuilt by one aggregate (as migration V40 does).
	 */
	static void scans(JdbcClient jdbc, String path, long count, Instant now, long seconds) {
		jdbc.sql("alter table gate_scan disable trigger gate_scan_counted").update();
		try {
			jdbc.sql(
					"""
							insert into gate_scan (checkpoint_id, idempotency_key, scanned_at, direction, method, decision, reason, account_id)
							select k.ids[1 + (i % array_length(k.ids, 1))], :tag || i, cast(:now as timestamptz) - (i % :seconds) * interval '1 second',
							       case when i % 2 = 0 then 'IN' else 'OUT' end, 'QR',
							       case when i % 97 = 0 then 'DENY' else 'ALLOW' end,
							       case when i % 97 = 0 then (case when i % 3 = 0 then 'gate.deny.fever' else 'gate.deny.sealed' end) else 'gate.allow' end, 0
							from (select array_agg(id order by id) as ids from checkpoint where path like :p) k, generate_series(1, :n) i""")
				.param("now", Timestamp.from(now))
				.param("p", path + "%")
				.param("n", count)
				.param("seconds", seconds)
				.param("tag", "b" + Long.toString(System.nanoTime(), 36) + "-")
				.update();
		}
		finally {
			jdbc.sql("alter table gate_scan enable trigger gate_scan_counted").update();
		}
		jdbc.sql("""
				insert into gate_day_count (checkpoint_id, day, path, allowed_in, allowed_out, denied, fever)
				select s.checkpoint_id, (s.scanned_at at time zone 'Asia/Shanghai')::date, min(k.path),
				       count(*) filter (where decision = 'ALLOW' and direction = 'IN'),
				       count(*) filter (where decision = 'ALLOW' and direction = 'OUT'),
				       count(*) filter (where decision = 'DENY'), count(*) filter (where reason = 'gate.deny.fever')
				from gate_scan s join checkpoint k on k.id = s.checkpoint_id where k.path like :p group by 1, 2""")
			.param("p", path + "%")
			.update();
	}

}
