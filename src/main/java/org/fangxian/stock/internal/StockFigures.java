package org.fangxian.stock.internal;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fangxian.registry.Node;
import org.fangxian.reporting.FigureSource;
import org.fangxian.security.CurrentUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stock's figures on the dashboard and in the daily report: stores short of stock and
 * items below their threshold, from the open low-stock alerts (库存预警) of the subtree. The
 * alerts are the state of now, so every day shows the same figures.
 */
@Component
class StockFigures implements FigureSource {

	private final JdbcClient jdbc;

	StockFigures(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String section() {
		return "stock";
	}

	@Override
	public Map<String, Long> figures(CurrentUser user, Node node, LocalDate day) {
		Map<String, Long> figures = new LinkedHashMap<>();
		this.jdbc.sql("""
				select count(distinct store_id) as stores, count(*) as items from stock_alert
				where cleared_at is null and path >= :path and path < :end""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.query((rs, n) -> {
				figures.put("lowStockStores", rs.getLong("stores"));
				figures.put("lowStockItems", rs.getLong("items"));
				return null;
			})
			.list();
		return figures;
	}

}
