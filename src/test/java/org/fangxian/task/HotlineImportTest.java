package org.fangxian.task;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 12345 hotline's daily export (XLSX) imported as work orders: valid rows opened in
 * the caller's jurisdiction, refused rows reported with their row number and column, the
 * same export imported again adds nothing, phones kept encrypted, a file without the
 * columns refused whole.
 */
class HotlineImportTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	TestData.Tree tree;

	String street;

	record Answer(int status, JsonNode body) {
	}

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.street = this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetA()));
	}

	static byte[] xlsx(List<Object[]> rows) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (Workbook workbook = new Workbook(out, "12345", "1.0")) {
			Worksheet sheet = workbook.newWorksheet("工单");
			for (int r = 0; r < rows.size(); r++) {
				for (int c = 0; c < rows.get(r).length; c++) {
					Object value = rows.get(r)[c];
					if (value instanceof Number number) {
						sheet.value(r, c, number);
					}
					else if (value != null) {
						sheet.value(r, c, value.toString());
					}
				}
			}
		}
		return out.toByteArray();
	}

	private Answer upload(String token, byte[] bytes, String name) {
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return name;
			}
		});
		return RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + token)
			.build()
			.post()
			.uri("/api/v1/work-orders/import")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.exchange((req, response) -> {
				byte[] body = response.getBody().readAllBytes();
				return new Answer(response.getStatusCode().value(), body.length == 0 ? null : JSON.readTree(body));
			});
	}

	@Test
	void importsValidRowsReportsRefusedOnesByNumberAndNeverTwice() throws IOException {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		byte[] file = xlsx(List.of(new Object[] { "工单编号", "来电时间", "来电号码", "内容", "分类", "所属社区/街道", "备注" },
				new Object[] { "GD" + tag + "-1", "2026-12-01 08:15", "13800138001", "小区门口快递堆放无人消杀", "疫情防控", "福乐湾社区",
						"x" },
				new Object[] { "GD" + tag + "-2", "2026/12/1 9:30", "13800138002", "隔离户垃圾未清运", "环境卫生", "甲街道/福同社区" },
				new Object[] { "GD" + tag + "-3", "", "12345", "号码不对", "其他", "福乐湾社区" },
				new Object[] { "GD" + tag + "-4", "", "13800138004", "别的街道", "其他", "民茂社区" },
				new Object[] { "", "", "13800138005", "没有编号", "其他", "福乐湾社区" },
				new Object[] { "GD" + tag + "-6", "昨天", "13800138006", "时间不对", "其他", "福乐湾社区" },
				new Object[] { "GD" + tag + "-1", "2026-12-01 08:15", "13800138001", "同一工单又出现一次", "疫情防控", "福乐湾社区" },
				new Object[] { "GD" + tag + "-8", "", "13800138008", "街道自己的", "其他", this.tree.streetA().code() }));
		Answer first = upload(this.street, file, "12345日报.xlsx");
		assertThat(first.status()).as("%s", first.body()).isEqualTo(200);
		assertThat(first.body().get("rows").asInt()).isEqualTo(8);
		assertThat(first.body().get("imported").asInt()).isEqualTo(3);
		assertThat(first.body().get("skipped").asInt()).isEqualTo(1);
		JsonNode rejected = first.body().get("rejected");
		assertThat(rejected.size()).isEqualTo(4);
		assertThat(rejected.get(0).get("row").asInt()).isEqualTo(4);
		assertThat(rejected.get(0).get("column").asString()).isEqualTo("来电号码");
		assertThat(rejected.get(0).get("code").asString()).isEqualTo("task.import.phone");
		// another street's community is not found in this jurisdiction
		assertThat(rejected.get(1).get("row").asInt()).isEqualTo(5);
		assertThat(rejected.get(1).get("code").asString()).isEqualTo("task.import.unknownPlace");
		assertThat(rejected.get(1).get("message").asString()).contains("民茂社区");
		assertThat(rejected.get(2).get("row").asInt()).isEqualTo(6);
		assertThat(rejected.get(2).get("column").asString()).isEqualTo("工单编号");
		assertThat(rejected.get(3).get("row").asInt()).isEqualTo(7);
		assertThat(rejected.get(3).get("code").asString()).isEqualTo("task.import.time");

		List<String> refs = this.jdbc.sql("""
				select w.hotline_ref || '@' || t.node_id from work_order w join task t on t.id = w.task_id
				where w.hotline_ref like :tag order by w.hotline_ref""")
			.param("tag", "GD" + tag + "%")
			.query(String.class)
			.list();
		assertThat(refs).containsExactly("GD" + tag + "-1@" + this.tree.communityA1().id(),
				"GD" + tag + "-2@" + this.tree.communityA2().id(), "GD" + tag + "-8@" + this.tree.streetA().id());
		assertThat(this.jdbc
			.sql("select to_char(called_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') "
					+ "from work_order where hotline_ref = :ref")
			.param("ref", "GD" + tag + "-1")
			.query(String.class)
			.single()).isEqualTo("2026-12-01 08:15");
		assertThat(this.jdbc.sql("select phone_masked from work_order where hotline_ref = :ref")
			.param("ref", "GD" + tag + "-1")
			.query(String.class)
			.single()).doesNotContain("13800138001").contains("*");

		// the board names an imported order by the hotline's own ticket number
		JsonNode board = RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + this.street)
			.build()
			.get()
			.uri("/api/v1/work-orders")
			.exchange((req, response) -> JSON.readTree(response.getBody().readAllBytes()));
		assertThat(board.valueStream().map(o -> o.get("hotlineRef").asString())).contains("GD" + tag + "-1",
				"GD" + tag + "-2", "GD" + tag + "-8");

		// the same export again: nothing new
		Answer again = upload(this.street, file, "12345日报.xlsx");
		assertThat(again.body().get("imported").asInt()).isZero();
		assertThat(again.body().get("skipped").asInt()).isEqualTo(4);
		assertThat(this.jdbc.sql("select count(*) from work_order where hotline_ref like :tag")
			.param("tag", "GD" + tag + "%")
			.query(Integer.class)
			.single()).isEqualTo(3);
	}

	@Test
	void anotherStreetsTicketSaysNothingOfWhetherItWasImportedThere() throws IOException {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		String streetB = this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetB()));
		byte[] file = xlsx(List.of(new Object[] { "工单编号", "来电号码", "内容", "分类", "所属社区/街道" },
				new Object[] { "GD" + tag + "-1", "13800138001", "民茂社区的事", "其他", "民茂社区" },
				new Object[] { "GD" + tag + "-2", "13800138002", "民茂社区的另一件事", "其他", "民茂社区" }));
		Answer there = upload(streetB, xlsx(List.of(new Object[] { "工单编号", "来电号码", "内容", "分类", "所属社区/街道" },
				new Object[] { "GD" + tag + "-1", "13800138001", "民茂社区的事", "其他", "民茂社区" })), "12345日报.xlsx");
		assertThat(there.body().get("imported").asInt()).isEqualTo(1);

		// Street A's administrator: both rows are another street's, the imported one and
		// the
		// one nobody imported answer alike.
		Answer here = upload(this.street, file, "12345日报.xlsx");
		assertThat(here.status()).isEqualTo(200);
		assertThat(here.body().get("imported").asInt()).isZero();
		assertThat(here.body().get("skipped").asInt()).isZero();
		JsonNode rejected = here.body().get("rejected");
		assertThat(rejected.size()).isEqualTo(2);
		assertThat(rejected.get(0).get("code").asString()).isEqualTo("task.import.unknownPlace");
		assertThat(rejected.get(1).get("code").asString()).isEqualTo("task.import.unknownPlace");
	}

	@Test
	void aFileWithoutTheColumnsOrNotASpreadsheetIsRefusedWhole() throws IOException {
		Answer noColumns = upload(this.street,
				xlsx(List.<Object[]>of(new Object[] { "编号", "电话" }, new Object[] { "A1", "13800138000" })), "x.xlsx");
		assertThat(noColumns.status()).isEqualTo(400);
		assertThat(noColumns.body().get("code").asString()).isEqualTo("task.import.columns");
		Answer empty = upload(this.street, new byte[0], "x.xlsx");
		assertThat(empty.status()).isEqualTo(400);
		Answer csv = upload(this.street,
				("工单编号,来电号码,内容,分类,所属社区/街道\nCSV-" + UUID.randomUUID() + ",13800138009,CSV 也可以,其他,福乐湾社区\n")
					.getBytes(StandardCharsets.UTF_8),
				"x.csv");
		assertThat(csv.status()).as("%s", csv.body()).isEqualTo(200);
		assertThat(csv.body().get("imported").asInt()).isEqualTo(1);
		String volunteer = this.data.token(baseUrl(), this.data.account(Role.SAMPLER, this.tree.communityA1()));
		assertThat(upload(volunteer, "x".getBytes(StandardCharsets.UTF_8), "x.csv").status()).isEqualTo(403);
	}

}
