package org.fangxian.registry.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.AccountService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.security.SecretFiles;
import org.fangxian.shared.IdNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Started with {@code --demo} (or {@code fangxian.demo=true}), fills the real 哈尔滨市道里区共乐街道
 * with invented people, so a newcomer sees a living system: the official divisions of 道里区
 * and, in every community of 共乐街道, compounds, buildings, units, about 6,000 households
 * and 15,000 residents. The people go in as one CSV roster per community through
 * {@link RosterImport}, so the demo runs the same path as a real import. A fixed seed
 * gives every installation the same people.
 *
 * <p>
 * Once 共乐街道 holds any resident, nothing is loaded: restarting with {@code --demo} changes
 * nothing, and a street that imported real rosters never gets invented people mixed in.
 * (Each community is one transaction; should a first load stop half-way, start again with
 * an empty data folder.)
 */
@Component
@Order(10) // after FirstAdministrator (0): the import runs in the first administrator's
			// name
class DemoDistrict implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoDistrict.class);

	static final String DISTRICT_CODE = "230102";

	static final String STREET_CODE = "230102004000";

	static final String WORKER_COMMUNITY_CODE = "230102004001";

	static final int HOUSEHOLDS = 6_000;

	private static final long SEED = 230102004L;

	// Ages count from a fixed day, so the seed gives the same people (and ID numbers) on
	// any day.
	private static final LocalDate AS_OF = LocalDate.of(2025, 1, 1);

	private static final String HEADER = "姓名,身份证号,联系电话,小区,楼栋,单元,门牌号,与户主关系,人员类别,居住状态,备注";

	/**
	 * Compounds as they are named around 共乐街道; a community not listed gets "<name>小区".
	 */
	private static final Map<String, List<String>> COMPOUNDS = Map.ofEntries(
			Map.entry("230102004001", List.of("福乐湾小区", "共乐新苑", "福乐家园")),
			Map.entry("230102004002", List.of("民兴东苑", "大民兴小区")),
			Map.entry("230102004003", List.of("民兴花园", "兴华小区", "铁路小区")),
			Map.entry("230102004004", List.of("民兴西苑", "安发小区")), Map.entry("230102004005", List.of("民众小区", "众和家园")),
			Map.entry("230102004006", List.of("福同小区", "同乐花园", "电业小区")),
			Map.entry("230102004007", List.of("民庆小区", "庆丰家园")),
			Map.entry("230102004008", List.of("光华小区", "光华新苑", "建设小区")),
			Map.entry("230102004009", List.of("民桥小区", "桥北家园")),
			Map.entry("230102004010", List.of("民安家园", "民安街小区", "和平小区")),
			Map.entry("230102004012", List.of("民茂小区", "茂林苑")),
			Map.entry("230102004013", List.of("欧洲新城一期", "欧洲新城二期", "欧洲新城三期")));

	/**
	 * Share of high-rise towers among new buildings: the old streets are walk-ups, 欧洲新城
	 * is new.
	 */
	private static final Map<String, Double> TOWER_SHARE = Map.of("230102004001", 0.35, "230102004013", 0.75);

	private static final DemoAccount[] ACCOUNTS = {
			new DemoAccount("demo-street", "共乐街道管理员（演示）", Role.STREET_ADMIN, STREET_CODE),
			new DemoAccount("demo-worker", "福乐湾社区工作者（演示）", Role.COMMUNITY_WORKER, WORKER_COMMUNITY_CODE),
			new DemoAccount("demo-guard", "福乐湾卡点值守（演示）", Role.CHECKPOINT_GUARD, WORKER_COMMUNITY_CODE),
			new DemoAccount("demo-sampler", "共乐街道采样人员（演示）", Role.SAMPLER, STREET_CODE),
			new DemoAccount("demo-volunteer", "福乐湾志愿者（演示）", Role.VOLUNTEER, WORKER_COMMUNITY_CODE) };

	private final DivisionCatalog catalog;

	private final DivisionNodes nodes;

	private final RosterImport rosters;

	private final AccountService accounts;

	private final JdbcClient jdbc;

	private final boolean enabled;

	private final Environment environment;

	private final SecretFiles secrets;

	DemoDistrict(DivisionCatalog catalog, DivisionNodes nodes, RosterImport rosters, AccountService accounts,
			JdbcClient jdbc, @Value("${fangxian.demo:false}") boolean enabled, Environment environment,
			SecretFiles secrets) {
		this.secrets = secrets;
		this.catalog = catalog;
		this.nodes = nodes;
		this.rosters = rosters;
		this.accounts = accounts;
		this.jdbc = jdbc;
		this.enabled = enabled;
		this.environment = environment;
	}

	private record DemoAccount(String username, String displayName, Role role, String nodeCode) {
	}

	/**
	 * What a load did.
	 *
	 * @param imported communities filled now (0 when the demo was already there)
	 * @param households households of 共乐街道 after the load, residents likewise
	 * @param accounts demo accounts opened now
	 */
	record Summary(int imported, long households, long residents, int rejected, List<String> accounts, Duration took) {
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.enabled || args.containsOption("demo")) {
			load();
		}
	}

	Summary load() {
		long started = System.nanoTime();
		CurrentUser admin = this.accounts.firstAdministrator().orElse(null);
		if (admin == null) {
			log.warn("Demo district not loaded: there is no installation-wide administrator to load it as");
			return new Summary(0, 0, 0, 0, List.of(), Duration.ZERO);
		}
		var existing = this.nodes.findByCode(STREET_CODE);
		if (existing.isPresent() && count("resident", existing.get()) > 0) {
			Summary present = new Summary(0, count("household", existing.get()), count("resident", existing.get()), 0,
					List.of(), elapsed(started));
			log.info("Demo district already present: 共乐街道 has {} households and {} residents; nothing loaded",
					present.households(), present.residents());
			return present;
		}
		this.catalog.load(admin, DISTRICT_CODE);
		Node street = this.nodes.findByCode(STREET_CODE).orElseThrow();
		List<Node> communities = this.nodes.within(street.path() + "%", NodeKind.COMMUNITY);
		int[] targets = householdTargets(communities.size());
		Set<String> usedIds = new HashSet<>();
		int imported = 0;
		int rejected = 0;
		for (int i = 0; i < communities.size(); i++) {
			Node community = communities.get(i);
			String roster = new Population(community, usedIds).roster(targets[i]);
			ImportReport report = this.rosters.run(admin, community,
					new ByteArrayInputStream(roster.getBytes(StandardCharsets.UTF_8)),
					"demo-" + community.code() + ".csv", Map.of(), false);
			imported++;
			rejected += report.rejectedCount();
			if (report.rejectedCount() > 0) {
				// Only an ID number someone else already holds can do this (a real person
				// of 230102).
				log.warn("Demo roster of {}: {} rows rejected, e.g. {}", community.name(), report.rejectedCount(),
						report.rejected().get(0).reason());
			}
		}
		List<String> opened = openAccounts(admin);
		Summary summary = new Summary(imported, count("household", street), count("resident", street), rejected, opened,
				elapsed(started));
		log.info("Demo district loaded in {} s: 共乐街道, {} communities filled, {} households, {} residents",
				summary.took().toMillis() / 1000.0, imported, summary.households(), summary.residents());
		return summary;
	}

	private long count(String table, Node street) {
		// Table name from this class only, never from input.
		return this.jdbc.sql("select count(*) from " + table + " where path like :p")
			.param("p", street.path() + "%")
			.query(Long.class)
			.single();
	}

	/**
	 * Households per community: about {@link #HOUSEHOLDS} in all, communities of
	 * differing size.
	 */
	private static int[] householdTargets(int communities) {
		Random random = new Random(SEED);
		double[] weights = new double[communities];
		double sum = 0;
		for (int i = 0; i < communities; i++) {
			weights[i] = 0.6 + 0.8 * random.nextDouble();
			sum += weights[i];
		}
		int[] targets = new int[communities];
		for (int i = 0; i < communities; i++) {
			targets[i] = (int) Math.round(HOUSEHOLDS * weights[i] / sum);
		}
		return targets;
	}

	private List<String> openAccounts(CurrentUser admin) {
		Set<String> taken = this.accounts.list(admin)
			.stream()
			.map(a -> a.username().toLowerCase(Locale.ROOT))
			.collect(Collectors.toSet());
		List<String> opened = new ArrayList<>();
		StringBuilder banner = new StringBuilder();
		for (DemoAccount account : ACCOUNTS) {
			if (taken.contains(account.username())) {
				continue;
			}
			Node node = this.nodes.findByCode(account.nodeCode()).orElseThrow();
			// Generated, never a fixed default: demo installations get exposed on
			// networks too.
			String password = AccountService.generatePassword();
			this.accounts.create(admin, new AccountService.NewAccount(account.username(), account.displayName(),
					password, account.role(), node.id()));
			opened.add(account.username());
			banner.append(String.format("%-15s %-17s %s  (%s)%n", account.username(), account.role(), password,
					account.displayName()));
		}
		if (!opened.isEmpty()) {
			// The port the server really listens on, known only once it started
			// (server.port=0 picks one).
			String port = this.environment.getProperty("local.server.port",
					this.environment.getProperty("server.port", "8080"));
			log.warn("""

					==================================================================
					 Fangxian demo district: 哈尔滨市道里区共乐街道
					   open      http://localhost:{}/
					 Demo accounts (username, role, password) are in
					   {}
					 (readable by this user only; passwords never go to the log)
					==================================================================""", port,
					this.secrets.write("demo-accounts.txt", banner.toString()));
		}
		return opened;
	}

	private static Duration elapsed(long startedNanos) {
		return Duration.ofNanos(System.nanoTime() - startedNanos);
	}

	/**
	 * The invented people of one community, written as the roster a community office
	 * would keep. Its own seed (from the community code) keeps each community's people
	 * stable.
	 */
	private static final class Population {

		private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

		// Weighted by how common they are in Heilongjiang: 王, 李, 张, 刘 lead; 于 and 孙 rank
		// high in the north-east.
		private static final String[] SURNAMES = { "王", "李", "张", "刘", "赵", "杨", "孙", "于", "陈", "徐", "高", "马", "周", "吴",
				"郭", "宋", "韩", "姜", "董", "曲", "林", "朱", "郑", "何", "胡", "田", "崔", "付", "吕", "贾", "冯", "许", "曹", "邢", "丁",
				"梁", "谢", "范", "孟", "常", "关", "姚", "金", "白", "鲁", "苏", "程", "潘", "魏", "黄" };

		private static final int[] SURNAME_WEIGHTS = { 100, 95, 90, 80, 45, 40, 40, 35, 30, 28, 25, 24, 22, 20, 18, 17,
				17, 16, 15, 14, 13, 13, 12, 12, 11, 11, 10, 10, 9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 7, 7, 6, 6, 6, 6, 5, 5, 5,
				5, 5, 5 };

		private static final int SURNAME_TOTAL = java.util.Arrays.stream(SURNAME_WEIGHTS).sum();

		// Given names follow their generation: 秀兰 and 建国 are grandparents, 子轩 and 欣怡 are
		// children.
		private static final String[][] MALE_NAMES = {
				{ "德明", "玉林", "长林", "福山", "振华", "国栋", "文学", "树林", "凤山", "永和", "宝山", "志国", "庆云", "殿臣" },
				{ "建国", "建军", "国庆", "志刚", "立新", "卫东", "红军", "国华", "振东", "永生", "海林", "春生", "军", "勇" },
				{ "磊", "伟", "鹏", "超", "浩", "强", "宇", "刚", "明", "波", "海洋", "晓东", "志远", "大鹏", "洪涛", "亮" },
				{ "子轩", "浩然", "宇航", "梓豪", "俊杰", "博文", "一鸣", "天佑", "皓轩", "子墨", "沐阳", "宇辰", "铭泽" } };

		private static final String[][] FEMALE_NAMES = {
				{ "秀兰", "桂兰", "淑珍", "玉珍", "凤英", "桂芝", "淑华", "秀英", "玉兰", "素琴", "桂琴", "淑芬", "凤兰", "秀珍" },
				{ "丽华", "红梅", "丽娟", "艳华", "春燕", "秀梅", "玉霞", "丽萍", "艳玲", "彩霞", "红", "霞", "敏", "燕" },
				{ "婷婷", "丽丽", "静", "丹", "雪", "琳", "晶晶", "丹丹", "佳", "璐", "爽", "娜", "莹", "欢" },
				{ "欣怡", "梓涵", "诗涵", "一诺", "雨桐", "子涵", "可馨", "思彤", "语桐", "佳怡", "若曦", "梦瑶", "晨曦" } };

		private static final String[] MOBILE_PREFIXES = { "130", "131", "132", "133", "135", "136", "137", "138", "139",
				"150", "151", "152", "155", "156", "157", "158", "159", "176", "177", "180", "181", "182", "185", "186",
				"187", "188", "189", "199" };

		private final Node community;

		private final Set<String> usedIds;

		private final Random random;

		private final StringBuilder csv = new StringBuilder();

		Population(Node community, Set<String> usedIds) {
			this.community = community;
			this.usedIds = usedIds;
			this.random = new Random(SEED * 31 + community.code().hashCode());
		}

		/** One person of a household, before the address is known. */
		private record Person(String name, String idNumber, String phone, String relation, List<String> tags,
				String status, String note) {
		}

		/** A person in the making: age and sex decide the rest. */
		private record Member(String surname, int age, boolean male, String relation) {
		}

		String roster(int households) {
			// UTF-8 with a byte-order mark, as a careful user would save it from Excel.
			this.csv.append('\uFEFF').append(HEADER).append('\n');
			List<String> compounds = COMPOUNDS.getOrDefault(this.community.code(),
					List.of(this.community.name().replaceFirst("社区$", "") + "小区"));
			double towerShare = TOWER_SHARE.getOrDefault(this.community.code(), 0.15);
			int[] buildingsIn = new int[compounds.size()];
			int left = households;
			while (left > 0) {
				// The first compound is the old core of the community and holds the most
				// buildings.
				int c = this.random.nextDouble() < 0.45 ? 0 : this.random.nextInt(compounds.size());
				int number = ++buildingsIn[c];
				boolean tower = this.random.nextDouble() < towerShare;
				// Walk-ups: 6 storeys (some 5 or 7), 2-3 stairwells, 2 flats a landing.
				// Towers: 17-18
				// storeys, one core with 3 flats a landing or two with 2, like the sealed
				// building of 2022.
				int storeys = tower ? 17 + this.random.nextInt(2) : pick(6, 6, 6, 6, 5, 7);
				int units = tower ? 1 + this.random.nextInt(2) : 2 + this.random.nextInt(2);
				int doors = tower ? (units == 1 ? 3 : 2) : 2;
				double occupied = tower ? 0.86 : 0.93;
				for (int unit = 1; unit <= units && left > 0; unit++) {
					for (int floor = 1; floor <= storeys && left > 0; floor++) {
						for (int door = 1; door <= doors && left > 0; door++) {
							if (this.random.nextDouble() >= occupied) {
								continue; // empty flat: sold but unoccupied, or being
											// renovated
							}
							String address = compounds.get(c) + "," + number + "栋," + unit + "单元,"
									+ (floor * 100 + door);
							for (Person p : household()) {
								this.csv.append(p.name())
									.append(',')
									.append(p.idNumber())
									.append(',')
									.append(p.phone())
									.append(',')
									.append(address)
									.append(',')
									.append(p.relation())
									.append(',')
									.append(String.join("、", p.tags()))
									.append(',')
									.append(p.status())
									.append(',')
									.append(p.note())
									.append('\n');
							}
							left--;
						}
					}
				}
			}
			return this.csv.toString();
		}

		/**
		 * One household. Shares are set so a household holds 2.5 people on average, as
		 * the street's figures say (6,000+ households, 15,000 people), and about 3% of
		 * residents are elderly living alone.
		 */
		private List<Person> household() {
			List<Member> members = new ArrayList<>();
			double kind = this.random.nextDouble();
			boolean aloneElderly = false;
			double rentingChance;
			if (kind < 0.075) {
				// Mostly widows: women outlive men by years.
				aloneElderly = true;
				boolean male = this.random.nextDouble() < 0.3;
				members.add(new Member(surname(), 68 + this.random.nextInt(14) + this.random.nextInt(14), male, "户主"));
				rentingChance = 0;
			}
			else if (kind < 0.23) {
				members.add(new Member(surname(), 22 + this.random.nextInt(43), this.random.nextDouble() < 0.55, "户主"));
				rentingChance = 0.3;
			}
			else if (kind < 0.54) {
				double stage = this.random.nextDouble();
				int age = stage < 0.4 ? 60 + this.random.nextInt(26)
						: stage < 0.7 ? 45 + this.random.nextInt(20) : 24 + this.random.nextInt(17);
				couple(members, age);
				rentingChance = age < 41 ? 0.25 : 0.03;
			}
			else if (kind < 0.82) {
				if (this.random.nextDouble() < 0.1) {
					// Grandparents raising a grandchild while the parents work elsewhere
					// (隔代抚养).
					int age = 56 + this.random.nextInt(14);
					couple(members, age);
					child(members, Math.max(3, age - 50 - this.random.nextInt(6)), "孙子女");
					rentingChance = 0;
				}
				else {
					int age = 26 + this.random.nextInt(33);
					couple(members, age);
					child(members, age - 24 - this.random.nextInt(10), "子女");
					rentingChance = 0.1;
				}
			}
			else {
				int size = kind < 0.93 ? 4 : kind < 0.985 ? 5 : 6;
				int age = 30 + this.random.nextInt(24);
				couple(members, age);
				int first = age - 24 - this.random.nextInt(8);
				child(members, first, "子女");
				int parents = size == 4 ? (this.random.nextBoolean() ? 1 : 0)
						: size == 5 ? 1 + this.random.nextInt(2) : 2;
				if (size - 2 - parents >= 2) {
					child(members, first - 2 - this.random.nextInt(7), "子女");
				}
				parents(members, parents, age);
				rentingChance = 0.04;
			}
			boolean renting = this.random.nextDouble() < rentingChance;
			List<Person> people = new ArrayList<>(members.size());
			for (Member m : members) {
				people.add(person(m, aloneElderly, renting));
			}
			return people;
		}

		private void couple(List<Member> members, int headAge) {
			boolean headMale = this.random.nextDouble() < 0.75;
			int gap = this.random.nextInt(8) - 2; // the husband a few years older, as
													// usual
			int spouseAge = Math.max(20, headMale ? headAge - gap : headAge + gap);
			members.add(new Member(surname(), headAge, headMale, "户主"));
			members.add(new Member(surname(), spouseAge, !headMale, "配偶"));
		}

		/**
		 * A child of the couple at the head of {@code members}, with the father's
		 * surname.
		 */
		private void child(List<Member> members, int age, String relation) {
			Member father = members.get(0).male() ? members.get(0) : members.get(1);
			members.add(new Member(father.surname(), Math.max(0, age), this.random.nextBoolean(), relation));
		}

		/** Parents of the head: a widowed mother is the usual single parent. */
		private void parents(List<Member> members, int count, int headAge) {
			if (count == 0) {
				return;
			}
			Member head = members.get(0);
			int age = Math.min(97, headAge + 24 + this.random.nextInt(10));
			boolean father = count == 2 || this.random.nextDouble() < 0.3;
			if (father) {
				members.add(new Member(head.surname(), Math.min(97, age + this.random.nextInt(4)), true, "父母"));
			}
			if (count == 2 || !father) {
				members.add(new Member(surname(), age, false, "父母"));
			}
		}

		private Person person(Member m, boolean aloneElderly, boolean renting) {
			LocalDate birth = AS_OF.minusYears(m.age()).minusDays(1 + this.random.nextInt(365));
			int generation = birth.getYear() < 1960 ? 0 : birth.getYear() < 1980 ? 1 : birth.getYear() < 2005 ? 2 : 3;
			String[] pool = (m.male() ? MALE_NAMES : FEMALE_NAMES)[generation];
			String name = m.surname() + pool[this.random.nextInt(pool.length)];
			List<String> tags = new ArrayList<>();
			String note = "";
			if (aloneElderly) {
				tags.add("独居老人");
			}
			if (this.random.nextDouble() < (m.age() >= 60 ? 0.05 : 0.015)) {
				tags.add("残疾人");
			}
			if (this.random.nextDouble() < (m.age() >= 80 ? 0.12 : m.age() >= 70 ? 0.03 : 0)) {
				tags.add("卧床");
				note = "需上门采样";
			}
			if (!m.male() && m.age() >= 22 && m.age() <= 40 && !m.relation().equals("子女")
					&& this.random.nextDouble() < 0.06) {
				tags.add("孕妇");
			}
			if (m.age() >= 18 && this.random.nextDouble() < (m.age() >= 60 ? 0.12 : 0.06)) {
				tags.add("党员");
			}
			if (aloneElderly && m.age() >= 80 && this.random.nextDouble() < 0.5) {
				tags.add("需帮扶");
			}
			String phone = phone(m.age());
			if (phone.isEmpty() && aloneElderly) {
				note = note.isEmpty() ? "无手机 请联系邻居" : note + " 无手机";
			}
			String status = renting ? "租户" : "常住";
			// Grown children study or work elsewhere; some parents work away too.
			boolean away = m.age() >= 18 && m.age() <= 50
					&& this.random.nextDouble() < (m.relation().equals("子女") ? 0.25 : 0.03);
			if (away && !renting && !tags.contains("孕妇")) {
				status = "外出";
				note = m.age() <= 23 && m.relation().equals("子女") ? "在外地读书" : "在外地务工";
			}
			return new Person(name, idNumber(birth, m.male()), phone, m.relation(), tags, status, note);
		}

		/**
		 * A valid number as issued in 道里区: birth date, an odd sequence for men, even for
		 * women.
		 */
		private String idNumber(LocalDate birth, boolean male) {
			while (true) {
				int sequence = this.random.nextInt(500) * 2 + (male ? 1 : 0);
				String first17 = DISTRICT_CODE + birth.format(YYYYMMDD) + String.format("%03d", sequence);
				if (this.usedIds.add(first17)) {
					return first17 + IdNumber.checkChar(first17);
				}
			}
		}

		/**
		 * Children have no phone; some of the very old only a landline (0451: Harbin), or
		 * none.
		 */
		private String phone(int age) {
			if (age < 16) {
				return "";
			}
			if (age >= 80) {
				double d = this.random.nextDouble();
				if (d < 0.15) {
					return "";
				}
				if (d < 0.45) {
					return "04518" + digits(7);
				}
			}
			return MOBILE_PREFIXES[this.random.nextInt(MOBILE_PREFIXES.length)] + digits(8);
		}

		private String digits(int count) {
			StringBuilder digits = new StringBuilder(count);
			for (int i = 0; i < count; i++) {
				digits.append((char) ('0' + this.random.nextInt(10)));
			}
			return digits.toString();
		}

		private String surname() {
			int n = this.random.nextInt(SURNAME_TOTAL);
			for (int i = 0; i < SURNAMES.length; i++) {
				n -= SURNAME_WEIGHTS[i];
				if (n < 0) {
					return SURNAMES[i];
				}
			}
			return SURNAMES[0];
		}

		private int pick(int... choices) {
			return choices[this.random.nextInt(choices.length)];
		}

	}

}
