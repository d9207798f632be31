package org.fangxian.task;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.shared.PersonalDataPurge;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The purge of the task engine's and the stock's personal data: a supply request closed
 * before the cut-off goes with its history and photo, an open one stays whole; a closed
 * work order keeps its numbers but loses the caller; a recent one is untouched; the
 * recipient of an old stock issue is forgotten, the ledger row stays; another street's
 * rows stay.
 */
class TaskDataPurgeTest extends IntegrationTest {

	@Autowired
	List<PersonalDataPurge> purges;

	long task(TestData.NodeRef node, String type, String state, Instant created, Instant closed) {
		long id = this.jdbc.sql("""
				insert into task (type, node_id, path, subject_kind, subject_id, state, open, due_at, created_at,
				                  updated_at, closed_at)
				values (:type, :node, :path, 'NODE', :node, :state, :open, :created, :created, :created, :closed)
				returning id""")
			.param("type", type)
			.param("node", node.id())
			.param("path", node.path())
			.param("state", state)
			.param("open", closed == null)
			.param("created", java.sql.Timestamp.from(created))
			.param("closed", closed == null ? null : java.sql.Timestamp.from(closed))
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				insert into task_event (task_id, at, actor, kind, note)
				values (:id, :at, 'volunteer-1', 'COMMENT', '王秀英本人签收')""")
			.param("id", id)
			.param("at", java.sql.Timestamp.from(created))
			.update();
		if (type.equals("SUPPORT")) {
			this.jdbc.sql("""
					insert into support_request (task_id, resident_id, kind, detail, filed_by)
					values (:id, 1, 'MEDICINE', '降压药', 'WORKER')""").param("id", id).update();
			this.jdbc.sql("""
					insert into task_attachment (task_id, content_type, size, content, added_at)
					values (:id, 'image/png', 1, '\\x00'::bytea, now())""").param("id", id).update();
		}
		else {
			this.jdbc.sql("""
					insert into work_order (task_id, channel, content, category, phone_cipher, phone_masked, reply)
					values (:id, '12345', '张三反映楼道堆物', '环境', '\\x01'::bytea, '138****0000', '已清理')""")
				.param("id", id)
				.update();
		}
		return id;
	}

	long count(String sql, long id) {
		return this.jdbc.sql(sql).param("id", id).query(Long.class).single();
	}

	@Test
	void closedTasksLoseTheirPersonalDataOpenAndRecentOnesAndOtherStreetsKeepIt() {
		TestData.Tree tree = this.data.tree();
		Instant now = Instant.now();
		Instant old = now.minus(Duration.ofDays(40));
		long closedSupport = task(tree.communityA1(), "SUPPORT", "DELIVERED", old, old.plusSeconds(3600));
		long openSupport = task(tree.communityA1(), "SUPPORT", "NEW", old, null);
		long closedOrder = task(tree.communityA2(), "WORK_ORDER", "CLOSED", old, old.plusSeconds(7200));
		long recentOrder = task(tree.communityA2(), "WORK_ORDER", "CLOSED", now.minus(Duration.ofDays(2)),
				now.minus(Duration.ofDays(1)));
		long otherStreet = task(tree.communityB1(), "SUPPORT", "DELIVERED", old, old.plusSeconds(3600));
		long store = this.jdbc.sql("""
				insert into stock_store (node_id, path, name, kind, created_by)
				values (:node, :path, '社区库', 'COMMUNITY', 0) returning id""")
			.param("node", tree.communityA1().id())
			.param("path", tree.communityA1().path())
			.query(Long.class)
			.single();
		long item = this.jdbc.sql("select min(id) from stock_item").query(Long.class).single();
		Map<String, Long> movements = new HashMap<>();
		for (Map.Entry<String, Instant> at : List.of(Map.entry("old", old), Map.entry("recent", now))) {
			movements.put(at.getKey(), this.jdbc.sql("""
					insert into stock_movement (store_id, item_id, quantity, balance_after, kind, reason, recipient,
					                            created_at)
					values (:store, :item, -1, 0, 'ISSUE', '领用', '李四', :at) returning id""")
				.param("store", store)
				.param("item", item)
				.param("at", java.sql.Timestamp.from(at.getValue()))
				.query(Long.class)
				.single());
		}

		String path = tree.streetA().path();
		String end = path.substring(0, path.length() - 1) + '0';
		Instant cut = now.minus(Duration.ofDays(28));
		Map<String, Map<String, Long>> deleted = new HashMap<>();
		for (PersonalDataPurge purge : this.purges) {
			if (purge.module().equals("task") || purge.module().equals("stock")) {
				deleted.put(purge.module(), purge.purge(cut, path, end));
			}
		}
		assertThat(deleted.get("task")).containsEntry("support_request", 1L)
			.containsEntry("task", 1L)
			.containsEntry("work_order", 1L)
			.containsEntry("task_attachment", 1L)
			.containsEntry("task_event", 2L);
		assertThat(deleted.get("stock")).containsEntry("stock_movement", 1L);

		assertThat(count("select count(*) from task where id = :id", closedSupport)).isZero();
		assertThat(count("select count(*) from support_request where task_id = :id", closedSupport)).isZero();
		assertThat(count("select count(*) from support_request where task_id = :id", openSupport)).isOne();
		assertThat(count("select count(*) from task_event where task_id = :id", openSupport)).isOne();
		assertThat(count("select count(*) from task_attachment where task_id = :id", openSupport)).isOne();
		// the closed order stays for the statistics, without the caller
		assertThat(count("select count(*) from task where id = :id and closed_at is not null", closedOrder)).isOne();
		Map<String, Object> order = this.jdbc
			.sql("select content, phone_masked, reply, category, length(phone_cipher) as cipher from work_order "
					+ "where task_id = :id")
			.param("id", closedOrder)
			.query()
			.singleRow();
		assertThat(order.get("content")).isEqualTo("（已清除）");
		assertThat(order.get("phone_masked")).isEqualTo("");
		assertThat(order.get("reply")).isNull();
		assertThat(order.get("category")).isEqualTo("环境");
		assertThat(((Number) order.get("cipher")).intValue()).isZero();
		assertThat(count("select count(*) from task_event where task_id = :id", closedOrder)).isZero();
		assertThat(this.jdbc.sql("select content from work_order where task_id = :id")
			.param("id", recentOrder)
			.query(String.class)
			.single()).isEqualTo("张三反映楼道堆物");
		assertThat(count("select count(*) from support_request where task_id = :id", otherStreet)).isOne();
		assertThat(this.jdbc.sql("select coalesce(recipient, '-') from stock_movement where id in (:o, :r) order by id")
			.param("o", movements.get("old"))
			.param("r", movements.get("recent"))
			.query(String.class)
			.list()).containsExactly("-", "李四");

		// again (after a crash, say): nothing more, nothing breaks
		for (PersonalDataPurge purge : this.purges) {
			if (purge.module().equals("task") || purge.module().equals("stock")) {
				assertThat(purge.purge(cut, path, end).values()).containsOnly(0L);
			}
		}
	}

}
