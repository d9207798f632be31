package org.fangxian.checkpoint.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.fangxian.checkpoint.Passes;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.NotFound;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The family link (家庭码): a household's passes on the family's phone without an account,
 * and the worker's texts that carry it, against the real database and over HTTP as a
 * phone would open it.
 */
class FamilyLinkTest extends IntegrationTest {

	static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Autowired
	FamilyLinks links;

	@Autowired
	Passes passes;

	@Autowired
	ResidentService residents;

	TestData.Tree tree;

	CurrentUser worker;

	long head;

	long spouse;

	long child;

	long movedOut;

	long neighbour;

	long household;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		long node = this.tree.communityA1().id();
		this.head = resident("王建国", TestIdNumbers.next(), "13800000001", node, "101", "户主", "常住");
		this.spouse = resident("李秀英", TestIdNumbers.next(), "13800000002", node, "101", "配偶", "常住");
		// The child's record carries the mother's phone, as rosters often do; a minor's
		// phone is not texted anyway.
		this.child = resident("王小明", TestIdNumbers.bornOn(LocalDate.now().minusYears(9)), "13800000002", node, "101",
				"子女", "常住");
		this.movedOut = resident("王老三", TestIdNumbers.next(), "13800000003", node, "101", "兄弟", "迁出");
		this.neighbour = resident("赵大海", TestIdNumbers.next(), "13800000004", node, "102", "户主", "常住");
		this.household = this.jdbc.sql("select household_id from resident where id = :id")
			.param("id", this.head)
			.query(Long.class)
			.single();
	}

	private long resident(String name, String idNumber, String phone, long node, String room, String relation,
			String status) {
		return this.residents.create(this.worker, new ResidentService.ResidentForm(name, null, idNumber, phone, node,
				room, relation, null, status, null));
	}

	private String token() {
		String url = this.links.send(this.worker, this.household).url();
		return url.substring(url.lastIndexOf("/f/") + 3);
	}

	record Reply(int status, String contentType, byte[] body) {

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/** As the family's phone opens it: no cookie, no account. */
	private Reply get(String path) throws Exception {
		HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Accept", "text/html,image/*")
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofByteArray());
		return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
				response.body());
	}

	private Reply post(String path, String bearer) throws Exception {
		HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Accept", "application/json")
			.header("Authorization", "Bearer " + bearer)
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofByteArray());
		return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
				response.body());
	}

	private Reply delete(String path, String bearer) throws Exception {
		HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Accept", "application/json")
			.header("Authorization", "Bearer " + bearer)
			.DELETE()
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofByteArray());
		return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
				response.body());
	}

	@Test
	void showsEveryMemberStillLivingThereWithMaskedNamesWithoutSigningIn() throws Exception {
		String token = token();
		Reply page = get("/f/" + token);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.text()).contains("王*国", "李*英", "王*明")
			.doesNotContain("王建国", "李秀英", "王小明")
			.as("moved out: not shown")
			.doesNotContain("王*三")
			.as("another household")
			.doesNotContain("赵*海")
			.contains("/f/" + token + "/" + this.head + ".png")
			.doesNotContain("/f/" + token + "/" + this.movedOut + ".png");
		// Handing out each member's pass is on the audit trail, in the link's name.
		List<String> audited = this.jdbc.sql("""
				select target_id from audit_event where actor = 'family link' and action = 'PASS_ISSUED'
				  and target_id in (:ids)""")
			.param("ids",
					List.of(String.valueOf(this.head), String.valueOf(this.spouse), String.valueOf(this.child),
							String.valueOf(this.movedOut)))
			.query(String.class)
			.list();
		assertThat(audited).contains(String.valueOf(this.head), String.valueOf(this.spouse), String.valueOf(this.child))
			.doesNotContain(String.valueOf(this.movedOut));
	}

	@Test
	void servesTheQrOfMembersOnly() throws Exception {
		String token = token();
		Reply qr = get("/f/" + token + "/" + this.child + ".png");
		assertThat(qr.status()).isEqualTo(200);
		assertThat(qr.contentType()).isEqualTo("image/png");
		assertThat(new String(qr.body(), 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");

		assertThat(get("/f/" + token + "/" + this.neighbour + ".png").status()).as("not of this household")
			.isEqualTo(404);
		assertThat(get("/f/" + token + "/" + this.movedOut + ".png").status()).as("moved out").isEqualTo(404);
		assertThat(get("/f/" + token + "/9000000000000.png").status()).as("nobody").isEqualTo(404);
		assertThat(get("/f/" + token + "/abc.png").status()).as("not an id").isEqualTo(404);
		assertThat(get("/f/" + token.replace('.', '-') + "/" + this.head + ".png").status()).as("bad token")
			.isEqualTo(404);
	}

	@Test
	void refusesForgedTamperedAndExpiredLinksAlikeWithAFriendlyPage() throws Exception {
		String token = token();
		String[] parts = token.split("\\.");
		char last = parts[2].charAt(21);
		String flipped = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 21) + (last == 'A' ? 'B' : 'A');
		String otherHousehold = (Long.parseLong(parts[0]) + 1) + "." + parts[1] + "." + parts[2];
		String longerLife = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400 * 365) + "." + parts[2];
		String expired = this.links.token(this.household, Instant.now().minusSeconds(60));
		// Genuinely signed, for a household that does not exist: must look exactly like a
		// forgery.
		String nobody = this.links.token(9_000_000_000_000L, Instant.now().plusSeconds(3600));
		Reply forged = get("/f/" + flipped);
		for (String bad : List.of(flipped, otherHousehold, longerLife, expired, nobody, "hello", "1.2.3", token + "x",
				"%E2%80%AE" + token)) {
			Reply reply = get("/f/" + bad);
			assertThat(reply.status()).as(bad).isEqualTo(404);
			assertThat(reply.text()).as(bad)
				.contains("链接无效或已过期")
				.doesNotContainIgnoringCase("exception")
				.doesNotContain("王*", "Whitelabel");
			assertThat(reply.text().replace(bad, "")).as("no hint of whether the household exists")
				.isEqualTo(forged.text().replace(flipped, ""));
		}
		assertThat(this.links.verify(token)).isPresent();
	}

	@Test
	void aRevokedPassIsNeverReissuedThroughTheLinkAndTheGateKeepsDenyingIt() throws Exception {
		String token = token();
		String before = this.links.memberPass(token, this.head).orElseThrow().qr();
		this.passes.revoke(this.worker, this.head);
		assertThat(this.passes.verify(before).reason()).isEqualTo("gate.deny.passRevoked");

		// Opening the link again (page and QR) hands out no new pass for the revoked
		// member.
		assertThat(this.links.memberPass(token, this.head)).isEmpty();
		assertThat(get("/f/" + token + "/" + this.head + ".png").status()).isEqualTo(404);
		Reply page = get("/f/" + token);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.text()).contains("出入证已被收回")
			.doesNotContain("/f/" + token + "/" + this.head + ".png")
			.contains("/f/" + token + "/" + this.spouse + ".png");
		assertThat(this.jdbc.sql("select count(*) from resident_pass where resident_id = :r and revoked_at is null")
			.param("r", this.head)
			.query(Integer.class)
			.single()).as("no live pass after the revocation").isZero();
		// The card sheet of the household does not undo it either.
		assertThat(this.passes.currentUnlessRevoked(this.worker, this.head)).isEmpty();

		// Only a worker issuing this person's pass on purpose replaces it; then the link
		// shows the new one.
		String reissued = this.passes.current(this.worker, this.head).qr();
		assertThat(this.passes.verify(reissued).valid()).isTrue();
		assertThat(this.links.memberPass(token, this.head).orElseThrow().qr()).isEqualTo(reissued);
	}

	@Test
	void aWorkerRevokesTheHouseholdsLinksAndTheNextLinkIsANewOne() throws Exception {
		String token = token();
		assertThat(get("/f/" + token).status()).isEqualTo(200);

		this.links.revoke(this.worker, this.household);
		assertThat(this.links.verify(token)).isEmpty();
		Reply stale = get("/f/" + token);
		assertThat(stale.status()).isEqualTo(404);
		assertThat(stale.text()).doesNotContain("王*国");
		assertThat(get("/f/" + token + "/" + this.head + ".png").status()).isEqualTo(404);

		// Sent again the same day: another link, and texted again (not swallowed as a
		// repeat of today's).
		long textsBefore = this.jdbc.sql("select count(*) from outbox_message where dedupe_key like :key")
			.param("key", "checkpoint:household:" + this.household + ":family-link:%")
			.query(Long.class)
			.single();
		FamilyLinks.Link again = this.links.send(this.worker, this.household);
		assertThat(again.url()).doesNotEndWith(token);
		assertThat(again.textsQueued()).isEqualTo(2);
		assertThat(this.jdbc.sql("select count(*) from outbox_message where dedupe_key like :key")
			.param("key", "checkpoint:household:" + this.household + ":family-link:%")
			.query(Long.class)
			.single()).isEqualTo(textsBefore + 2);
		assertThat(get(URI.create(again.url()).getPath()).status()).isEqualTo(200);

		// Sending, opening and revoking are all on the audit trail.
		assertThat(this.jdbc.sql("""
				select action from audit_event where target_type = 'household' and target_id = :h order by id""")
			.param("h", String.valueOf(this.household))
			.query(String.class)
			.list()).contains("FAMILY_LINK_SENT", "FAMILY_LINK_VIEWED", "FAMILY_LINK_REVOKED");
	}

	@Test
	void revokingOverTheApiNeedsTheHouseholdInsideTheJurisdiction() throws Exception {
		String token = token();
		String outsider = this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA2());
		assertThat(delete("/api/v1/households/" + this.household + "/family-link", this.data.token(baseUrl(), outsider))
			.status()).isEqualTo(403);
		assertThat(this.links.verify(token)).isPresent();
		String own = this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1());
		assertThat(delete("/api/v1/households/" + this.household + "/family-link", this.data.token(baseUrl(), own))
			.status()).isEqualTo(204);
		assertThat(this.links.verify(token)).isEmpty();
	}

	@Test
	void textsEachAdultPhoneOnceEvenWhenSentTwice() throws Exception {
		String hq = this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1());
		String bearer = this.data.token(baseUrl(), hq);
		Reply first = post("/api/v1/households/" + this.household + "/family-link", bearer);
		Reply second = post("/api/v1/households/" + this.household + "/family-link", bearer);
		assertThat(first.status()).as(first.text()).isEqualTo(200);
		JsonNode answer = JsonMapper.shared().readTree(first.body());
		// Head and spouse; the child's record repeats the spouse's phone, the moved-out
		// brother is not texted.
		assertThat(answer.get("textsQueued").asInt()).isEqualTo(2);
		String url = answer.get("url").asString();
		assertThat(url).contains("/f/" + this.household + ".");
		assertThat(Instant.parse(answer.get("expiresAt").asString())).isAfter(Instant.now().plus(Duration.ofDays(29)));
		JsonNode again = JsonMapper.shared().readTree(second.body());
		assertThat(again.get("textsQueued").asInt()).isZero();
		assertThat(again.get("url").asString()).as("the same link all day").isEqualTo(url);

		List<String> texts = this.jdbc.sql("select body from outbox_message where dedupe_key like :key")
			.param("key", "checkpoint:household:" + this.household + ":family-link:%")
			.query(String.class)
			.list();
		assertThat(texts).hasSize(2).allSatisfy(text -> assertThat(text).contains(url, "3位"));
		assertThat(this.jdbc.sql("select phone_masked from outbox_message where dedupe_key like :key order by id")
			.param("key", "checkpoint:household:" + this.household + ":family-link:%")
			.query(String.class)
			.list()).containsExactly("138****0001", "138****0002");
		// The page's link is the texted one.
		assertThat(get(URI.create(url).getPath()).status()).isEqualTo(200);
	}

	@Test
	void onlyAWorkerCoveringTheHouseholdMaySendIt() throws Exception {
		CurrentUser sibling = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		assertThatThrownBy(() -> this.links.send(sibling, this.household))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		CurrentUser guard = this.data.user(Role.CHECKPOINT_GUARD, this.tree.communityA1());
		assertThatThrownBy(() -> this.links.send(guard, this.household))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
		assertThatThrownBy(() -> this.links.send(this.worker, 9_000_000_000_000L)).isInstanceOf(NotFound.class);

		String outsider = this.data.account(Role.COMMUNITY_WORKER, this.tree.communityB1());
		Reply refused = post("/api/v1/households/" + this.household + "/family-link",
				this.data.token(baseUrl(), outsider));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.text()).doesNotContain("/f/");
		assertThat(this.jdbc.sql("select count(*) from outbox_message where dedupe_key like :key")
			.param("key", "checkpoint:household:" + this.household + ":family-link:%")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void masksAllButTheFirstAndLastCharacter() {
		assertThat(org.fangxian.shared.PersonNames.mask("张三丰")).isEqualTo("张*丰");
		assertThat(org.fangxian.shared.PersonNames.mask("欧阳娜娜")).isEqualTo("欧**娜");
		assertThat(org.fangxian.shared.PersonNames.mask("张三")).isEqualTo("张*");
		assertThat(org.fangxian.shared.PersonNames.mask("𠀀三𠀁")).isEqualTo("𠀀*𠀁");
	}

}
