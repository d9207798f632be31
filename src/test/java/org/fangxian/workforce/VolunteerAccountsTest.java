package org.fangxian.workforce;

import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.registry.DivisionTree;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.workforce.WorkforceFixture.Answer;
import org.fangxian.workforce.internal.VolunteerAccounts;
import org.fangxian.workforce.internal.Volunteers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts for approved volunteers: approving a self-registration, or the button on an
 * imported person, opens one VOLUNTEER account at the person's node through security's
 * accounts facade, texts a temporary password (never readable in the outbox) and is
 * audited; a second approval or press opens nothing more.
 */
class VolunteerAccountsTest extends IntegrationTest {

	@Autowired
	VolunteerAccounts accounts;

	@Autowired
	Volunteers volunteers;

	@Autowired
	DivisionTree divisions;

	TestData.Tree tree;

	WorkforceFixture api;

	Map<String, Long> people = new java.util.HashMap<>();

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.api = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1())));
		Answer imported = this.api.importCsv("姓名,手机号,身份证号,所属单位,技能,每周最多班次\n" + "甲一," + TestPhoneNumbers.next()
				+ ",,区卫健局,采样,7\n" + "乙二,," + TestIdNumbers.next() + ",区卫健局,采样,7\n");
		assertThat(imported.body().get("accepted").asInt()).isEqualTo(2);
		this.api.get("/api/v1/volunteers?code=" + this.tree.communityA1().code())
			.body()
			.forEach(v -> this.people.put(v.get("name").asString(), v.get("id").asLong()));
	}

	long accounts(String username) {
		return this.jdbc.sql("select count(*) from account where username = :u")
			.param("u", username)
			.query(Long.class)
			.single();
	}

	long texts(long volunteer) {
		return this.jdbc.sql("select count(*) from outbox_message where dedupe_key = :k")
			.param("k", "workforce:volunteer:" + volunteer + ":account")
			.query(Long.class)
			.single();
	}

	@Test
	void theButtonOpensOneVolunteerAccountAndTextsItsTemporaryPassword() {
		long person = this.people.get("甲一");
		Answer opened = this.api.postJson("/api/v1/volunteers/" + person + "/account", "{}");
		assertThat(opened.status()).as("%s", opened).isEqualTo(200);
		assertThat(opened.body().get("created").asBoolean()).isTrue();
		String username = opened.body().get("username").asString();
		long accountId = opened.body().get("accountId").asLong();
		Map<String, Object> account = this.jdbc
			.sql("select role, node_id, must_change_password, display_name from account where id = :id")
			.param("id", accountId)
			.query()
			.singleRow();
		assertThat(account.get("role")).isEqualTo("VOLUNTEER");
		assertThat(((Number) account.get("node_id")).longValue()).isEqualTo(this.tree.communityA1().id());
		assertThat(account.get("must_change_password")).isEqualTo(true);
		assertThat(account.get("display_name")).isEqualTo("甲一");
		String body = this.jdbc.sql("select body from outbox_message where dedupe_key = :k")
			.param("k", "workforce:volunteer:" + person + ":account")
			.query(String.class)
			.single();
		assertThat(body).contains(username).contains("******").contains(baseUrl() + "/login");
		// Audited by security, with the worker as the actor.
		assertThat(this.jdbc.sql("""
				select count(*) from audit_event where action = 'ACCOUNT_CREATED' and target_id = :id
				  and actor_id is not null""").param("id", String.valueOf(accountId)).query(Long.class).single())
			.isEqualTo(1);

		// Pressed again: the same account, nothing more opened or texted.
		Answer again = this.api.postJson("/api/v1/volunteers/" + person + "/account", "{}");
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body().get("created").asBoolean()).isFalse();
		assertThat(again.body().get("accountId").asLong()).isEqualTo(accountId);
		assertThat(accounts(username)).isEqualTo(1);
		assertThat(texts(person)).isEqualTo(1);

		// Without a mobile number there is nobody to text the password to.
		Answer noPhone = this.api.postJson("/api/v1/volunteers/" + this.people.get("乙二") + "/account", "{}");
		assertThat(noPhone.status()).isEqualTo(400);
		assertThat(noPhone.body().get("code").asString()).isEqualTo("workforce.account.noPhone");
	}

	@Test
	void approvingASelfRegistrationOpensTheAccountOnce() {
		var node = this.divisions.node(this.data.user(Role.HQ_ADMIN, this.tree.district()),
				this.tree.communityA1().id());
		this.volunteers.register(node,
				new Volunteers.Registration("丙三", TestPhoneNumbers.next(), null, "区教育局", List.of("采样"), 3));
		long person = this.jdbc.sql("select id from volunteer where name = '丙三' and path = :p")
			.param("p", this.tree.communityA1().path())
			.query(Long.class)
			.single();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		var opened = this.accounts.approve(worker, person);
		assertThat(opened).isPresent();
		assertThat(opened.get().created()).isTrue();
		assertThat(this.accounts.approve(worker, person)).get()
			.extracting(VolunteerAccounts.Opened::accountId, VolunteerAccounts.Opened::created)
			.containsExactly(opened.get().accountId(), false);
		assertThat(accounts(opened.get().username())).isEqualTo(1);
		assertThat(texts(person)).isEqualTo(1);
	}

	@Test
	void onlyAWorkerOfThePlaceWhoHoldsEveryRightOfAVolunteerOpensTheAccount() {
		long person = this.people.get("甲一");
		// Another community's worker.
		WorkforceFixture outsider = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA2())));
		assertThat(outsider.postJson("/api/v1/volunteers/" + person + "/account", "{}").status()).isEqualTo(403);
		// A street administrator manages people on duty but lacks rights a volunteer
		// has (sampling, visits): security's rule, no account handed out.
		WorkforceFixture street = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetA())));
		assertThat(street.postJson("/api/v1/volunteers/" + person + "/account", "{}").status()).isEqualTo(403);
		assertThat(accounts("volunteer" + person)).isZero();
		assertThat(texts(person)).isZero();
	}

}
