package org.fangxian.browser;

import java.util.List;
import java.util.UUID;

import org.fangxian.TestData;
import org.fangxian.notification.Outbox;
import org.fangxian.security.Role;
import org.fangxian.shared.PhoneNumber;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox page as a community worker reads it: a text nobody received never reads 已发送;
 * without a configured SMS gateway the page says texts are only logged.
 */
class OutboxBrowserTest extends BrowserTestSupport {

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate tx;

	TestData.NodeRef community;

	@BeforeEach
	void setUp() {
		this.community = this.data.tree().communityA1();
		String prefix = "browser:" + UUID.randomUUID() + ":";
		// one text in each state a worker may meet; the states are what dispatcher and
		// receipts would write
		List<String[]> rows = List.of(new String[] { "13900139401", "LOGGED", null },
				new String[] { "13900139402", "SUBMITTED", null }, new String[] { "13900139403", "DELIVERED", null },
				new String[] { "13900139404", "UNDELIVERED", "UNDELIV err:001" },
				new String[] { "13900139405", "PENDING", null });
		for (String[] row : rows) {
			this.tx.executeWithoutResult(
					status -> this.outbox.queue(new Outbox.Sms(prefix + row[0], PhoneNumber.parse(row[0]).orElseThrow(),
							"sms.containment.unsealed", List.of("福乐湾社区", "3号楼", "12月2日18:00"), this.community.path())));
			this.jdbc.sql("""
					update outbox_message set status = :status, last_error = :error,
					       sent_at = case when :status <> 'PENDING' then now() end,
					       delivered_at = case when :status = 'DELIVERED' then now() end
					where dedupe_key = :key""")
				.param("status", row[1])
				.param("error", row[2])
				.param("key", prefix + row[0])
				.update();
		}
		logInAs(Role.COMMUNITY_WORKER, this.community);
	}

	@Test
	void aTextOnlyLoggedReadsLoggedNotSentAndThePageSaysNoGatewayIsConfigured() {
		open("/outbox");
		assertThat(text("#outbox-log-only")).contains("居民收不到");
		// The test server has no FANGXIAN_PUBLIC_URL: its texts' links name localhost.
		assertThat(text("#outbox-local-links")).contains("http://localhost:").contains("FANGXIAN_PUBLIC_URL");
		assertThat(texts("td .badge")).contains("仅记录，未发送", "已提交运营商", "已送达", "未送达", "待发送").doesNotContain("已发送");
		assertThat(texts(".outbox-error")).contains("UNDELIV err:001");
		screenshot("outbox");
		open("/outbox?status=LOGGED");
		assertThat(texts("td .badge")).isNotEmpty().containsOnly("仅记录，未发送");
	}

}
