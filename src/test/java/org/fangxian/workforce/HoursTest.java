package org.fangxian.workforce;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.WebSession;
import org.fangxian.registry.DivisionTree;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.workforce.internal.Hours;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hours on duty for recognition reports: from check-in (not before the shift) to
 * check-out (not after it), per person, team and organisation, and the same in XLSX.
 */
class HoursTest extends IntegrationTest {

	@Autowired
	Hours hours;

	@Autowired
	DivisionTree divisions;

	@Test
	void countsCheckedInTimeWithinTheShiftPerPersonTeamAndOrganisation() throws IOException {
		TestData.Tree tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		long a = volunteer(tree, "=甲一", "区卫健局");
		long b = volunteer(tree, "乙二", "区卫健局");
		long c = volunteer(tree, "丙三", "区教育局");
		long post = this.jdbc.sql("""
				insert into duty_post (node_id, path, name, kind, qr_token, created_by)
				values (:node, :path, '北门', 'CHECKPOINT', :token, 0) returning id""")
			.param("node", tree.communityA1().id())
			.param("path", tree.communityA1().path())
			.param("token", java.util.UUID.randomUUID().toString())
			.query(Long.class)
			.single();
		long shift = this.jdbc.sql(
				"insert into duty_shift (post_id, seq, starts, ends, headcount) values (:p, 1, '07:00', '14:00', 3) returning id")
			.param("p", post)
			.query(Long.class)
			.single();
		long roster = this.jdbc.sql("""
				insert into duty_roster (node_id, path, from_date, to_date, seconds, state, created_by)
				values (:node, :path, date '2027-03-01', date '2027-03-02', 1, 'DONE', 0) returning id""")
			.param("node", tree.communityA1().id())
			.param("path", tree.communityA1().path())
			.query(Long.class)
			.single();
		// 甲一: in early (counts from 07:00), out at 12:00 → 5 h; next day no check-out → 7
		// h.
		seat(roster, shift, post, "2027-03-01", a, "2027-03-01 06:30", "2027-03-01 12:00");
		seat(roster, shift, post, "2027-03-02", a, "2027-03-02 07:00", null);
		// 乙二: late at 08:00, out after the end → 6 h.
		seat(roster, shift, post, "2027-03-01", b, "2027-03-01 08:00", "2027-03-01 15:00");
		// 丙三 never checked in: no hours.
		seat(roster, shift, post, "2027-03-01", c, null, null);

		Hours.Report report = this.hours.report(worker, this.divisions.node(worker, tree.communityA1().id()),
				LocalDate.of(2027, 3, 1), LocalDate.of(2027, 3, 2));
		assertThat(report.people()).extracting(Hours.Line::name, Hours.Line::shifts, Hours.Line::hours)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("=甲一", 2, 12.0),
					org.assertj.core.groups.Tuple.tuple("乙二", 1, 6.0));
		assertThat(report.organisations()).extracting(Hours.Line::name, Hours.Line::hours)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("区卫健局", 18.0));

		byte[] xlsx = this.hours.xlsx(worker, this.divisions.node(worker, tree.communityA1().id()), report);
		try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
			List<Row> rows = workbook.getFirstSheet().read();
			assertThat(rows.get(0).getCellText(0)).isEqualTo("姓名");
			// A name that starts like a formula is written as text.
			assertThat(rows.get(1).getCellText(0)).isNotEqualTo("=甲一").contains("甲一");
			assertThat(rows.get(1).getCellText(3)).startsWith("12");
		}
	}

	long volunteer(TestData.Tree tree, String name, String organisation) {
		return this.jdbc.sql("""
				insert into volunteer (node_id, path, name, organisation, phone_hash)
				values (:node, :path, :name, :org, :hash) returning id""")
			.param("node", tree.communityA1().id())
			.param("path", tree.communityA1().path())
			.param("name", name)
			.param("org", organisation)
			.param("hash", java.util.UUID.randomUUID().toString().getBytes())
			.query(Long.class)
			.single();
	}

	void seat(long roster, long shift, long post, String day, long volunteer, String in, String out) {
		this.jdbc
			.sql("""
					insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id,
					                             checked_in_at, checked_out_at)
					values (:roster, :shift, :post, cast(:day as date), cast(:day as date) + time '07:00',
					        cast(:day as date) + time '14:00', :v,
					        cast(:in as timestamp) at time zone 'Asia/Shanghai', cast(:out as timestamp) at time zone 'Asia/Shanghai')""")
			.param("roster", roster)
			.param("shift", shift)
			.param("post", post)
			.param("day", day)
			.param("v", volunteer)
			.param("in", in)
			.param("out", out)
			.update();
	}

	@Test
	void aPeriodWithoutCheckInsSaysWhyItHasNoHoursAndWhatToDo() {
		TestData.Tree tree = this.data.tree();
		WebSession session = WebSession.signIn(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		HttpResponse<String> page = session.get("/workforce/hours?code=" + tree.communityA1().code());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("这段时间没有人签到上岗").doesNotContain("id=\"hours-people\"");
	}

}
