package org.fangxian.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.fangxian.shared.IdNumber;

/**
 * Writes a large, realistic resident roster CSV for benchmarks, the way a community would
 * keep it: a title row, the usual Chinese headers, UTF-8 with a BOM (Excel's "CSV
 * UTF-8"), households of about 2.5 people living in compounds of ~30 buildings × 4 units
 * × 18 floors × 2–4 rooms, valid 18-character ID numbers (unique, with correct ISO 7064
 * MOD 11-2 check characters, birth dates matching the relation to the head of household),
 * phones in the formats people type, and about 0.5% deliberately invalid rows.
 *
 * <p>
 * Deterministic: the same row count and seed always give the same bytes. The file is
 * benchmark input only; put it under {@code target/bench/} and never commit it.
 *
 * <p>
 * {@code RegistryBenchmark} calls it itself; to write a file on its own:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt
 * java -cp target/test-classes:target/classes:$(cat target/bench/classpath.txt) \
 *     org.fangxian.bench.RosterCsvGenerator 1000000 target/bench/roster-1000000.csv [seed]
 * </pre>
 */
public final class RosterCsvGenerator {

	public static final long DEFAULT_SEED = 20220401L;

	public static final List<String> HEADERS = List.of("序号", "姓名", "身份证号码", "联系电话", "小区", "楼栋", "单元", "门牌号", "与户主关系",
			"人员类别", "居住状态");

	/**
	 * How many of each kind of query value are kept for the benchmark (a seeded reservoir
	 * sample).
	 */
	static final int SAMPLES = 2000;

	/** Rows deliberately invalid, per ten thousand. */
	static final int INVALID_PER_10K = 50;

	/**
	 * Valid rows without an ID number (newborns not yet registered, people who declined),
	 * per ten thousand.
	 */
	static final int WITHOUT_ID_PER_10K = 30;

	private static final int BUILDINGS = 30;

	private static final int UNITS = 4;

	private static final int FLOORS = 18;

	/** Rooms left empty (unsold, under renovation), per hundred. */
	private static final int VACANT_PERCENT = 8;

	/** Household sizes 1..6, weights per hundred: mean 2.49 people. */
	private static final int[] SIZE_WEIGHTS = { 25, 32, 22, 13, 6, 2 };

