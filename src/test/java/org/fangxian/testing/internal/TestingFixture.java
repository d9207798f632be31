package org.fangxian.testing.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;

/**
 * A hand-checked community for testing rounds: community A1 of a fresh tree, with <pre>
 * 1栋 1单元  r1 王一 常住 · r2 王二 常住 · r3 李三 常住, 卧床 (home sampling) · r4 李四 外出 (exempt)
 * 1栋 2单元  r5 张五 租住 · r6 张六 born a year ago (exempt, under 3) · r7 赵七 迁出 (not in any round) · r8 赵八 常住
 * 2栋 1单元  r9 孙九 常住 · r10 孙十 常住, no phone
 * </pre> and one resident of the sibling community A2 (r11 周十一), in the street's rounds
 * but not A1's. A round over A1 covers 9 people: 2 exempt (r4, r6), 7 expected.
 */
class TestingFixture {

	final TestData.Tree tree;

	final CurrentUser worker;

	final CurrentUser street;

	final long building1;

	final long unit11;

	final long unit12;

	final long unit21;

	/** r1..r11 → resident id. */
	final Map<String, Long> ids = new LinkedHashMap<>();

	/** r1..r11 → ID number. */
	final Map<String, String> idNumbers = new LinkedHashMap<>();

	/** r1..r11 → phone (null for r10). */
	final Map<String, String> phones = new LinkedHashMap<>();

	private final Random random = new Random();

	TestingFixture(TestData data, ResidentService residents) {
		this.tree = data.tree();
		this.worker = data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.street = data.user(Role.STREET_ADMIN, this.tree.streetA());
		long compound = data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		this.building1 = data.node(compound, "BUILDING", null, "1栋").id();
		long building2 = data.node(compound, "BUILDING", null, "2栋").id();
		this.unit11 = data.node(this.building1, "UNIT", null, "1单元").id();
		this.unit12 = data.node(this.building1, "UNIT", null, "2单元").id();
		this.unit21 = data.node(building2, "UNIT", null, "1单元").id();
		LocalDate adult = LocalDate.of(1950, 1, 1);
		add(residents, "r1", "王一", this.unit11, "101", adult, "常住", null, true);
		add(residents, "r2", "王二", this.unit11, "101", adult, "常住", null, true);
		add(residents, "r3", "李三", this.unit11, "102", adult, "常住", "卧床", true);
		add(residents, "r4", "李四", this.unit11, "102", adult, "外出", null, true);
		add(residents, "r5", "张五", this.unit12, "201", adult, "租住", null, true);
		add(residents, "r6", "张六", this.unit12, "201", LocalDate.now().minusYears(1), "常住", null, true);
		add(residents, "r7", "赵七", this.unit12, "202", adult, "迁出", null, true);
		add(residents, "r8", "赵八", this.unit12, "202", adult, "常住", null, true);
		add(residents, "r9", "孙九", this.unit21, "101", adult, "常住", null, true);
		add(residents, "r10", "孙十", this.unit21, "101", adult, "常住", null, false);
		CurrentUser neighbour = data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		add(residents, neighbour, "r11", "周十一", this.tree.communityA2().id(), "301", adult, "常住", null, true);
	}

	private void add(ResidentService residents, String key, String name, long node, String room, LocalDate bornAfter,
			String status, String tags, boolean phone) {
		add(residents, this.worker, key, name, node, room, bornAfter, status, tags, phone);
	}

	private void add(ResidentService residents, CurrentUser who, String key, String name, long node, String room,
			LocalDate bornAfter, String status, String tags, boolean phone) {
		String idNumber = idNumber(bornAfter);
		String mobile = phone ? "139" + String.format("%08d", this.random.nextInt(100_000_000)) : null;
		long id = residents.create(who,
				new ResidentService.ResidentForm(name, null, idNumber, mobile, node, room, "其他", tags, status, null));
		this.ids.put(key, id);
		this.idNumbers.put(key, idNumber);
		this.phones.put(key, mobile);
	}

	// born within 18,000 days after the given one and before yesterday
	private static String idNumber(LocalDate bornAfter) {
		LocalDate last = bornAfter.plusDays(17_999);
		LocalDate beforeYesterday = LocalDate.now().minusDays(2);
		return TestIdNumbers.bornBetween(bornAfter, last.isBefore(beforeYesterday) ? last : beforeYesterday);
	}

	long id(String key) {
		return this.ids.get(key);
	}

	/**
	 * A round over A1 running now, tubes of {@code pool}, started at the beginning of
	 * today in China Standard Time: one started an hour ago would begin yesterday between
	 * 00:00 and 01:00 CST, and its reminders would be a second day's batch.
	 */
	Round openRound(Rounds rounds, int pool) {
		Instant startOfToday = ChinaStandardTime.startOf(LocalDate.now(ChinaStandardTime.ZONE));
		return rounds.open(this.worker, new Rounds.NewRound(this.tree.communityA1().id(), null, "第1轮全员核酸", pool,
				startOfToday, Instant.now().plus(1, ChronoUnit.DAYS), false, false));
	}

	static Tubes.SampleRequest byId(String idNumber) {
		return new Tubes.SampleRequest(null, idNumber, null);
	}

	Tubes.SampleRequest person(String key) {
		return byId(this.idNumbers.get(key));
	}

}
