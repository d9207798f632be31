package org.fangxian.workforce;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A team whose deputies or members list holds a null is bad input naming the list, not a
 * 500, and no team is made.
 */
class WorkforceBadInputTest extends IntegrationTest {

	@Test
	void aNullAmongATeamsPeopleIsBadInput() {
		TestData.Tree tree = this.data.tree();
		WorkforceFixture api = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1())));
		WorkforceFixture.Answer imported = api.importCsv("姓名,手机号\n队长甲," + TestPhoneNumbers.next() + "\n");
		assertThat(imported.status()).as("%s", imported.body()).isEqualTo(200);
		long leader = api.get("/api/v1/volunteers").body().get(0).get("id").asLong();
		for (String list : new String[] { "deputyIds", "memberIds" }) {
			WorkforceFixture.Answer team = api.postJson("/api/v1/teams", "{\"nodeId\":" + tree.communityA1().id()
					+ ",\"name\":\"突击队\",\"kind\":\"SHOCK_TEAM\",\"leaderId\":" + leader + ",\"" + list + "\":[null]}");
			assertThat(team.status()).as("%s: %s", list, team.body()).isEqualTo(400);
			assertThat(team.body().get("code").asString()).isEqualTo("workforce.volunteer.notFound");
			assertThat(team.body().get("errors").get(0).get("field").asString()).isEqualTo(list);
		}
		assertThat(api.get("/api/v1/teams").body().size()).isZero();
	}

}
