package org.fangxian.returnee.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.RiskAreas;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.InvalidInput;
import org.fangxian.returnee.ReturneeDecision;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The public self-report against abuse and bad input, and the worker's review, on the
 * real database.
 */
@RecordApplicationEvents
public class ReturneeReportTest extends IntegrationTest {

	/**
	 * 道里区, 哈尔滨市 and 朝阳区, 北京市: real codes, because the form accepts only official
	 * divisions.
	 */
	static final String DAOLI = "230102";

	static final String CHAOYANG = "110105";

	@Autowired
	PersonalDataProtection protection;

	@Autowired
	ReturneeReports reports;

	@Autowired
	ReturneeReviews reviews;

	@Autowired
	ResidentService residents;

	@Autowired
	RiskAreas riskAreas;

	@Autowired
	ApplicationEvents events;

	TestData.Tree tree;

	CurrentUser worker;

	String client;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		// Each test its own client address, so the per-address limit of one test never
		// meets another's.
		this.client = "10." + UUID.randomUUID().toString().substring(0, 8);
	}

	ReturneeReports.Submission form(String idNumber, LocalDate arrival, String origin) {
		return new ReturneeReports.Submission("李返乡", "RESIDENT_ID", idNumber, "139 0451 2345",
				this.tree.communityA1().code(), "3栋2单元501", null, null, origin, arrival.toString(), "TRAIN", "g1234",
				"", this.reports.formToken(Instant.now().minusSeconds(30)));
	}

	/**
	 * Reports of this person in community A1, found by their ID number's keyed hash: its
	 * masked form is shared by other tests' people (one held the same last four digits).
	 * The tests that expect 1 and 3 prove the hash is the one reports are stored under.
	 */
	long count(String idNumber) {
		return this.jdbc.sql("select count(*) from returnee_report where id_hash = :h and community_id = :c")
			.param("h", this.protection.lookupHash("RESIDENT_ID:" + new IdNumber(idNumber).value()))
			.param("c", this.tree.communityA1().id())
			.query(Long.class)
			.single();
	}

	@Test
	void filesAReportEncryptedAndMatchedToTheRegisteredResident() {
		String id = TestIdNumbers.next();
		long resident = this.residents.create(this.worker, new ResidentService.ResidentForm("李返乡", null, id,
				"13900000000", this.tree.communityA1().id(), "501", "户主", null, "常住", null));
		ReturneeReports.Receipt receipt = this.reports.submit(form(id, LocalDate.now().minusDays(1), DAOLI),
				this.client);
		assertThat(receipt.created()).isTrue();
		assertThat(receipt.reference()).matches("[A-Z2-9]{4}-[A-Z2-9]{4}");
		assertThat(receipt.communityName()).isEqualTo(this.tree.communityA1().name());

		var row = this.jdbc.sql(
				"select resident_id, id_cipher, id_masked, phone_masked, origin_name, transport_number, path from returnee_report where id_masked = :m")
			.param("m", new IdNumber(id).masked())
			.query((rs,
					i) -> new Object[] { rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getString(4),
							rs.getString(5), rs.getString(6), rs.getString(7) })
			.single();
		assertThat(row[0]).isEqualTo(resident);
		assertThat(new String((byte[]) row[1], java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(id);
		assertThat(row[2]).isEqualTo(id.substring(0, 4) + "**********" + id.substring(14));
		assertThat(row[3]).isEqualTo("139****2345");
		assertThat(row[4]).isEqualTo("黑龙江省 哈尔滨市 道里区");
		assertThat(row[5]).isEqualTo("G1234");
		assertThat(row[6]).isEqualTo(this.tree.communityA1().path());
	}

	@Test
	void theSameReportSentAgainIsOneReportWithTheSameReference() {
		String id = TestIdNumbers.next();
		LocalDate arrival = LocalDate.now().minusDays(2);
		ReturneeReports.Receipt first = this.reports.submit(form(id, arrival, DAOLI), this.client);
		ReturneeReports.Receipt again = this.reports.submit(form(id, arrival, DAOLI), this.client);
		ReturneeReports.Receipt elsewhere = this.reports.submit(form(id, arrival, DAOLI), "10.other." + this.client);
		assertThat(again.created()).isFalse();
		assertThat(elsewhere.created()).isFalse();
		assertThat(again.reference()).isEqualTo(first.reference());
		assertThat(elsewhere.reference()).isEqualTo(first.reference());
		assertThat(count(id)).isEqualTo(1);
	}

	@Test
	void aFilledHoneypotWritesNothingButLooksFiled() {
		String id = TestIdNumbers.next();
		ReturneeReports.Submission form = form(id, LocalDate.now().minusDays(1), DAOLI);
		ReturneeReports.Submission robot = new ReturneeReports.Submission(form.name(), form.idType(), form.idNumber(),
				form.phone(), form.community(), form.address(), null, null, form.originCode(), form.arrivalDate(),
				form.transport(), form.transportNumber(), "http://spam.example", form.started());
		ReturneeReports.Receipt receipt = this.reports.submit(robot, this.client);
		assertThat(receipt.created()).isFalse();
		assertThat(count(id)).isZero();
	}

	@Test
	void aFormSentWithinSecondsOrWithAForgedTimestampIsRefused() {
		String id = TestIdNumbers.next();
		ReturneeReports.Submission form = form(id, LocalDate.now().minusDays(1), DAOLI);
		ReturneeReports.Submission hurried = withStarted(form, this.reports.formToken(Instant.now()));
		assertThatThrownBy(() -> this.reports.submit(hurried, this.client)).isInstanceOf(InvalidInput.class)
			.extracting(e -> ((InvalidInput) e).messageKey())
			.isEqualTo("returnee.form.tooFast");
		String old = String.valueOf(Instant.now().minusSeconds(60).toEpochMilli());
		ReturneeReports.Submission forged = withStarted(form, old + ".AAAA");
		assertThatThrownBy(() -> this.reports.submit(forged, this.client)).isInstanceOf(InvalidInput.class)
			.extracting(e -> ((InvalidInput) e).messageKey())
			.isEqualTo("returnee.form.expired");
		ReturneeReports.Submission stale = withStarted(form,
				this.reports.formToken(Instant.now().minusSeconds(13 * 3600)));
		assertThatThrownBy(() -> this.reports.submit(stale, this.client)).isInstanceOf(InvalidInput.class)
			.extracting(e -> ((InvalidInput) e).messageKey())
			.isEqualTo("returnee.form.expired");
		assertThat(count(id)).isZero();
	}

	static ReturneeReports.Submission withStarted(ReturneeReports.Submission f, String started) {
		return new ReturneeReports.Submission(f.name(), f.idType(), f.idNumber(), f.phone(), f.community(), f.address(),
				f.originCity(), f.originDistrict(), f.originCode(), f.arrivalDate(), f.transport(), f.transportNumber(),
				f.website(), started);
	}

	@Test
	void oneClientAddressFilesAtMostFiveReportsAnHour() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.reports.submit(form(TestIdNumbers.next(), LocalDate.now().minusDays(1), DAOLI), this.client)
				.created()).isTrue();
		}
		String sixth = TestIdNumbers.next();
		assertThatThrownBy(() -> this.reports.submit(form(sixth, LocalDate.now().minusDays(1), DAOLI), this.client))
			.isInstanceOf(InvalidInput.class)
			.extracting(e -> ((InvalidInput) e).messageKey())
			.isEqualTo("returnee.limit.client");
		assertThat(count(sixth)).isZero();
		// Another address is not held back.
		assertThat(this.reports.submit(form(sixth, LocalDate.now().minusDays(1), DAOLI), this.client + ".2").created())
			.isTrue();
		assertThat(count(sixth)).isOne();
	}

	@Test
	void onePersonFilesAtMostThreeReportsADayFromAnyAddress() {
		String id = TestIdNumbers.next();
		for (int i = 1; i <= 3; i++) {
			assertThat(
					this.reports.submit(form(id, LocalDate.now().minusDays(i), DAOLI), this.client + "." + i).created())
				.isTrue();
		}
		assertThatThrownBy(() -> this.reports.submit(form(id, LocalDate.now().minusDays(4), DAOLI), this.client + ".4"))
			.isInstanceOf(InvalidInput.class)
			.extracting(e -> ((InvalidInput) e).messageKey())
			.isEqualTo("returnee.limit.person");
		assertThat(count(id)).isEqualTo(3);
	}

	@Test
	void anInvalidIdNumberAndAFutureArrivalAreReportedFieldByFieldAndWriteNothing() {
		String good = TestIdNumbers.next();
		String bad = good.substring(0, 17) + (good.charAt(17) == '0' ? '1' : '0');
		long before = this.jdbc.sql("select count(*) from returnee_report").query(Long.class).single();
		long submissionsBefore = this.jdbc.sql("select count(*) from returnee_submission").query(Long.class).single();
		assertThatThrownBy(() -> this.reports.submit(form(bad, LocalDate.now().plusDays(1), DAOLI), this.client))
			.isInstanceOfSatisfying(ReturneeReports.InvalidReport.class,
					ex -> assertThat(ex.errors()).extracting(InvalidInput::field, InvalidInput::messageKey)
						.containsExactly(org.assertj.core.groups.Tuple.tuple("idNumber", "id.checksum"),
								org.assertj.core.groups.Tuple.tuple("arrivalDate", "returnee.arrival.future")));
		assertThatThrownBy(() -> this.reports.submit(form(good, LocalDate.now().minusDays(31), "999999"), this.client))
			.isInstanceOfSatisfying(ReturneeReports.InvalidReport.class,
					ex -> assertThat(ex.errors()).extracting(InvalidInput::field)
						.containsExactly("origin", "arrivalDate"));
		long after = this.jdbc.sql("select count(*) from returnee_report").query(Long.class).single();
		assertThat(after).isEqualTo(before);
		assertThat(this.jdbc.sql("select count(*) from returnee_submission").query(Long.class).single())
			.isEqualTo(submissionsBefore);
	}

	@Test
	void theWorkerDecidesWithTheOriginsLevelOnTheArrivalDaySuggested() {
		CurrentUser hq = this.data.user(Role.HQ_ADMIN, this.tree.district());
		LocalDate arrival = LocalDate.now().minusDays(3);
		// High risk only around the arrival day: the register's history, not today's
		// state, decides.
		this.riskAreas.add(hq,
				new RiskAreas.NewRiskArea(DAOLI, "HIGH", arrival.minusDays(1), arrival.plusDays(1), "test"));
		this.riskAreas.add(hq, new RiskAreas.NewRiskArea(CHAOYANG, "MEDIUM", arrival.minusDays(1), arrival, "test"));
		String id = TestIdNumbers.next();
		this.reports.submit(form(id, arrival, DAOLI + "004000"), this.client);
		this.reports.submit(form(TestIdNumbers.next(), arrival, CHAOYANG), this.client);
		this.reports.submit(form(TestIdNumbers.next(), arrival.minusDays(5), CHAOYANG), this.client);

		var list = this.reviews.list(this.worker);
		assertThat(list).hasSize(3).allSatisfy(r -> assertThat(r.decision()).isNull());
		long fromDaoli = list.stream().filter(r -> r.originName().contains("道里区")).findFirst().orElseThrow().id();
		ReturneeReviews.ReportDetail detail = this.reviews.view(this.worker, fromDaoli);
		assertThat(detail.originLevel()).isEqualTo(RiskAreas.Level.HIGH);
		assertThat(detail.suggested()).isEqualTo(ReturneeDecision.HOME_QUARANTINE);
		assertThat(detail.idNumber()).contains("**********").doesNotContain(id.substring(6, 14));
		assertThat(detail.residentId()).isNull();
		assertThat(list.stream()
			.filter(r -> r.originName().contains("朝阳区"))
			.map(r -> this.reviews.view(this.worker, r.id()).suggested()))
			.containsExactlyInAnyOrder(ReturneeDecision.HEALTH_MONITORING, ReturneeDecision.NO_ACTION);

		ReturneeReviews.ReportDetail revealed = this.reviews.reveal(this.worker, fromDaoli);
		assertThat(revealed.idNumber()).isEqualTo(id);
		assertThat(revealed.phone()).isEqualTo("13904512345");

		// Registered after reporting: matched when the worker opens the report.
		long resident = this.residents.create(this.worker, new ResidentService.ResidentForm("李返乡", null, id,
				"13900000000", this.tree.communityA1().id(), "501", "户主", null, "常住", null));
		ReturneeReviews.ReportDetail decided = this.reviews.decide(this.worker, fromDaoli, "home_quarantine",
				"14 天居家隔离");
		assertThat(decided.decision()).isEqualTo(ReturneeDecision.HOME_QUARANTINE);
		assertThat(decided.residentId()).isEqualTo(resident);
		assertThat(decided.decidedBy()).isEqualTo(this.worker.displayName());
		assertThat(this.jdbc.sql("select origin_level from returnee_report where id = :id")
			.param("id", fromDaoli)
			.query(String.class)
			.single()).isEqualTo("HIGH");
		// The decision starts the home quarantine, counted from the arrival day: the gate
		// now keeps them home.
		assertThat(this.jdbc.sql("""
				select kind || ' ' || starts_on || ' ' || ends_on from quarantine
				where resident_id = :r and released_at is null""").param("r", resident).query(String.class).single())
			.isEqualTo("HOME " + arrival + " " + arrival.plusDays(14));
		assertThatThrownBy(() -> this.reviews.decide(this.worker, fromDaoli, "NO_ACTION", null))
			.isInstanceOf(InvalidInput.class)
			.extracting(e -> ((InvalidInput) e).messageKey())
			.isEqualTo("returnee.decision.already");
		assertThat(this.reviews.list(this.worker).get(2).id()).isEqualTo(fromDaoli);
		long audited = this.jdbc.sql("""
				select count(*) from audit_event where target_type = 'returnee_report' and target_id = :id
				and action in ('RETURNEE_REPORT_VIEWED', 'RETURNEE_REPORT_REVEALED', 'RETURNEE_DECIDED')""")
			.param("id", String.valueOf(fromDaoli))
			.query(Long.class)
			.single();
		assertThat(audited).isEqualTo(3);
	}

	@Test
	void aReportIsSeenOnlyInsideTheJurisdictionAndByThoseWhoManageContainment() {
		this.reports.submit(form(TestIdNumbers.next(), LocalDate.now().minusDays(1), DAOLI), this.client);
		long id = this.reviews.list(this.worker).get(0).id();
		CurrentUser sibling = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		CurrentUser volunteer = this.data.user(Role.VOLUNTEER, this.tree.communityA1());
		CurrentUser street = this.data.user(Role.STREET_ADMIN, this.tree.streetA());
		assertThat(this.reviews.list(sibling)).isEmpty();
		assertThatThrownBy(() -> this.reviews.view(sibling, id)).isInstanceOf(AccessDeniedException.class);
		assertThatThrownBy(() -> this.reviews.decide(sibling, id, "NO_ACTION", null))
			.isInstanceOf(AccessDeniedException.class);
		assertThatThrownBy(() -> this.reviews.list(volunteer)).isInstanceOf(AccessDeniedException.class);
		assertThat(this.reviews.list(street)).extracting(ReturneeReviews.ReportRow::id).contains(id);
		// The street administrator may not see full numbers.
		assertThatThrownBy(() -> this.reviews.reveal(street, id)).isInstanceOf(AccessDeniedException.class);
	}

}
