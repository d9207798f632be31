package org.fangxian.stock;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.DivisionTree;
import org.fangxian.reporting.FigureSource;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Protective stock over the integration contract's exact routes: the balance never goes
 * below zero (also under many concurrent issues), a retried request books once, bad input
 * is a 4xx problem, and every store is inside the caller's jurisdiction.
 */
class StockTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	record Answer(int status, JsonNode body, String replayed) {
	}

	TestData.Tree tree;

	RestClient worker;

	@Autowired
	StockLedger ledger;

	@Autowired
	List<FigureSource> figureSources;

	@Autowired
	DivisionTree divisions;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = client(Role.COMMUNITY_WORKER, this.tree.communityA1());
	}

	RestClient client(Role role, TestData.NodeRef node) {
		String token = this.data.token(baseUrl(), this.data.account(role, node));
		return RestClient.builder().baseUrl(baseUrl()).defaultHeader("Authorization", "Bearer " + token).build();
	}

	static Answer post(RestClient client, String path, String json, String idempotencyKey) {
		return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).headers(h -> {
			if (idempotencyKey != null) {
				h.add("Idempotency-Key", idempotencyKey);
			}
		}).body(json).exchange((request, response) -> {
			byte[] bytes = response.getBody().readAllBytes();
			return new Answer(response.getStatusCode().value(), bytes.length == 0 ? null : JSON.readTree(bytes),
					response.getHeaders().getFirst("Idempotency-Replayed"));
		});
	}

	static Answer post(RestClient client, String path, String json) {
		return post(client, path, json, null);
	}

	static Answer get(RestClient client, String path) {
		return client.get()
			.uri(path)
			.exchange((request, response) -> new Answer(response.getStatusCode().value(),
					JSON.readTree(response.getBody().readAllBytes()), null));
	}

	long store(RestClient client, TestData.NodeRef node, String name) {
		Answer created = post(client, "/api/v1/stores", "{\"nodeId\":" + node.id() + ",\"name\":\"" + name + "\"}");
		assertThat(created.status()).as("%s", created).isEqualTo(201);
		return created.body().get("id").asLong();
	}

	static String movement(String item, Object quantity, String reason) {
		return "{\"item\":\"" + item + "\",\"quantity\":" + quantity + ",\"reason\":\"" + reason + "\"}";
	}

	int balance(long store, String item) {
		return this.jdbc.sql("""
				select coalesce(sum(b.quantity), 0) from stock_balance b join stock_item i on i.id = b.item_id
				where b.store_id = :store and i.name = :item""")
			.param("store", store)
			.param("item", item)
			.query(Integer.class)
			.single();
	}

	long movements(long store) {
		return this.jdbc.sql("select count(*) from stock_movement where store_id = :store")
			.param("store", store)
			.query(Long.class)
			.single();
	}

	@Test
	void receivesAndIssuesAndRefusesToGoBelowZeroWritingNothing() {
		long store = store(this.worker, this.tree.communityA1(), "社区物资库");
		Answer in = post(this.worker, "/api/v1/stores/" + store + "/movements", movement("N95口罩", 100, "区里调拨"));
		assertThat(in.status()).isEqualTo(201);
		assertThat(in.body().get("balance").asInt()).isEqualTo(100);
		Answer out = post(this.worker, "/api/v1/stores/" + store + "/movements",
				"{\"item\":\"N95口罩\",\"quantity\":-30,\"reason\":\"卡点值班\",\"recipient\":\"张三\"}");
		assertThat(out.status()).isEqualTo(201);
		assertThat(out.body().get("balance").asInt()).isEqualTo(70);

		Answer tooMuch = post(this.worker, "/api/v1/stores/" + store + "/movements", movement("N95口罩", -71, "卡点值班"));
		assertThat(tooMuch.status()).isEqualTo(409);
		assertThat(tooMuch.body().get("code").asString()).isEqualTo("stock.shortage");
		assertThat(balance(store, "N95口罩")).isEqualTo(70);
		assertThat(movements(store)).isEqualTo(2);

		// The ledger: newest first, the recipient kept for the page to mask.
		JsonNode view = get(this.worker, "/api/v1/stores/" + store).body();
		assertThat(view.get("ledger")).hasSize(2);
		assertThat(view.get("ledger").get(0).get("quantity").asInt()).isEqualTo(-30);
		assertThat(view.get("ledger").get(0).get("kind").asString()).isEqualTo("ISSUE");
		assertThat(view.get("ledger").get(0).get("reason").asString()).isEqualTo("卡点值班");
		assertThat(view.get("balances").get(0).get("quantity").asInt()).isEqualTo(70);
		// Audited.
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'STOCK_ISSUED' and target_id = :id")
			.param("id", String.valueOf(store))
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void theDatabaseRefusesANegativeBalanceEvenWithoutTheService() {
		long store = store(this.worker, this.tree.communityA1(), "库");
		post(this.worker, "/api/v1/stores/" + store + "/movements", movement("防护服", 5, "调拨"));
		assertThatThrownBy(() -> this.jdbc.sql("update stock_balance set quantity = quantity - 6 where store_id = :s")
			.param("s", store)
			.update()).isInstanceOf(DataIntegrityViolationException.class);
	}

	@Test
	void manyConcurrentIssuesNeverTakeTheBalanceBelowZero() throws Exception {
		long store = store(this.worker, this.tree.communityA1(), "并发库");
		post(this.worker, "/api/v1/stores/" + store + "/movements", movement("医用外科口罩", 25, "调拨"));
		int threads = 40;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Integer>> answers = new ArrayList<>();
		try {
			for (int i = 0; i < threads; i++) {
				int n = i;
				Callable<Integer> call = () -> {
					start.await();
					// Two different sizes, so a lost update would show in the sum.
					return post(this.worker, "/api/v1/stores/" + store + "/movements",
							movement("医用外科口罩", n % 2 == 0 ? -1 : -2, "并发领用"))
						.status();
				};
				answers.add(pool.submit(call));
			}
			start.countDown();
			int ok = 0;
			int refused = 0;
			for (Future<Integer> answer : answers) {
				int status = answer.get();
				assertThat(status).isIn(201, 409);
				if (status == 201) {
					ok++;
				}
				else {
					refused++;
				}
			}
			assertThat(ok + refused).isEqualTo(threads);
			assertThat(refused).as("not everyone can be served from 25").isPositive();
		}
		finally {
			pool.shutdownNow();
		}
		int left = balance(store, "医用外科口罩");
		int issued = this.jdbc
			.sql("select -coalesce(sum(quantity), 0) from stock_movement where store_id = :s and kind = 'ISSUE'")
			.param("s", store)
			.query(Integer.class)
			.single();
		assertThat(left).isBetween(0, 1);
		assertThat(issued + left).isEqualTo(25);
		// Every ledger line's balance is the one before it minus its own quantity: no two
		// issues saw the same balance.
		List<Map<String, Object>> lines = this.jdbc
			.sql("select quantity, balance_after from stock_movement where store_id = :s order by id")
			.param("s", store)
			.query()
			.listOfRows();
		int running = 0;
		for (Map<String, Object> line : lines) {
			running += ((Number) line.get("quantity")).intValue();
			assertThat(((Number) line.get("balance_after")).intValue()).isEqualTo(running);
		}
	}

	@Test
	void aRetriedMovementWithTheSameIdempotencyKeyIsBookedOnce() {
		long store = store(this.worker, this.tree.communityA1(), "重试库");
		post(this.worker, "/api/v1/stores/" + store + "/movements", movement("护目镜", 10, "调拨"));
		String key = java.util.UUID.randomUUID().toString();
		Answer first = post(this.worker, "/api/v1/stores/" + store + "/movements", movement("护目镜", -3, "领用"), key);
		Answer retry = post(this.worker, "/api/v1/stores/" + store + "/movements", movement("护目镜", -3, "领用"), key);
		assertThat(first.status()).isEqualTo(201);
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.replayed()).isEqualTo("true");
		assertThat(retry.body().get("balance").asInt()).isEqualTo(7);
		assertThat(balance(store, "护目镜")).isEqualTo(7);
		assertThat(movements(store)).isEqualTo(2);
	}

	@Test
	void badInputIsAProblemAndWritesNothing() {
		long store = store(this.worker, this.tree.communityA1(), "校验库");
		post(this.worker, "/api/v1/stores/" + store + "/movements", movement("鞋套", 10, "调拨"));
		String path = "/api/v1/stores/" + store + "/movements";
		Answer zero = post(this.worker, path, movement("鞋套", 0, "领用"));
		assertThat(zero.status()).isEqualTo(400);
		assertThat(zero.body().get("code").asString()).isEqualTo("stock.movement.quantity");
		assertThat(zero.body().get("errors").get(0).get("field").asString()).isEqualTo("quantity");
		Answer text = post(this.worker, path, movement("鞋套", "\"十个\"", "领用"));
		assertThat(text.status()).isEqualTo(400);
		assertThat(text.body().has("code")).isTrue();
		Answer unknown = post(this.worker, path, movement("不存在的物资", -1, "领用"));
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.body().get("code").asString()).isEqualTo("stock.item.unknown");
		Answer noReason = post(this.worker, path, "{\"item\":\"鞋套\",\"quantity\":-1}");
		assertThat(noReason.status()).isEqualTo(400);
		assertThat(noReason.body().get("code").asString()).isEqualTo("stock.movement.reason");
		Answer noBody = post(this.worker, path, "");
		assertThat(noBody.status()).isEqualTo(400);
		Answer noName = post(this.worker, "/api/v1/stores", "{\"nodeId\":" + this.tree.communityA1().id() + "}");
		assertThat(noName.status()).isEqualTo(400);
		assertThat(noName.body().get("code").asString()).isEqualTo("stock.store.name");
		Answer missing = post(this.worker, "/api/v1/stores/9000000000000/movements", movement("鞋套", 1, "调拨"));
		assertThat(missing.status()).isEqualTo(404);
		assertThat(balance(store, "鞋套")).isEqualTo(10);
		assertThat(movements(store)).isEqualTo(1);
		// A new item comes with its first receipt, in the unit given.
		Answer newItem = post(this.worker, path,
				"{\"item\":\"测温枪" + store + "\",\"quantity\":2,\"reason\":\"捐赠\",\"unit\":\"把\"}");
		assertThat(newItem.status()).isEqualTo(201);
	}

	@Test
	void storesAreScopedToTheCallersJurisdiction() {
		long mine = store(this.worker, this.tree.communityA1(), "本社区库");
		RestClient other = client(Role.COMMUNITY_WORKER, this.tree.communityA2());
		long theirs = store(other, this.tree.communityA2(), "邻社区库");
		assertThat(
				post(this.worker, "/api/v1/stores", "{\"nodeId\":" + this.tree.communityA2().id() + ",\"name\":\"x\"}")
					.status())
			.isEqualTo(403);
		assertThat(post(this.worker, "/api/v1/stores/" + theirs + "/movements", movement("鞋套", 1, "调拨")).status())
			.isEqualTo(403);
		assertThat(get(this.worker, "/api/v1/stores/" + theirs).status()).isEqualTo(403);
		JsonNode list = get(this.worker, "/api/v1/stores?code=" + this.tree.communityA1().code()).body();
		assertThat(list).hasSize(1);
		assertThat(list.get(0).get("id").asLong()).isEqualTo(mine);
		// The street sees both of its communities' stores.
		RestClient street = client(Role.STREET_ADMIN, this.tree.streetA());
		assertThat(get(street, "/api/v1/stores?code=" + this.tree.streetA().code()).body()).hasSize(2);
		// A volunteer keeps no stock.
		assertThat(post(client(Role.VOLUNTEER, this.tree.communityA1()), "/api/v1/stores/" + mine + "/movements",
				movement("鞋套", 1, "调拨"))
			.status()).isEqualTo(403);
	}

	@Test
	void aThresholdRaisesAndClearsALowStockAlertShownOnTheDashboard() {
		long store = store(this.worker, this.tree.communityA1(), "预警库");
		String path = "/api/v1/stores/" + store + "/movements";
		post(this.worker, path, movement("乳胶手套", 30, "调拨"));
		assertThat(post(this.worker, "/api/v1/stores/" + store + "/thresholds", "{\"item\":\"乳胶手套\",\"threshold\":20}")
			.status()).isEqualTo(204);
		assertThat(openAlerts(store)).isZero();
		post(this.worker, path, movement("乳胶手套", -15, "领用"));
		assertThat(openAlerts(store)).isEqualTo(1);
		post(this.worker, path, movement("乳胶手套", -5, "领用"));
		assertThat(openAlerts(store)).isEqualTo(1);
		JsonNode list = get(this.worker, "/api/v1/stores?code=" + this.tree.communityA1().code()).body();
		assertThat(list.get(0).get("lowItems").asInt()).isEqualTo(1);

		FigureSource figures = this.figureSources.stream()
			.filter(f -> f.section().equals("stock"))
			.findFirst()
			.orElseThrow();
		CurrentUser hq = this.data.user(Role.HQ_ADMIN, this.tree.district());
		assertThat(figures.figures(hq, this.divisions.node(hq, this.tree.streetA().id()), LocalDate.now()))
			.containsEntry("lowStockStores", 1L)
			.containsEntry("lowStockItems", 1L);
		assertThat(figures.figures(hq, this.divisions.node(hq, this.tree.streetB().id()), LocalDate.now()))
			.containsEntry("lowStockStores", 0L);

		post(this.worker, path, movement("乳胶手套", 50, "补货"));
		assertThat(openAlerts(store)).isZero();
		assertThat(this.jdbc.sql("select count(*) from stock_alert where store_id = :s and cleared_at is not null")
			.param("s", store)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	long openAlerts(long store) {
		return this.jdbc.sql("select count(*) from stock_alert where store_id = :s and cleared_at is null")
			.param("s", store)
			.query(Long.class)
			.single();
	}

	@Test
	void aStockTakeRecordsTheDifferencesAndBooksThem() {
		long store = store(this.worker, this.tree.communityA1(), "盘点库");
		String path = "/api/v1/stores/" + store + "/movements";
		post(this.worker, path, movement("消毒液", 20, "调拨"));
		post(this.worker, path, movement("隔离衣", 8, "调拨"));
		Answer take = post(this.worker, "/api/v1/stores/" + store + "/stocktakes",
				"{\"note\":\"月底\",\"counts\":[{\"item\":\"消毒液\",\"counted\":17},{\"item\":\"隔离衣\",\"counted\":8}]}");
		assertThat(take.status()).as("%s", take).isEqualTo(201);
		JsonNode lines = take.body().get("lines");
		assertThat(lines.get(0).get("expected").asInt()).isEqualTo(20);
		assertThat(lines.get(0).get("difference").asInt()).isEqualTo(-3);
		assertThat(lines.get(1).get("difference").asInt()).isZero();
		assertThat(balance(store, "消毒液")).isEqualTo(17);
		assertThat(this.jdbc.sql("""
				select count(*) from stock_movement where store_id = :s and kind = 'ADJUSTMENT' and quantity = -3""")
			.param("s", store)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql("select difference from stock_take_line where take_id = :t order by difference")
			.param("t", take.body().get("id").asLong())
			.query(Integer.class)
			.list()).containsExactly(-3, 0);
		assertThat(post(this.worker, "/api/v1/stores/" + store + "/stocktakes",
				"{\"counts\":[{\"item\":\"消毒液\",\"counted\":-1}]}")
			.status()).isEqualTo(400);
	}

	@Test
	void kitComesFromTheNearestStoreUpTheTree() {
		RestClient street = client(Role.STREET_ADMIN, this.tree.streetA());
		long streetStore = store(street, this.tree.streetA(), "街道库");
		post(street, "/api/v1/stores/" + streetStore + "/movements", movement("N95口罩", 10, "调拨"));
		String post = this.tree.communityA1().path() + "999/";
		StockLedger.KitIssue issued = this.ledger.issueNearest(post, "N95口罩", 2, "李四", "值班防护", null);
		assertThat(issued.outcome()).isEqualTo(StockLedger.Outcome.ISSUED);
		assertThat(issued.storeId()).isEqualTo(streetStore);
		assertThat(issued.balance()).isEqualTo(8);
		long communityStore = store(this.worker, this.tree.communityA1(), "社区库");
		post(this.worker, "/api/v1/stores/" + communityStore + "/movements", movement("N95口罩", 1, "调拨"));
		assertThat(this.ledger.issueNearest(post, "N95口罩", 1, "李四", "值班防护", null).storeId()).isEqualTo(communityStore);
		StockLedger.KitIssue short_ = this.ledger.issueNearest(post, "N95口罩", 1, "李四", "值班防护", null);
		assertThat(short_.outcome()).isEqualTo(StockLedger.Outcome.SHORT);
		assertThat(short_.balance()).isZero();
		assertThat(this.ledger.issueNearest(this.tree.streetB().path(), "N95口罩", 1, "李四", "值班防护", null).outcome())
			.isEqualTo(StockLedger.Outcome.NO_STORE);
		assertThat(this.ledger.issueNearest(post, "没有的物资", 1, "李四", "值班防护", null).outcome())
			.isEqualTo(StockLedger.Outcome.UNKNOWN_ITEM);
		assertThat(this.ledger.knows("N95口罩")).isTrue();
	}

}