	/** The most common surnames, weighted roughly by their share of the population. */
	static final String[] SURNAMES = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
			"何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈",
			"曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田",
			"任", "姜", "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "江",
			"史", "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤", "尹", "黎", "易", "常", "武", "乔", "贺", "赖", "龚", "文",
			"欧阳", "司马" };

	private static final int[] SURNAME_WEIGHTS = weights(SURNAMES.length);

	static final String GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘";

	static final String GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟";

	static final String[] COMPOUND_PREFIXES = { "福乐湾", "共乐", "民茂", "安和", "景阳", "顺达", "兆麟", "友谊", "新阳", "康安", "丽江", "建国",
			"尚志", "地段", "经纬", "通江", "红霞", "群力", "爱建", "上江", "中央", "透笼", "西城", "松浦", "和平", "安静", "抚顺", "斯大林", "霁虹",
			"工程" };

	static final String[] COMPOUND_SUFFIXES = { "小区", "花园", "家园", "新苑", "公寓", "嘉园", "名都", "雅居" };

	/**
	 * Harbin districts mostly, some of Heilongjiang, a few from elsewhere (people who
	 * moved here).
	 */
	private static final int[] REGIONS = { 230102, 230102, 230102, 230102, 230102, 230102, 230103, 230103, 230104,
			230108, 230109, 230110, 230111, 230112, 230183, 230184, 230202, 230602, 230702, 231002, 220102, 210102,
			370102, 410102, 130102, 150102 };

	private static final LocalDate NEWEST_BIRTH = LocalDate.of(2022, 3, 31);

	/** What the generator wrote, and samples of values to search for. */
	public record Result(Path file, int rows, int invalidRows, int rowsWithoutId, int households, int compounds,
			List<String> sampleIdNumbers, List<String> samplePhones, List<String> sampleNames,
			List<String> sampleUnits) {
	}

	private final SplittableRandom random;

	/** A separate stream for the samples, so sampling never changes the data. */
	private final SplittableRandom sampling;

	private final Set<Long> ids = new HashSet<>();

	private final Set<Long> phones = new HashSet<>();

	private final List<String> sampleIds = new ArrayList<>();

	private final List<String> samplePhones = new ArrayList<>();

	private final List<String> sampleNames = new ArrayList<>();

	private final List<String> sampleUnits = new ArrayList<>();

	private long seenIds;

	private long seenPhones;

	private long seenNames;

	private long seenUnits;

	private int written;

	private int invalid;

	private int withoutId;

	private int households;

	private RosterCsvGenerator(long seed) {
		this.random = new SplittableRandom(seed);
		this.sampling = new SplittableRandom(seed ^ 0x5DEECE66DL);
	}

	public static void main(String[] args) throws IOException {
		if (args.length < 2) {
			System.err.println("usage: RosterCsvGenerator <rows> <file.csv> [seed]");
			System.exit(2);
		}
		int rows = Integer.parseInt(args[0].replace("_", "").replace(",", ""));
		Path file = Path.of(args[1]);
		long seed = args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_SEED;
		long start = System.nanoTime();
		Result result = generate(file, rows, seed);
		System.out.printf("%s: %,d rows (%,d invalid, %,d without ID number), %,d households in %d compounds, %.1f s%n",
				result.file(), result.rows(), result.invalidRows(), result.rowsWithoutId(), result.households(),
				result.compounds(), (System.nanoTime() - start) / 1e9);
	}

	/** Writes {@code rows} data rows (plus a title and a header row) to {@code file}. */
	public static Result generate(Path file, int rows, long seed) throws IOException {
		if (rows < 1) {
			throw new IllegalArgumentException("rows must be positive");
		}
		if (file.getParent() != null) {
			Files.createDirectories(file.getParent());
		}
		RosterCsvGenerator generator = new RosterCsvGenerator(seed);
		int compounds;
		try (OutputStream out = Files.newOutputStream(file);
				BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
						1 << 16);
				CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180)) {
			writer.write('\uFEFF');
			csv.printRecord("共乐街道福乐湾社区居民花名册（基准测试数据，" + rows + "行，种子" + seed + "）");
			csv.printRecord(HEADERS);
			compounds = generator.write(csv, rows);
		}
		return new Result(file, generator.written, generator.invalid, generator.withoutId, generator.households,
				compounds, List.copyOf(generator.sampleIds), List.copyOf(generator.samplePhones),
				List.copyOf(generator.sampleNames), List.copyOf(generator.sampleUnits));
	}

	private int write(CSVPrinter csv, int rows) throws IOException {
		List<String> names = new ArrayList<>();
		for (String prefix : COMPOUND_PREFIXES) {
			for (String suffix : COMPOUND_SUFFIXES) {
				names.add(prefix + suffix);
			}
		}
		for (int i = names.size() - 1; i > 0; i--) {
			names.set(i, names.set(this.random.nextInt(i + 1), names.get(i)));
		}
		int compound = 0;
		while (this.written < rows) {
			// 240 names are enough for 3.8 million people; beyond that, later phases (二期,
			// 三期...) of the same ones.
			String name = names.get(compound % names.size())
					+ (compound >= names.size() ? (compound / names.size() + 1) + "期" : "");
			compound++;
			for (int building = 1; building <= BUILDINGS && this.written < rows; building++) {
				int roomsPerFloor = 2 + this.random.nextInt(3);
				String buildingText = buildingText(building);
				for (int unit = 1; unit <= UNITS && this.written < rows; unit++) {
					String unitText = this.random.nextInt(3) == 0 ? unit + "单元" : String.valueOf(unit);
					for (int floor = 1; floor <= FLOORS && this.written < rows; floor++) {
						for (int room = 1; room <= roomsPerFloor && this.written < rows; room++) {
							if (this.random.nextInt(100) < VACANT_PERCENT) {
								continue;
							}
							int number = floor * 100 + room;
							String roomText = this.random.nextInt(5) == 0 ? number + "室" : String.valueOf(number);
							sample(this.sampleUnits, ++this.seenUnits, name + building + "栋" + unit + "单元");
							household(csv, rows, new String[] { name, buildingText, unitText, roomText });
						}
					}
				}
			}
		}
		return compound;
	}

	private String buildingText(int building) {
		return switch (this.random.nextInt(10)) {
			case 0, 1, 2, 3 -> String.valueOf(building);
			case 4, 5, 6 -> building + "栋";
			case 7, 8 -> building + "号楼";
			default -> building + "#";
		};
	}

	/** One person as the generator thinks of them, before the row is written. */
	private record Person(String name, boolean male, LocalDate birth, String relation) {
	}

	private void household(CSVPrinter csv, int rows, String[] address) throws IOException {
		this.households++;
		int size = weighted(SIZE_WEIGHTS) + 1;
		boolean renting = this.random.nextInt(100) < 12;
		List<Person> people = new ArrayList<>(size);
		String surname = surname();
		boolean headMale = this.random.nextInt(100) < 70;
		LocalDate headBirth = size == 1 ? birth(1935, 2002) : birth(1942, 1994);
		people.add(new Person(surname + given(headMale), headMale, headBirth, "户主"));
		if (size >= 2) {
			LocalDate spouse = clamp(headBirth.plusDays(this.random.nextInt(-5 * 365, 5 * 365)));
			people.add(new Person(surname() + given(!headMale), !headMale, spouse,
					this.random.nextBoolean() ? "配偶" : headMale ? "妻子" : "丈夫"));
		}
		boolean withParent = size >= 5 && this.random.nextBoolean();
		if (withParent && headBirth.getYear() > 1960) {
			boolean male = this.random.nextBoolean();
			LocalDate birth = clamp(
					headBirth.minusYears(22 + this.random.nextInt(12)).minusDays(this.random.nextInt(365)));
			people.add(new Person((male ? surname : surname()) + given(male), male, birth, male ? "父亲" : "母亲"));
		}
		while (people.size() < size) {
			boolean male = this.random.nextBoolean();
			boolean grandchild = headBirth.getYear() < 1965 && people.size() >= 3 && this.random.nextInt(3) == 0;
			int gap = grandchild ? 48 + this.random.nextInt(15) : 22 + this.random.nextInt(14);
			LocalDate birth = clamp(headBirth.plusYears(gap).plusDays(this.random.nextInt(365)));
			String relation = grandchild ? (male ? "孙子" : "孙女") : switch (this.random.nextInt(4)) {
				case 0 -> "子女";
				case 1 -> male ? "儿子" : "女儿";
				case 2 -> male ? "长子" : "长女";
				default -> male ? "儿子" : "女儿";
			};
			people.add(new Person(surname + given(male), male, birth, relation));
		}
		String headPhone = null;
		for (Person person : people) {
			if (this.written >= rows) {
				return;
			}
			String phone = phoneFor(person, headPhone);
			if (person.relation().equals("户主")) {
				headPhone = phone;
			}
			row(csv, person, phone, address, renting, size);
		}
	}

	private void row(CSVPrinter csv, Person person, String phone, String[] address, boolean renting, int size)
			throws IOException {
		this.written++;
		String name = person.name();
		String id = idNumber(person);
		String status = status(renting);
		String tags = tags(person, size);
		String phoneText = phone == null ? "" : messyPhone(phone);
		String idText = messyId(id);
		if (this.random.nextInt(10_000) < INVALID_PER_10K) {
			this.invalid++;
			switch (this.random.nextInt(6)) {
				case 0 -> name = "";
				case 1 -> idText = wrongCheck(id);
				case 2 -> idText = roundedByExcel(id);
				case 3 -> idText = future(person);
				case 4 -> phoneText = "1" + digits(9);
				default -> status = "待核实";
			}
		}
		else {
			if (this.random.nextInt(10_000) < WITHOUT_ID_PER_10K) {
				idText = "";
				this.withoutId++;
			}
			else {
				sample(this.sampleIds, ++this.seenIds, id);
			}
			if (phone != null) {
				sample(this.samplePhones, ++this.seenPhones, phone);
			}
			if (name.length() >= 2) {
				sample(this.sampleNames, ++this.seenNames, name);
			}
		}
		csv.printRecord(this.written, name, idText, phoneText, address[0], address[1], address[2], address[3],
				person.relation(), tags, status);
	}

	/** A new, unique 18-character ID number for the person. */
	private String idNumber(Person person) {
		String date = String.format("%04d%02d%02d", person.birth().getYear(), person.birth().getMonthValue(),
				person.birth().getDayOfMonth());
		while (true) {
			int region = REGIONS[this.random.nextInt(REGIONS.length)];
			int sequence = this.random.nextInt(500) * 2 + (person.male() ? 1 : 0);
			String first17 = region + date + String.format("%03d", sequence);
			if (this.ids.add(Long.parseLong(first17))) {
				return first17 + IdNumber.checkChar(first17);
			}
		}
	}

	/**
	 * Grown-ups have a mobile, some a landline; children under 14 none; some elderly give
	 * the head's.
	 */
	private String phoneFor(Person person, String headPhone) {
		int age = NEWEST_BIRTH.getYear() - person.birth().getYear();
		if (age < 14) {
			return null;
		}
		if (headPhone != null && age >= 70 && this.random.nextInt(3) == 0) {
			return headPhone;
		}
		if (this.random.nextInt(100) < 4) {
			return null;
		}
		while (true) {
			String phone = this.random.nextInt(100) < 6 ? "0451" + (8 + this.random.nextInt(2)) + digits(7)
					: "1" + "3456789".charAt(this.random.nextInt(7)) + digits(9);
			if (this.phones.add(Long.parseLong(phone))) {
				return phone;
			}
		}
	}

	/**
	 * Phones as people type them: mostly plain, some with spaces, dashes, +86 or
	 * full-width digits.
	 */
	private String messyPhone(String phone) {
		boolean mobile = phone.startsWith("1");
		return switch (this.random.nextInt(20)) {
			case 0 -> mobile ? phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7)
					: phone.substring(0, 4) + " " + phone.substring(4);
			case 1 -> mobile ? phone.substring(0, 3) + "-" + phone.substring(3, 7) + "-" + phone.substring(7)
					: phone.substring(0, 4) + "-" + phone.substring(4);
			case 2 -> mobile ? "+86 " + phone : "(" + phone.substring(0, 4) + ")" + phone.substring(4);
			case 3 -> mobile ? "+86 " + phone.substring(0, 3) + "-" + phone.substring(3, 7) + "-" + phone.substring(7)
					: "0086 " + phone.substring(1);
			case 4 -> fullWidth(phone);
			case 5 -> " " + phone + " ";
			default -> phone;
		};
	}

	/**
	 * ID numbers mostly plain; some with the Excel text tricks, a lower-case x or
	 * grouping spaces.
	 */
	private String messyId(String id) {
		return switch (this.random.nextInt(50)) {
			case 0 -> "'" + id;
			case 1 -> "=\"" + id + "\"";
			case 2 -> id.substring(0, 6) + " " + id.substring(6, 14) + " " + id.substring(14);
			case 3 -> fullWidth(id);
			default -> id.endsWith("X") && this.random.nextBoolean() ? id.substring(0, 17) + "x" : id;
		};
	}

	private String wrongCheck(String id) {
		String chars = "0123456789X";
		char right = id.charAt(17);
		char wrong;
		do {
			wrong = chars.charAt(this.random.nextInt(chars.length()));
		}
		while (wrong == right);
		return id.substring(0, 17) + wrong;
	}

	/**
	 * An ID typed into a number cell: Excel keeps 15 significant digits, the rest become
	 * zeros.
	 */
	private String roundedByExcel(String id) {
		String rounded = id.substring(0, 15) + "000";
		return IdNumber.checkChar(rounded.substring(0, 17)) == '0' ? wrongCheck(id) : rounded;
	}

	/**
	 * A birth year in the future (1991 typed as 2091), with a check character that is
	 * right.
	 */
	private String future(Person person) {
		String first17 = "230102209" + String.format("%d%02d%02d", person.birth().getYear() % 10,
				person.birth().getMonthValue(), person.birth().getDayOfMonth()) + digits(3);
		return first17 + IdNumber.checkChar(first17);
	}

	private String status(boolean renting) {
		int roll = this.random.nextInt(1000);
		if (roll < 40) {
			return "外出";
		}
		if (roll < 50) {
			return "迁出";
		}
		if (roll < 52) {
			return "已故";
		}
		if (renting) {
			return this.random.nextBoolean() ? "租住" : "租户";
		}
		return roll < 500 ? "常住" : this.random.nextInt(10) == 0 ? "" : "户籍";
	}

	private String tags(Person person, int size) {
		int age = NEWEST_BIRTH.getYear() - person.birth().getYear();
		List<String> tags = new ArrayList<>(2);
		if (size == 1 && age >= 70 && this.random.nextInt(2) == 0) {
			tags.add("独居老人");
		}
		if (age >= 18 && this.random.nextInt(100) < 5) {
			tags.add("党员");
		}
		if (this.random.nextInt(100) < 1) {
			tags.add("残疾人");
		}
		if (age >= 80 && this.random.nextInt(10) == 0) {
			tags.add("卧床");
		}
		if (!person.male() && age >= 22 && age <= 40 && this.random.nextInt(100) < 3) {
			tags.add("孕妇");
		}
		if (this.random.nextInt(100) < 1) {
			tags.add("低保户");
		}
		return String.join("、", tags);
	}

	private String surname() {
		return SURNAMES[weighted(SURNAME_WEIGHTS)];
	}

	private String given(boolean male) {
		String chars = male ? GIVEN_MALE : GIVEN_FEMALE;
		StringBuilder given = new StringBuilder(2);
		given.append(chars.charAt(this.random.nextInt(chars.length())));
		if (this.random.nextInt(100) < 72) {
			given.append(chars.charAt(this.random.nextInt(chars.length())));
		}
		return given.toString();
	}

	private LocalDate birth(int fromYear, int toYear) {
		LocalDate from = LocalDate.of(fromYear, 1, 1);
		long days = LocalDate.of(toYear, 12, 31).toEpochDay() - from.toEpochDay();
		return clamp(from.plusDays(this.random.nextLong(days + 1)));
	}

	private static LocalDate clamp(LocalDate date) {
		return date.isAfter(NEWEST_BIRTH) ? NEWEST_BIRTH.minusDays(date.getDayOfYear()) : date;
	}

	private String digits(int count) {
		StringBuilder text = new StringBuilder(count);
		for (int i = 0; i < count; i++) {
			text.append((char) ('0' + this.random.nextInt(10)));
		}
		return text.toString();
	}

	private String pick(String[] values) {
		return values[this.random.nextInt(values.length)];
	}

	private int weighted(int[] weights) {
		int total = 0;
		for (int w : weights) {
			total += w;
		}
		int roll = this.random.nextInt(total);
		for (int i = 0; i < weights.length; i++) {
			roll -= weights[i];
			if (roll < 0) {
				return i;
			}
		}
		return weights.length - 1;
	}

	/** Reservoir sampling (algorithm R) on the sampling stream. */
	private void sample(List<String> into, long seen, String value) {
		if (into.size() < SAMPLES) {
			into.add(value);
		}
		else {
			long slot = this.sampling.nextLong(seen);
			if (slot < SAMPLES) {
				into.set((int) slot, value);
			}
		}
	}

	/** Zipf-like weights: the first surnames are much more common than the last. */
	private static int[] weights(int count) {
		int[] weights = new int[count];
		for (int i = 0; i < count; i++) {
			weights[i] = Math.max(1, (int) Math.round(1000.0 / (i + 3)));
		}
		return weights;
	}

	private static String fullWidth(String text) {
		StringBuilder wide = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			wide.append(c >= '!' && c <= '~' ? (char) (c + 0xFEE0) : c);
		}
		return wide.toString();
	}

}
