package org.fangxian.checkpoint.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.quarantine.internal.CheckInLinks;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resident's own supply-request page (生活保障) is linked from the pages they already
 * hold: the quarantine check-in link and each member's card on the family link; the link
 * opens their page, signed for them.
 */
class ResidentSupportLinkTest extends IntegrationTest {

	static final Pattern LINK = Pattern.compile("href=\"(/s/[^\"]+)\"");

	@Autowired
	ResidentService residents;

	@Autowired
	CheckInLinks checkInLinks;

	@Autowired
	FamilyLinks familyLinks;

	String get(String path) {
		return RestClient.create(baseUrl())
			.get()
			.uri(path)
			.exchange((request, response) -> new String(response.getBody().readAllBytes()));
	}

	@Test
	void theCheckInAndFamilyPagesLinkTheResidentsSupportPage() {
		TestData.Tree tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		long compound = this.data.node(tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		Random random = new Random();
		long resident = this.residents.create(worker, new ResidentService.ResidentForm("赵桂兰", null,
				TestIdNumbers.bornBetween(LocalDate.of(1950, 1, 1), LocalDate.of(1974, 8, 21)),
				"139" + String.format("%08d", random.nextInt(100_000_000)), compound, "102", "其他", null, "常住", null));
		long quarantine = this.jdbc.sql("""
				insert into quarantine (resident_id, path, kind, reason, place, starts_on, ends_on, created_by)
				values (:r, :path, 'HOME', '密接', '住所', current_date, current_date + 7, :by) returning id""")
			.param("r", resident)
			.param("path", tree.communityA1().path())
			.param("by", worker.accountId())
			.query(Long.class)
			.single();

		String checkIn = get("/q/" + this.checkInLinks.token(quarantine));
		Matcher fromCheckIn = LINK.matcher(checkIn);
		assertThat(fromCheckIn.find()).as(checkIn).isTrue();
		assertThat(checkIn).contains("需要买药、生活物资");
		String page = get(fromCheckIn.group(1));
		assertThat(page).contains("生活物资需求").doesNotContain("链接无效");

		long household = this.jdbc.sql("select household_id from resident where id = :id")
			.param("id", resident)
			.query(Long.class)
			.single();
		String family = get("/f/" + this.familyLinks.token(household, Instant.now().plus(Duration.ofDays(3))));
		Matcher fromFamily = LINK.matcher(family);
		assertThat(fromFamily.find()).as(family).isTrue();
		assertThat(fromFamily.group(1)).isEqualTo(fromCheckIn.group(1));
		// a forged link opens nothing
		assertThat(get("/s/" + resident + ".AAAAAAAAAAAAAAAAAAAAAA")).contains("链接无效");
	}

}
