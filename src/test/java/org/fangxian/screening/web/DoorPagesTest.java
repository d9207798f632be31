package org.fangxian.screening.web;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.WebSession;
import org.fangxian.screening.internal.ScreeningCampaigns;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The door-to-door pages as a community worker uses them (issue 13): the door grid names
 * each door's unit and lists rooms floor by floor, and a refused knock keeps what was
 * typed.
 */
class DoorPagesTest extends IntegrationTest {

	@Autowired
	ScreeningCampaigns campaigns;

	String worker;

	long campaign;

	long door1001;

	@BeforeEach
	void setUp() {
		TestData.Tree tree = this.data.tree();
		this.worker = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		TestData.NodeRef compound = this.data.node(tree.communityA1().id(), "COMPOUND", null, "福乐湾小区");
		TestData.NodeRef building = this.data.node(compound.id(), "BUILDING", null, "3栋");
		TestData.NodeRef unit1 = this.data.node(building.id(), "UNIT", null, "1单元");
		TestData.NodeRef unit2 = this.data.node(building.id(), "UNIT", null, "2单元");
		// Inserted in text order, the order SQL would list them in.
		household(unit2, "1001");
		this.door1001 = household(unit1, "1001");
		household(unit1, "101");
		household(unit2, "101");
		household(unit1, "201");
		CurrentUser user = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		this.campaign = this.campaigns
			.create(user,
					new ScreeningCampaigns.NewCampaign("敲门行动", tree.communityA1().id(), LocalDate.now(),
							LocalDate.now().plusDays(3)))
			.id();
	}

	long household(TestData.NodeRef unit, String room) {
		return this.jdbc.sql("""
				insert into household (node_id, room, address) values (:node, :room, :address) returning id""")
			.param("node", unit.id())
			.param("room", room)
			.param("address", "福乐湾小区3栋" + room)
			.query(Long.class)
			.single();
	}

	@Test
	void everyDoorOnTheGridShowsItsUnitAndRoomsGoFloorByFloor() {
		WebSession session = WebSession.signIn(baseUrl(), this.worker);
		HttpResponse<String> page = session.get("/screening/" + this.campaign + "/doors?all=true");
		assertThat(page.statusCode()).isEqualTo(200);
		List<String> doors = new ArrayList<>();
		Matcher m = Pattern.compile("<strong class=\"room\">([^<]+)</strong>").matcher(page.body());
		while (m.find()) {
			doors.add(m.group(1));
		}
		assertThat(doors).containsExactly("1单元 101", "1单元 201", "1单元 1001", "2单元 101", "2单元 1001");
	}

	@Test
	void aRefusedKnockKeepsTheLetterTheNewcomerAndTheNote() {
		WebSession session = WebSession.signIn(baseUrl(), this.worker);
		String form = "/screening/" + this.campaign + "/doors/" + this.door1001;
		Map<String, String> typed = new LinkedHashMap<>();
		typed.put("key", "knock-" + this.door1001);
		typed.put("outcome", "AT_HOME");
		typed.put("symptoms", "yes");
		typed.put("symptomsNote", "咳嗽两天");
		typed.put("returnees", "2");
		typed.put("letterSigned", "yes");
		typed.put("newcomerName", "赵新来");
		typed.put("newcomerIdType", "RESIDENT_ID");
		// 17 digits and a wrong check digit: refused.
		typed.put("newcomerId", "11010519491231002X1");
		typed.put("newcomerPhone", "13912345678");
		typed.put("note", "租户，下周搬走");
		HttpResponse<String> refused = session.post(form, form, typed);

		assertThat(refused.statusCode()).isEqualTo(400);
		String body = refused.body();
		assertThat(body).contains("role=\"alert\"");
		assertThat(body).containsPattern("name=\"letterSigned\" value=\"yes\" id=\"letterSigned\" checked");
		assertThat(body).contains("value=\"赵新来\"", "value=\"11010519491231002X1\"", "value=\"13912345678\"",
				"value=\"租户，下周搬走\"", "value=\"咳嗽两天\"", "value=\"2\"");
		assertThat(body).containsPattern("name=\"symptoms\" value=\"yes\" checked");
		assertThat(body).containsPattern("<option value=\"RESIDENT_ID\" selected");
		assertThat(body).containsPattern("<details class=\"more\" id=\"newcomer\" open");
		// The same key again: nothing was recorded, the retry is the first knock.
		assertThat(body).contains("value=\"knock-" + this.door1001 + "\"");
		assertThat(this.jdbc
			.sql("select count(*) from screening_attempt a join screening_visit v on v.id = a.visit_id "
					+ "where v.campaign_id = :c")
			.param("c", this.campaign)
			.query(Long.class)
			.single()).isZero();

		// A fresh form is empty again.
		String fresh = session.get(form).body();
		assertThat(fresh).doesNotContain("赵新来", "租户，下周搬走").contains("name=\"symptoms\" value=\"no\" checked");
	}

	@Test
	void theProgressPageCountsADoorWithNobodyHomeApartFromTheDoorsNeverKnocked() {
		WebSession session = WebSession.signIn(baseUrl(), this.worker);
		String form = "/screening/" + this.campaign + "/doors/" + this.door1001;
		HttpResponse<String> knocked = session.post(form, form,
				Map.of("key", "knock-" + this.door1001, "outcome", "NOBODY_HOME"));
		assertThat(knocked.statusCode()).isEqualTo(302);

		String page = session.get("/screening/" + this.campaign).body();
		// Building: name, households, visited, nobody home, not visited, letters. Worker:
		// name, what they concluded, then the building's four. Nobody is assigned: the
		// worker table's one line is every door, counted as the building table counts
		// them.
		assertThat(cells(page, "by-building")).containsExactly("3栋", "5", "0", "1", "4", "0");
		assertThat(cells(page, "by-worker")).containsExactly("未分配", "0", "5", "0", "1", "4");
		assertThat(page).contains("未走访：还没敲过门", "“未分配”一行是还没分给任何人的户");
	}

	/** The cells of a table's body, in order. */
	static List<String> cells(String page, String tableId) {
		int table = page.indexOf("id=\"" + tableId + "\"");
		assertThat(table).as(tableId).isPositive();
		String body = page.substring(page.indexOf("<tbody>", table), page.indexOf("</tbody>", table));
		List<String> cells = new ArrayList<>();
		Matcher m = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(body);
		while (m.find()) {
			cells.add(m.group(1));
		}
		return cells;
	}

}
