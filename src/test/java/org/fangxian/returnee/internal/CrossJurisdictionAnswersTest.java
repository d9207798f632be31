package org.fangxian.returnee.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Answers about an ID number registered in another jurisdiction say only "cannot be
 * registered here; ask the street": no name, address, community or record id of the other
 * registration, whether the worker types the number into the resident form or reviews a
 * returnee's report that matches it.
 */
class CrossJurisdictionAnswersTest extends IntegrationTest {

	@Autowired
	ResidentService residents;

	@Autowired
	ReturneeReports reports;

	@Autowired
	ReturneeReviews reviews;

	@Autowired
	MessageSource messages;

	TestData.Tree tree;

	CurrentUser workerA1;

	CurrentUser workerB1;

	String idNumber;

	long residentB1;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.workerA1 = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.workerB1 = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityB1());
		this.idNumber = TestIdNumbers.next();
		this.residentB1 = this.residents.create(this.workerB1, new ResidentService.ResidentForm("欧阳秘密", null,
				this.idNumber, "13900000000", this.tree.communityB1().id(), "808", "户主", null, "常住", null));
	}

	@Test
	void registeringAPersonOfAnotherJurisdictionSaysAskTheStreetAndNothingMore() {
		ResidentService.ResidentForm form = new ResidentService.ResidentForm("张三", null, this.idNumber, null,
				this.tree.communityA1().id(), "101", "户主", null, "常住", null);
		assertThatThrownBy(() -> this.residents.create(this.workerA1, form)).isInstanceOfSatisfying(InvalidInput.class,
				ex -> {
					assertThat(ex.messageKey()).isEqualTo("registry.elsewhere");
					assertThat(ex.field()).isEqualTo("idNumber");
					String text = this.messages.getMessage(ex.messageKey(), ex.args(),
							java.util.Locale.SIMPLIFIED_CHINESE);
					assertThat(text).isEqualTo("不能在此登记，请联系街道")
						.doesNotContain("欧阳", this.tree.communityB1().name(), "808", String.valueOf(this.residentB1));
				});
		// Inside the jurisdiction the worker may be told it is registered already: they
		// can find it.
		assertThatThrownBy(() -> this.residents.create(this.workerB1,
				new ResidentService.ResidentForm("欧阳秘密", null, this.idNumber, null, this.tree.communityB1().id(), "809",
						"户主", null, "常住", null)))
			.isInstanceOfSatisfying(InvalidInput.class,
					ex -> assertThat(ex.messageKey()).isEqualTo("resident.idNumber.taken"));
	}

	@Test
	void aReturneeReportMatchingSomeoneElsewhereShowsNoLinkToThem() {
		ReturneeReports.Submission form = new ReturneeReports.Submission("欧阳秘密", "RESIDENT_ID", this.idNumber,
				"139 0451 2345", this.tree.communityA1().code(), "3栋2单元501", null, null, ReturneeReportTest.DAOLI,
				LocalDate.now().minusDays(1).toString(), "TRAIN", "g1234", "",
				this.reports.formToken(Instant.now().minusSeconds(30)));
		this.reports.submit(form, "10." + UUID.randomUUID().toString().substring(0, 8));
		long reportId = this.jdbc.sql("select id from returnee_report where community_id = :c")
			.param("c", this.tree.communityA1().id())
			.query(Long.class)
			.single();

		ReturneeReviews.ReportDetail detail = this.reviews.view(this.workerA1, reportId);
		assertThat(detail.residentId()).as("the other registration's id").isNull();
		assertThat(detail.registeredElsewhere()).isTrue();
		assertThat(this.reviews.list(this.workerA1)).filteredOn(r -> r.id() == reportId)
			.singleElement()
			.satisfies(row -> assertThat(row.residentId()).isNull());

		// A decision for quarantine starts nothing here (the person is another
		// jurisdiction's) and does not fail.
		ReturneeReviews.ReportDetail decided = this.reviews.decide(this.workerA1, reportId, "HOME_QUARANTINE", "");
		assertThat(decided.residentId()).isNull();
		assertThat(this.jdbc.sql("select count(*) from quarantine where resident_id = :r")
			.param("r", this.residentB1)
			.query(Integer.class)
			.single()).isZero();
	}

}
