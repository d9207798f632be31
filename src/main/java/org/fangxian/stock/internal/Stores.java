package org.fangxian.stock.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.stock.Shortage;
import org.fangxian.stock.StockLedger;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores (物资库) and their ledger (台账): every movement locks the balance row of its store
 * and item, so concurrent issues queue on it and none takes the balance below zero (the
 * table's check refuses it too); a movement, its ledger line and its alert are written in
 * one transaction or not at all.
 */
@Service
public class Stores implements StockLedger {

	/** The largest quantity one movement may carry; a typo of many zeros is refused. */
	static final int MAX_QUANTITY = 1_000_000;

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final ApplicationEventPublisher events;

	Stores(JdbcClient jdbc, DivisionTree tree, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.events = events;
	}

	public record NewStore(Long nodeId, String name, Boolean team) {
	}

	public record Created(long id) {
	}

	public record NewMovement(String item, Integer quantity, String reason, String recipient, String unit) {
	}

	public record Moved(long id, int balance) {
	}

	public record Store(long id, long nodeId, String path, String name, String kind) {
	}

	public record Balance(long itemId, String item, String unit, int quantity, Integer threshold) {

		public boolean low() {
			return this.threshold != null && this.quantity < this.threshold;
		}

	}

	/** A store in a list, with how many of its items are below their threshold. */
	public record StoreSummary(long id, String path, String name, String kind, String nodeName, int items,
			int lowItems) {
	}

	public record Movement(long id, String item, String unit, int quantity, int balanceAfter, String kind,
			String reason, String recipient, Long takeId, OffsetDateTime at) {
	}

	public record Count(String item, Integer counted) {
	}

	public record NewTake(List<Count> counts, String note) {
	}

	public record TakeLine(String item, String unit, int expected, int counted, int difference) {
	}

	public record Take(long id, List<TakeLine> lines) {
	}

	public record Item(long id, String name, String unit) {
	}

	public record NewThreshold(String item, Integer threshold) {
	}

	// ------------------------------------------------------------------ stores

	@Transactional
	public Created create(CurrentUser user, NewStore body) {
		user.require(Permission.MANAGE_STOCK);
		if (body == null || body.nodeId() == null) {
			throw new InvalidInput("nodeId", "stock.store.node");
		}
		Node node = this.tree.node(user, body.nodeId());
		String name = body.name() == null ? "" : body.name().strip();
		if (name.isEmpty() || name.length() > 100) {
			throw new InvalidInput("name", "stock.store.name");
		}
		String kind = Boolean.TRUE.equals(body.team()) ? "TEAM" : switch (node.kind()) {
			case DISTRICT -> "DISTRICT";
			case STREET -> "STREET";
			case COMMUNITY -> "COMMUNITY";
			default -> "OTHER";
		};
		Optional<Long> id = this.jdbc.sql("""
				insert into stock_store (node_id, path, name, kind, created_by)
				values (:node, :path, :name, :kind, :by)
				on conflict (node_id, name) do nothing
				returning id""")
			.param("node", node.id())
			.param("path", node.path())
			.param("name", name)
			.param("kind", kind)
			.param("by", user.accountId())
			.query(Long.class)
			.optional();
		if (id.isEmpty()) {
			throw new InvalidInput("name", "stock.store.taken", name);
		}
		this.events.publishEvent(AuditEvent.of(user, "STOCK_STORE_CREATED", "stock_store", id.get(), kind));
		return new Created(id.get());
	}

	public Store get(CurrentUser user, long id) {
		user.require(Permission.MANAGE_STOCK);
		Store store = this.jdbc.sql("select id, node_id, path, name, kind from stock_store where id = :id")
			.param("id", id)
			.query(Stores::store)
			.optional()
			.orElseThrow(() -> new NotFound("stock.store.notFound"));
		user.requireCovers(store.path());
		return store;
	}

	private static Store store(ResultSet rs, int row) throws SQLException {
		return new Store(rs.getLong("id"), rs.getLong("node_id"), rs.getString("path"), rs.getString("name"),
				rs.getString("kind"));
	}

	/** The node a page or list is about: the one named by code, or the caller's own. */
	public Node placeOf(CurrentUser user, String code) {
		user.require(Permission.MANAGE_STOCK);
		if (code != null && !code.isBlank()) {
			return this.tree.nodeByCode(user, code.strip());
		}
		if (user.nodeId() == null) {
			throw new InvalidInput("code", "stock.codeRequired");
		}
		return this.tree.node(user, user.nodeId());
	}

	/** The stores of a node's subtree, nearest the top first. */
	public List<StoreSummary> within(CurrentUser user, Node node) {
		user.require(Permission.MANAGE_STOCK);
		user.requireCovers(node.path());
		List<StoreSummary> stores = this.jdbc.sql("""
				select s.id, s.path, s.name, s.kind, s.node_id,
				       count(b.item_id) filter (where b.quantity > 0) as items,
				       count(b.item_id) filter (where b.quantity < b.low_threshold) as low_items
				from stock_store s left join stock_balance b on b.store_id = s.id
				where s.path like :subtree
				group by s.id order by length(s.path), s.path, s.name""")
			.param("subtree", node.path() + "%")
			.query((rs, n) -> new StoreSummary(rs.getLong("id"), rs.getString("path"), rs.getString("name"),
					rs.getString("kind"), String.valueOf(rs.getLong("node_id")), rs.getInt("items"),
					rs.getInt("low_items")))
			.list();
		Map<String, String> names = new HashMap<>();
		return stores.stream().map(s -> {
			String nodeName = names.computeIfAbsent(s.nodeName(),
					nodeId -> this.tree.node(user, Long.parseLong(nodeId)).name());
			return new StoreSummary(s.id(), s.path(), s.name(), s.kind(), nodeName, s.items(), s.lowItems());
		}).toList();
	}

	public List<Balance> balances(CurrentUser user, long storeId) {
		get(user, storeId);
		return this.jdbc.sql("""
				select i.id, i.name, i.unit, b.quantity, b.low_threshold
				from stock_balance b join stock_item i on i.id = b.item_id
				where b.store_id = :store order by i.name""")
			.param("store", storeId)
			.query((rs, n) -> new Balance(rs.getLong("id"), rs.getString("name"), rs.getString("unit"),
					rs.getInt("quantity"), (Integer) rs.getObject("low_threshold", Integer.class)))
			.list();
	}

	/** The store's ledger, newest first. */
	public List<Movement> ledger(CurrentUser user, long storeId, int limit) {
		get(user, storeId);
		return this.jdbc.sql("""
				select m.id, i.name, i.unit, m.quantity, m.balance_after, m.kind, m.reason, m.recipient, m.take_id,
				       m.created_at
				from stock_movement m join stock_item i on i.id = m.item_id
				where m.store_id = :store order by m.id desc limit :limit""")
			.param("store", storeId)
			.param("limit", Math.max(1, Math.min(limit, 1000)))
			.query((rs, n) -> new Movement(rs.getLong("id"), rs.getString("name"), rs.getString("unit"),
					rs.getInt("quantity"), rs.getInt("balance_after"), rs.getString("kind"), rs.getString("reason"),
					rs.getString("recipient"), (Long) rs.getObject("take_id", Long.class),
					rs.getObject("created_at", OffsetDateTime.class)))
			.list();
	}

	public List<Item> items() {
		return this.jdbc.sql("select id, name, unit from stock_item order by id")
			.query((rs, n) -> new Item(rs.getLong("id"), rs.getString("name"), rs.getString("unit")))
			.list();
	}

	// ------------------------------------------------------------------ movements

	/**
	 * A movement in (positive) or out (negative). An unknown item comes into the
	 * catalogue with its first receipt; going out it is an error.
	 */
	@Transactional
	public Moved move(CurrentUser user, long storeId, NewMovement body) {
		Store store = get(user, storeId);
		if (body == null) {
			throw new InvalidInput("quantity", "stock.movement.quantity");
		}
		int quantity = quantity(body.quantity());
		String reason = text(body.reason(), "reason", 200, "stock.movement.reason");
		String recipient = body.recipient() == null || body.recipient().isBlank() ? null : body.recipient().strip();
		if (recipient != null && recipient.length() > 50) {
			throw new InvalidInput("recipient", "stock.movement.recipient");
		}
		if (recipient != null && quantity > 0) {
			throw new InvalidInput("recipient", "stock.movement.recipientIn");
		}
		Item item = quantity > 0 ? itemForReceipt(body.item(), body.unit()) : knownItem(body.item());
		Moved moved = book(store.id(), item, quantity, quantity > 0 ? "RECEIPT" : "ISSUE", reason, recipient, null,
				user.accountId());
		this.events.publishEvent(AuditEvent.of(user, quantity > 0 ? "STOCK_RECEIVED" : "STOCK_ISSUED", "stock_store",
				store.id(), item.name() + " " + quantity + " → " + moved.balance()));
		return moved;
	}

	@Override
	@Transactional
	public KitIssue issueNearest(String path, String item, int quantity, String recipient, String reason,
			Long actorId) {
		if (quantity <= 0 || quantity > MAX_QUANTITY) {
			throw new IllegalArgumentException("quantity " + quantity);
		}
		Optional<Item> known = item == null ? Optional.empty() : findItem(item.strip());
		if (known.isEmpty()) {
			return new KitIssue(Outcome.UNKNOWN_ITEM, null, null, null, null);
		}
		Optional<Store> nearest = this.jdbc.sql("""
				select id, node_id, path, name, kind from stock_store
				where :path like path || '%'
				order by length(path) desc, id limit 1""").param("path", path).query(Stores::store).optional();
		if (nearest.isEmpty()) {
			return new KitIssue(Outcome.NO_STORE, null, null, null, null);
		}
		Store store = nearest.get();
		String who = recipient == null || recipient.isBlank() ? null : recipient.strip();
		if (who != null && who.length() > 50) {
			who = who.substring(0, 50);
		}
		String why = reason == null || reason.isBlank() ? "值班防护" : reason.strip();
		Moved moved;
		try {
			// Caught here, inside the bean, so the caller's transaction is not marked
			// for rollback.
			moved = book(store.id(), known.get(), -quantity, "ISSUE", why.length() > 200 ? why.substring(0, 200) : why,
					who, null, actorId);
		}
		catch (Shortage ex) {
			return new KitIssue(Outcome.SHORT, store.id(), store.name(), ex.balance(), null);
		}
		this.events.publishEvent(new AuditEvent(actorId == null ? "duty-link" : "account:" + actorId, actorId,
				"STOCK_ISSUED", "stock_store", String.valueOf(store.id()),
				known.get().name() + " " + (-quantity) + " → " + moved.balance()));
		return new KitIssue(Outcome.ISSUED, store.id(), store.name(), moved.balance(), moved.id());
	}

	@Override
	public boolean knows(String item) {
		return item != null && findItem(item.strip()).isPresent();
	}

	/**
	 * Writes one movement under the balance row's lock: the row is created empty if
	 * missing, then locked, so two issues of the same item queue here.
	 */
	private Moved book(long storeId, Item item, int quantity, String kind, String reason, String recipient, Long takeId,
			Long actorId) {
		this.jdbc.sql("""
				insert into stock_balance (store_id, item_id) values (:store, :item)
				on conflict (store_id, item_id) do nothing""")
			.param("store", storeId)
			.param("item", item.id())
			.update();
		Map<String, Object> row = this.jdbc.sql("""
				select quantity, low_threshold from stock_balance
				where store_id = :store and item_id = :item for update""")
			.param("store", storeId)
			.param("item", item.id())
			.query()
			.singleRow();
		int balance = ((Number) row.get("quantity")).intValue();
		Number threshold = (Number) row.get("low_threshold");
		long after = (long) balance + quantity;
		if (after < 0) {
			throw new Shortage(item.name(), balance, -quantity);
		}
		if (after > Integer.MAX_VALUE) {
			throw new InvalidInput("quantity", "stock.movement.quantity");
		}
		this.jdbc.sql("update stock_balance set quantity = :after where store_id = :store and item_id = :item")
			.param("after", (int) after)
			.param("store", storeId)
			.param("item", item.id())
			.update();
		long id = this.jdbc
			.sql("""
					insert into stock_movement (store_id, item_id, quantity, balance_after, kind, reason, recipient, take_id,
					                            created_by)
					values (:store, :item, :quantity, :after, :kind, :reason, :recipient, :take, :by) returning id""")
			.param("store", storeId)
			.param("item", item.id())
			.param("quantity", quantity)
			.param("after", (int) after)
			.param("kind", kind)
			.param("reason", reason)
			.param("recipient", recipient)
			.param("take", takeId)
			.param("by", actorId)
			.query(Long.class)
			.single();
		alert(storeId, item.id(), (int) after, threshold == null ? null : threshold.intValue());
		return new Moved(id, (int) after);
	}

	/**
	 * Raises the store's alert for the item when its balance is below the threshold,
	 * clears it when it is back; the open alert keeps the latest balance.
	 */
	private void alert(long storeId, long itemId, int balance, Integer threshold) {
		if (threshold != null && balance < threshold) {
			int updated = this.jdbc.sql("""
					update stock_alert set balance = :balance, threshold = :threshold
					where store_id = :store and item_id = :item and cleared_at is null""")
				.param("balance", balance)
				.param("threshold", threshold)
				.param("store", storeId)
				.param("item", itemId)
				.update();
			if (updated == 0) {
				this.jdbc.sql("""
						insert into stock_alert (store_id, item_id, path, balance, threshold)
						select id, :item, path, :balance, :threshold from stock_store where id = :store""")
					.param("store", storeId)
					.param("item", itemId)
					.param("balance", balance)
					.param("threshold", threshold)
					.update();
			}
		}
		else {
			this.jdbc.sql("""
					update stock_alert set cleared_at = now(), balance = :balance
					where store_id = :store and item_id = :item and cleared_at is null""")
				.param("balance", balance)
				.param("store", storeId)
				.param("item", itemId)
				.update();
		}
	}

	/** Sets (or with null removes) the low-stock threshold of an item in a store. */
	@Transactional
	public void threshold(CurrentUser user, long storeId, NewThreshold body) {
		Store store = get(user, storeId);
		if (body == null) {
			throw new InvalidInput("item", "stock.item.unknown");
		}
		Item item = knownItem(body.item());
		Integer threshold = body.threshold();
		if (threshold != null && (threshold < 0 || threshold > MAX_QUANTITY)) {
			throw new InvalidInput("threshold", "stock.threshold.range");
		}
		this.jdbc.sql("""
				insert into stock_balance (store_id, item_id, low_threshold) values (:store, :item, :threshold)
				on conflict (store_id, item_id) do update set low_threshold = excluded.low_threshold""")
			.param("store", store.id())
			.param("item", item.id())
			.param("threshold", threshold)
			.update();
		int balance = this.jdbc.sql("""
				select quantity from stock_balance where store_id = :store and item_id = :item for update""")
			.param("store", store.id())
			.param("item", item.id())
			.query(Integer.class)
			.single();
		alert(store.id(), item.id(), balance, threshold);
		this.events.publishEvent(
				AuditEvent.of(user, "STOCK_THRESHOLD_SET", "stock_store", store.id(), item.name() + " < " + threshold));
	}

	/** Open low-stock alerts of a node's subtree. */
	public record Alert(long storeId, String store, String item, String unit, int balance, int threshold,
			OffsetDateTime raisedAt) {
	}

	public List<Alert> alerts(CurrentUser user, Node node) {
		user.require(Permission.MANAGE_STOCK);
		user.requireCovers(node.path());
		return this.jdbc.sql("""
				select a.store_id, s.name as store, i.name as item, i.unit, a.balance, a.threshold, a.raised_at
				from stock_alert a join stock_store s on s.id = a.store_id join stock_item i on i.id = a.item_id
				where a.cleared_at is null and a.path like :subtree order by a.raised_at desc""")
			.param("subtree", node.path() + "%")
			.query((rs, n) -> new Alert(rs.getLong("store_id"), rs.getString("store"), rs.getString("item"),
					rs.getString("unit"), rs.getInt("balance"), rs.getInt("threshold"),
					rs.getObject("raised_at", OffsetDateTime.class)))
			.list();
	}

	// ------------------------------------------------------------------ stock-take

	/**
	 * A stock-take (盘点): each counted item's difference from the ledger is recorded and
	 * booked as an adjustment, so the balance becomes what was counted. Items not listed
	 * are not counted and keep their balance.
	 */
	@Transactional
	public Take take(CurrentUser user, long storeId, NewTake body) {
		Store store = get(user, storeId);
		if (body == null || body.counts() == null || body.counts().isEmpty() || body.counts().size() > 200) {
			throw new InvalidInput("counts", "stock.take.empty");
		}
		String note = body.note() == null ? "" : body.note().strip();
		if (note.length() > 200) {
			throw new InvalidInput("note", "stock.take.note");
		}
		List<Item> items = new ArrayList<>();
		List<Integer> counted = new ArrayList<>();
		for (int i = 0; i < body.counts().size(); i++) {
			Count count = body.counts().get(i);
			if (count == null) {
				throw new InvalidInput("counts[" + i + "]", "stock.take.empty");
			}
			Item item = knownItem(count.item(), "counts[" + i + "].item");
			if (items.stream().anyMatch(known -> known.id() == item.id())) {
				throw new InvalidInput("counts[" + i + "].item", "stock.take.twice", item.name());
			}
			if (count.counted() == null || count.counted() < 0 || count.counted() > MAX_QUANTITY) {
				throw new InvalidInput("counts[" + i + "].counted", "stock.take.counted");
			}
			items.add(item);
			counted.add(count.counted());
		}
		long takeId = this.jdbc.sql("""
				insert into stock_take (store_id, note, taken_by) values (:store, :note, :by) returning id""")
			.param("store", store.id())
			.param("note", note)
			.param("by", user.accountId())
			.query(Long.class)
			.single();
		List<TakeLine> lines = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			Item item = items.get(i);
			this.jdbc.sql("""
					insert into stock_balance (store_id, item_id) values (:store, :item)
					on conflict (store_id, item_id) do nothing""")
				.param("store", store.id())
				.param("item", item.id())
				.update();
			int expected = this.jdbc.sql("""
					select quantity from stock_balance where store_id = :store and item_id = :item for update""")
				.param("store", store.id())
				.param("item", item.id())
				.query(Integer.class)
				.single();
			int difference = counted.get(i) - expected;
			this.jdbc.sql("""
					insert into stock_take_line (take_id, item_id, expected, counted)
					values (:take, :item, :expected, :counted)""")
				.param("take", takeId)
				.param("item", item.id())
				.param("expected", expected)
				.param("counted", counted.get(i))
				.update();
			if (difference != 0) {
				book(store.id(), item, difference, "ADJUSTMENT", note.isEmpty() ? "盘点" : "盘点：" + note, null, takeId,
						user.accountId());
			}
			lines.add(new TakeLine(item.name(), item.unit(), expected, counted.get(i), difference));
		}
		this.events.publishEvent(AuditEvent.of(user, "STOCK_TAKEN", "stock_store", store.id(),
				"take " + takeId + ", " + lines.stream().filter(l -> l.difference() != 0).count() + " differences"));
		return new Take(takeId, lines);
	}

	// ------------------------------------------------------------------ input

	private static int quantity(Integer quantity) {
		if (quantity == null || quantity == 0 || Math.abs((long) quantity) > MAX_QUANTITY) {
			throw new InvalidInput("quantity", "stock.movement.quantity");
		}
		return quantity;
	}

	private static String text(String text, String field, int max, String key) {
		String value = text == null ? "" : text.strip();
		if (value.isEmpty() || value.length() > max) {
			throw new InvalidInput(field, key);
		}
		return value;
	}

	private Item knownItem(String name) {
		return knownItem(name, "item");
	}

	private Item knownItem(String name, String field) {
		String value = text(name, field, 50, "stock.item.name");
		return findItem(value).orElseThrow(() -> new InvalidInput(field, "stock.item.unknown", value));
	}

	private Optional<Item> findItem(String name) {
		return this.jdbc.sql("select id, name, unit from stock_item where name = :name")
			.param("name", name)
			.query((rs, n) -> new Item(rs.getLong("id"), rs.getString("name"), rs.getString("unit")))
			.optional();
	}

	/**
	 * The item received; a new one joins the catalogue with its unit (件 if none given).
	 */
	private Item itemForReceipt(String name, String unit) {
		String value = text(name, "item", 50, "stock.item.name");
		String unitText = unit == null || unit.isBlank() ? "件" : unit.strip();
		if (unitText.length() > 10) {
			throw new InvalidInput("unit", "stock.item.unit");
		}
		this.jdbc.sql("insert into stock_item (name, unit) values (:name, :unit) on conflict (name) do nothing")
			.param("name", value)
			.param("unit", unitText)
			.update();
		return findItem(value).orElseThrow();
	}

}
