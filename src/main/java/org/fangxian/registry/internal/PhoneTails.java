package org.fangxian.registry.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.FullWidth;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The last four digits of a phone, as workers ask for them ("尾号 1234"), kept only as a
 * keyed hash (the lookup HMAC over {@code PHONE_TAIL:} and the digits), never in clear.
 * Rows written before the column existed (V80) are filled here in small batches: only the
 * application holds the key.
 */
@Component
public class PhoneTails {

	/** "尾号1234", "尾号 1234", "*1234", "****1234": the four digits. */
	private static final Pattern QUERY = Pattern.compile("^(?:尾号|手机尾号|电话尾号|\\*+)\\s*(\\d{4})$");

	static final int BATCH = 500;

	/**
	 * A batch claimed until its transaction ends, skipping rows another node holds.
	 * {@code for no key update}, not {@code for update}: the tail is no key, so a scan or
	 * a test result that refers to the resident meanwhile (its foreign key's
	 * {@code for key share}) goes on instead of waiting for the batch's 500 updates and
	 * commit (issue 17).
	 */
	static final String CLAIM = """
			select id, phone_cipher from resident
			where phone_cipher is not null and phone_tail_hash is null
			order by id limit :n for no key update skip locked""";

	private final PersonalDataProtection protection;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	PhoneTails(PersonalDataProtection protection, JdbcClient jdbc, TransactionTemplate transactions) {
		this.protection = protection;
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/** The hash of a normalized phone's last four digits; null without a phone. */
	public byte[] hash(String phone) {
		if (phone == null || phone.length() < 4) {
			return null;
		}
		return tail(phone.substring(phone.length() - 4));
	}

	/** The hash for a search, when the query asks for a phone's last four digits. */
	public java.util.Optional<byte[]> query(String query) {
		Matcher m = QUERY.matcher(FullWidth.clean(query));
		return m.matches() ? java.util.Optional.of(tail(m.group(1))) : java.util.Optional.empty();
	}

	private byte[] tail(String digits) {
		return this.protection.lookupHash("PHONE_TAIL:" + digits);
	}

	/**
	 * Whether some stored phone has no tail hash yet (rows written before V80, until
	 * {@link #backfill} reaches them): one probe of the partial index of those.
	 */
	public boolean pending() {
		return this.jdbc
			.sql("select exists (select 1 from resident where phone_cipher is not null and phone_tail_hash is null)")
			.query(Boolean.class)
			.single();
	}

	/**
	 * Fills the tail hash of rows that have a phone but no tail yet, a batch per
	 * transaction (skipping rows another node is filling); returns how many it filled.
	 */
	public int backfill() {
		int total = 0;
		while (true) {
			Integer done = this.transactions.execute(status -> {
				List<Object[]> rows = this.jdbc.sql(CLAIM)
					.param("n", BATCH)
					.query((rs, i) -> new Object[] { rs.getLong(1), rs.getBytes(2) })
					.list();
				for (Object[] row : rows) {
					this.jdbc.sql("update resident set phone_tail_hash = :tail where id = :id")
						.param("tail", hash(this.protection.decrypt((byte[]) row[1])))
						.param("id", row[0])
						.update();
				}
				return rows.size();
			});
			total += (done == null) ? 0 : done;
			if (done == null || done < BATCH) {
				return total;
			}
		}
	}

	@Scheduled(initialDelay = 20_000, fixedDelay = 3_600_000)
	void backfillScheduled() {
		backfill();
	}

}
