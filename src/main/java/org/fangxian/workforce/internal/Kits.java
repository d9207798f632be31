package org.fangxian.workforce.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fangxian.audit.AuditEvent;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.stock.StockLedger;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Protective kit per shift (每班防护用品): a post names what each person takes for a shift; at
 * check-in (or when a worker records it for the team leader) each item is issued from the
 * nearest store up the tree through stock's {@link StockLedger}, once per shift and item.
 * A short store does not stop the check-in: the line says so.
 */
@Service
public class Kits {

	private final JdbcClient jdbc;

	private final StockLedger stock;

	private final ApplicationEventPublisher events;

	Kits(JdbcClient jdbc, StockLedger stock, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.stock = stock;
		this.events = events;
	}

	/** One item of a post's kit: how many of it each person takes per shift. */
	public record KitItem(String item, Integer quantity) {
	}

	/** What one shift's kit came to, item by item. */
	public record Issued(String item, int quantity, StockLedger.Outcome outcome, String store, Integer balance) {
	}

	/** Checks a post's kit against stock's catalogue; the field names the bad line. */
	List<KitItem> validate(List<KitItem> kit) {
		List<KitItem> items = new ArrayList<>();
		if (kit == null) {
			return items;
		}
		if (kit.size() > 20) {
			throw new InvalidInput("kit", "workforce.kit.tooMany");
		}
		for (int i = 0; i < kit.size(); i++) {
			KitItem k = kit.get(i);
			String field = "kit[" + i + "]";
			if (k == null || k.item() == null || k.item().isBlank() || !this.stock.knows(k.item())) {
				throw new InvalidInput(field + ".item", "workforce.kit.item", k == null ? "" : k.item());
			}
			if (k.quantity() == null || k.quantity() < 1 || k.quantity() > 50) {
				throw new InvalidInput(field + ".quantity", "workforce.kit.quantity");
			}
			String name = k.item().strip();
			if (items.stream().anyMatch(known -> known.item().equals(name))) {
				throw new InvalidInput(field + ".item", "workforce.kit.twice", name);
			}
			items.add(new KitItem(name, k.quantity()));
		}
		return items;
	}

	void save(long postId, List<KitItem> kit) {
		for (KitItem k : kit) {
			this.jdbc.sql("insert into duty_post_kit (post_id, item, quantity) values (:post, :item, :quantity)")
				.param("post", postId)
				.param("item", k.item())
				.param("quantity", k.quantity())
				.update();
		}
	}

	public List<KitItem> of(long postId) {
		return this.jdbc.sql("select item, quantity from duty_post_kit where post_id = :post order by item")
			.param("post", postId)
			.query((rs, n) -> new KitItem(rs.getString("item"), rs.getInt("quantity")))
			.list();
	}

	/**
	 * Issues the kit of one assignment's post, each item once: lines issued before are
	 * left as they are and not returned again.
	 */
	@Transactional
	public List<Issued> issue(long assignmentId, Long actorId) {
		Map<String, Object> shift = this.jdbc.sql("""
				select a.post_id, a.day, p.path, p.name as post, v.name
				from duty_assignment a join duty_post p on p.id = a.post_id join volunteer v on v.id = a.volunteer_id
				where a.id = :id""").param("id", assignmentId).query().singleRow();
		List<Issued> issued = new ArrayList<>();
		for (KitItem k : of(((Number) shift.get("post_id")).longValue())) {
			// Claim the line first: a second check-in or a concurrent record finds it
			// taken.
			int claimed = this.jdbc.sql("""
					insert into duty_kit_issue (assignment_id, item, quantity, outcome, recorded_by)
					values (:a, :item, :quantity, 'NO_STORE', :by) on conflict do nothing""")
				.param("a", assignmentId)
				.param("item", k.item())
				.param("quantity", k.quantity())
				.param("by", actorId)
				.update();
			if (claimed == 0) {
				continue;
			}
			StockLedger.KitIssue result = this.stock.issueNearest((String) shift.get("path"), k.item(), k.quantity(),
					(String) shift.get("name"), "值班防护：" + shift.get("post") + " " + shift.get("day"), actorId);
			this.jdbc.sql("""
					update duty_kit_issue set outcome = :outcome, store_name = :store, movement_id = :movement
					where assignment_id = :a and item = :item""")
				.param("outcome", result.outcome().name())
				.param("store", result.storeName())
				.param("movement", result.movementId())
				.param("a", assignmentId)
				.param("item", k.item())
				.update();
			issued.add(new Issued(k.item(), k.quantity(), result.outcome(), result.storeName(), result.balance()));
		}
		return issued;
	}

	/**
	 * A worker records the kit of a shift (the team leader handed it out, the person did
	 * not scan).
	 */
	@Transactional
	public List<Issued> record(CurrentUser user, long assignmentId) {
		user.require(Permission.MANAGE_WORKFORCE);
		String path = this.jdbc.sql("""
				select p.path from duty_assignment a join duty_post p on p.id = a.post_id where a.id = :id""")
			.param("id", assignmentId)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new NotFound("workforce.assignment.notFound"));
		user.requireCovers(path);
		List<Issued> issued = issue(assignmentId, user.accountId());
		this.events.publishEvent(
				AuditEvent.of(user, "DUTY_KIT_RECORDED", "duty_assignment", assignmentId, issued.size() + " items"));
		return issued;
	}

	/** The kit lines of a shift, as issued. */
	public List<Issued> lines(long assignmentId) {
		return this.jdbc
			.sql("""
					select item, quantity, outcome, store_name from duty_kit_issue where assignment_id = :a order by item""")
			.param("a", assignmentId)
			.query((rs, n) -> new Issued(rs.getString("item"), rs.getInt("quantity"),
					StockLedger.Outcome.valueOf(rs.getString("outcome")), rs.getString("store_name"), null))
			.list();
	}

}
