package org.fangxian.seal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.WebSession;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sealed node's page shows its seal: the level, since when, until when and a link to
 * the seal; a unit inside says which area is sealed; an unsealed node says nothing (issue
 * 13).
 */
class SealedNodePageTest extends IntegrationTest {

	@Autowired
	Seals seals;

	@Autowired
	TransactionTemplate tx;

	@Test
	void theSealShowsOnTheSealedNodeAndTheUnitsInsideUntilItEnds() {
		TestData.Tree tree = this.data.tree();
		String username = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		CurrentUser worker = new CurrentUser(
				this.jdbc.sql("select id from account where username = :u")
					.param("u", username)
					.query(Long.class)
					.single(),
				username, username, Role.COMMUNITY_WORKER, tree.communityA1().id(), tree.communityA1().path());
		TestData.NodeRef building = this.data.node(tree.communityA1().id(), "BUILDING", null, "7号楼");
		TestData.NodeRef unit = this.data.node(building.id(), "UNIT", null, "2单元");
		TestData.NodeRef other = this.data.node(tree.communityA1().id(), "BUILDING", null, "8号楼");
		Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
		Seals.Seal seal = this.tx.execute(status -> this.seals.seal(worker, new Seals.NewSeal(building.id(), "SEALED",
				"发现阳性病例", "道指〔2022〕15号", start, start.plus(48, ChronoUnit.HOURS), null)));

		WebSession session = WebSession.signIn(baseUrl(), username);
		String sealed = session.get("/nodes/" + building.id()).body();
		assertThat(sealed).contains("data-note=\"node\"")
			.contains("本区域封控中")
			.contains("href=\"/containment/seals/" + seal.id() + "\"")
			.containsPattern("自 \\d\\d-\\d\\d \\d\\d:\\d\\d 起，预计至 \\d\\d-\\d\\d \\d\\d:\\d\\d");
		assertThat(session.get("/nodes/" + unit.id()).body()).contains("所在区域 福乐湾社区 7号楼 封控中")
			.contains("href=\"/containment/seals/" + seal.id() + "\"");
		assertThat(session.get("/nodes/" + other.id()).body()).doesNotContain("data-note=\"node\"");

		this.tx.executeWithoutResult(status -> this.seals.end(worker, seal.id(), "解除"));
		assertThat(session.get("/nodes/" + building.id()).body()).doesNotContain("data-note=\"node\"");
	}

}
