package org.fangxian.stock.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import org.fangxian.shared.PersonalDataPurge;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Protective stock's personal data for the purge: the name of whoever received an issue
 * before the cut-off. The ledger's rows stay (balances are sums of them); only the
 * recipient goes.
 */
@Component
class StockDataPurge implements PersonalDataPurge {

	private final JdbcClient jdbc;

	StockDataPurge(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String module() {
		return "stock";
	}

	@Override
	public Map<String, Long> purge(Instant before, String path, String end) {
		Timestamp cut = Timestamp.from(before);
		return Map.of("stock_movement", PersonalDataPurge.inBatches(() -> this.jdbc.sql("""
				update stock_movement set recipient = null where id in (
				  select m.id from stock_movement m join stock_store s on s.id = m.store_id
				  where s.path ~>=~ :path and s.path ~<~ :end and m.created_at < :before and m.recipient is not null
				  limit %d)""".formatted(BATCH)).param("before", cut).param("path", path).param("end", end).update()));
	}

}
