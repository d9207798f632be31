package org.fangxian.shared;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tables partitioned by month (issue 17: {@code gate_scan}, {@code audit_event}): one
 * partition per month in China Standard Time, named like {@code gate_scan_202612},
 * created ahead by the SQL function {@code create_month_partition} (V102; safe on two
 * nodes), and a DEFAULT partition (like {@code gate_scan_default}) so an insert never
 * fails for want of its month. The owning module decides what happens to old months
 * (dropped, or detached and kept).
 */
public final class MonthlyPartitions {

	private static final Pattern TABLE = Pattern.compile("[a-z_]+");

	private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMM");

	private MonthlyPartitions() {
	}

	/** A month's partition: its name and the instants it holds, {@code [from, to)}. */
	public record Partition(String name, YearMonth month) {

		public Instant from() {
			return ChinaStandardTime.startOf(this.month.atDay(1));
		}

		public Instant to() {
			return ChinaStandardTime.startOf(this.month.plusMonths(1).atDay(1));
		}

	}

	/** The name of {@code table}'s partition for {@code month}. */
	public static String name(String table, YearMonth month) {
		return checked(table) + "_" + month.format(SUFFIX);
	}

	/**
	 * Creates the partitions of {@code today}'s month and the {@code ahead} months after
	 * it where missing; the names of those it created.
	 */
	public static List<String> createAhead(JdbcClient jdbc, String table, LocalDate today, int ahead) {
		List<String> created = new ArrayList<>();
		YearMonth month = YearMonth.from(today);
		for (int i = 0; i <= ahead; i++) {
			YearMonth next = month.plusMonths(i);
			if (create(jdbc, table, next)) {
				created.add(name(table, next));
			}
		}
		return created;
	}

	/**
	 * Creates the partition of {@code month} unless it exists, moving into it what the
	 * DEFAULT partition holds of that month; whether it created it.
	 */
	public static boolean create(JdbcClient jdbc, String table, YearMonth month) {
		return Boolean.TRUE.equals(jdbc.sql("select create_month_partition(:table, :month)")
			.param("table", checked(table))
			.param("month", java.sql.Date.valueOf(month.atDay(1)))
			.query(Boolean.class)
			.single());
	}

	/** The monthly partitions attached to {@code table}, oldest first (DEFAULT not). */
	public static List<Partition> of(JdbcClient jdbc, String table) {
		String prefix = checked(table) + "_";
		return jdbc.sql("""
				select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
				where i.inhparent = cast(:table as regclass) and c.relname ~ ('^' || :table || '_[0-9]{6}$')""")
			.param("table", table)
			.query(String.class)
			.list()
			.stream()
			.map(name -> new Partition(name, YearMonth.parse(name.substring(prefix.length()), SUFFIX)))
			.sorted(Comparator.comparing(Partition::month))
			.toList();
	}

	/** What the owning module does with a month it retires: its policy. */
	public interface Retirement {

		/**
		 * Before the month is detached, outside its transaction: what elsewhere must go
		 * first (rows that name the month's rows).
		 */
		default void before(Partition month) {
		}

		/**
		 * Just after the month is detached, in the same transaction: drop it, or guard it
		 * as an archive.
		 */
		void detached(Partition month);

	}

	/**
	 * Detaches every month of {@code table} that ended at or before {@code cut}, oldest
	 * first, each in a transaction of its own under the partition lock; a month another
	 * node retired meanwhile is skipped. Detaching waits for the writes in flight and
	 * holds new ones meanwhile: never for long (a lock timeout of 5 s; the next night
	 * tries again). The names of the months it detached.
	 */
	public static List<String> retire(JdbcClient jdbc, TransactionTemplate transactions, String table, Instant cut,
			Retirement retirement) {
		List<String> retired = new ArrayList<>();
		for (Partition month : of(jdbc, table)) {
			if (month.to().isAfter(cut)) {
				break;
			}
			retirement.before(month);
			boolean done = Boolean.TRUE.equals(transactions.execute(status -> {
				lock(jdbc, table);
				if (of(jdbc, table).stream().noneMatch(p -> p.name().equals(month.name()))) {
					return false;
				}
				jdbc.sql("set local lock_timeout = '5s'").update();
				jdbc.sql("alter table " + checked(table) + " detach partition " + checked(month.name())).update();
				retirement.detached(month);
				return true;
			}));
			if (done) {
				retired.add(month.name());
			}
		}
		return retired;
	}

	/**
	 * Takes the lock {@code create_month_partition} takes for {@code table}, until the
	 * end of the caller's transaction: one node at a time changes its partitions.
	 */
	public static void lock(JdbcClient jdbc, String table) {
		jdbc.sql("select pg_advisory_xact_lock(hashtext('month_partition'), hashtext(:table))")
			.param("table", checked(table))
			.query()
			.listOfRows();
	}

	/** Whether the partition still exists (another node may have dropped it). */
	public static boolean exists(JdbcClient jdbc, String partition) {
		return jdbc.sql("select to_regclass(:name) is not null")
			.param("name", checked(partition))
			.query(Boolean.class)
			.single();
	}

	/**
	 * A table or partition name made of lower-case letters, digits and underscores only,
	 * so it can go into DDL as it is.
	 */
	public static String checked(String name) {
		if (!TABLE.matcher(name.replaceAll("[0-9]", "")).matches()) {
			throw new IllegalArgumentException("not a plain table name: " + name);
		}
		return name;
	}

}
