package org.fangxian.stock;

import java.util.List;
import java.util.Map;

import org.fangxian.security.MatrixRows;

import static org.fangxian.security.Permission.MANAGE_STOCK;

/**
 * Stock's rows of the authorization matrix (防护物资, issue 16): stores of the place's
 * community; each write books on the place's own store (see {@link #stockStore}).
 */
class StockMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(
				api("POST", "/api/v1/stores", needs(MANAGE_STOCK), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/stores",
								Map.of("nodeId", String.valueOf(p.community().id()), "name", unique("Store"))),
						null),
				api("GET", "/api/v1/stores?code={code}", needs(MANAGE_STOCK), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/stores?code=" + p.community().code()), p -> stockStore(p).name()),
				api("GET", "/api/v1/stores/{id}", needs(MANAGE_STOCK), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/stores/" + stockStore(p).id()), p -> stockStore(p).name()),
				api("POST", "/api/v1/stores/{id}/movements", needs(MANAGE_STOCK), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/stores/" + stockStore(p).id() + "/movements",
								Map.of("item", "N95口罩", "quantity", 1, "reason", "调拨")),
						p -> "\"balance\""),
				api("POST", "/api/v1/stores/{id}/thresholds", needs(MANAGE_STOCK), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/stores/" + stockStore(p).id() + "/thresholds",
								Map.of("item", "N95口罩", "threshold", 5)),
						null),
				api("POST", "/api/v1/stores/{id}/stocktakes", needs(MANAGE_STOCK), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/stores/" + stockStore(p).id() + "/stocktakes",
								Map.of("counts", List.of(Map.of("item", "防护服", "counted", 0)))),
						p -> "\"difference\""));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(
				page("GET", "/stock?code={code}", needs(MANAGE_STOCK), SCOPED, 200,
						(c, p) -> Call.get("/stock?code=" + p.community().code()), p -> stockStore(p).name()),
				page("POST", "/stock/stores", needs(MANAGE_STOCK), SCOPED, 302,
						(c, p) -> Call.form("/stock/stores",
								Map.of("code", p.community().code(), "name", unique("Store"))),
						null),
				page("GET", "/stock/stores/{id}", needs(MANAGE_STOCK), SCOPED, 200,
						(c, p) -> Call.get("/stock/stores/" + stockStore(p).id()), p -> stockStore(p).name()),
				page("POST", "/stock/stores/{id}/movements", needs(MANAGE_STOCK), SCOPED, 302,
						(c, p) -> Call.form("/stock/stores/" + stockStore(p).id() + "/movements",
								Map.of("item", "N95口罩", "direction", "in", "quantity", "1", "reason", "调拨")),
						null),
				page("POST", "/stock/stores/{id}/thresholds", needs(MANAGE_STOCK), SCOPED, 302,
						(c, p) -> Call.form("/stock/stores/" + stockStore(p).id() + "/thresholds",
								Map.of("item", "N95口罩", "threshold", "5")),
						null),
				page("POST", "/stock/stores/{id}/stocktakes", needs(MANAGE_STOCK), SCOPED, 200, (c, p) -> Call
					.form("/stock/stores/" + stockStore(p).id() + "/stocktakes", Map.of("item", "防护服", "counted", "0")),
						p -> "take-report"));
	}

	/** One store per place, written straight to the table. */
	record StockStore(long id, String name) {
	}

	private final Map<String, StockStore> stockStores = new java.util.concurrent.ConcurrentHashMap<>();

	private StockStore stockStore(Place place) {
		return this.stockStores.computeIfAbsent(place.label(), label -> {
			String name = unique("Store");
			long id = this.jdbc.sql("""
					insert into stock_store (node_id, path, name, kind, created_by)
					values (:node, :path, :name, 'COMMUNITY', 0) returning id""")
				.param("node", place.community().id())
				.param("path", place.community().path())
				.param("name", name)
				.query(Long.class)
				.single();
			return new StockStore(id, name);
		});
	}

}
