package org.fangxian.reporting;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.WebSession;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily report's lifecycle through the API, its roll-up at the district, and its PDF
 * and XLSX.
 */
class DailyReportTest extends IntegrationTest {

	TestData.Tree tree;

	RestClient street;

	RestClient hq;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.street = client(this.data.account(Role.STREET_ADMIN, this.tree.streetA()));
		this.hq = client(this.data.account(Role.HQ_ADMIN, this.tree.district()));
		// Two gate passages today in A1, written by the gate itself (the triggers count
		// them).
		CheckpointSeed.passages(this.jdbc, this.tree.communityA1().id(), 2);
	}

	private RestClient client(String username) {
		return RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + this.data.token(baseUrl(), username))
			.build();
	}

	private record Answer(int status, Map<String, Object> body) {
	}

	@SuppressWarnings("unchecked")
	private Answer call(RestClient client, String method, String uri, Object body) {
		var spec = client.method(org.springframework.http.HttpMethod.valueOf(method)).uri(uri);
		if (body != null) {
			spec = spec.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return spec.exchange((request, response) -> new Answer(response.getStatusCode().value(),
				response.getStatusCode().value() == 204 ? Map.of() : response.bodyTo(Map.class)));
	}

	private byte[] file(RestClient client, String uri, MediaType expected) {
		return client.get().uri(uri).exchange((request, response) -> {
			assertThat(response.getStatusCode().value()).isEqualTo(200);
			assertThat(response.getHeaders().getContentType().isCompatibleWith(expected)).isTrue();
			return response.getBody().readAllBytes();
		});
	}

	@Test
	void aDraftIsEditedSubmittedLockedAndReopenedByTheHqWithAReason() throws Exception {
		String today = LocalDate.now(ChinaStandardTime.ZONE).toString();
		Answer created = call(this.street, "POST", "/api/v1/daily-reports",
				Map.of("code", this.tree.streetA().code(), "date", today));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.body().get("state")).isEqualTo("DRAFT");
		Map<?, ?> gate = (Map<?, ?>) ((Map<?, ?>) created.body().get("figures")).get("gate");
		assertThat(gate.get("in")).as("figures read from what the gates recorded").isEqualTo(2);
		Object id = created.body().get("id");

		Answer again = call(this.street, "POST", "/api/v1/daily-reports",
				Map.of("code", this.tree.streetA().code(), "date", today));
		assertThat(again.status()).as("a second create returns the same report").isEqualTo(200);
		assertThat(again.body().get("id")).isEqualTo(id);

		Answer edited = call(this.street, "PUT", "/api/v1/daily-reports/" + id,
				Map.of("workDone", "完成全员核酸采样，劝返外来人员2人", "problems", "防护物资紧张", "plans", "继续入户排查"));
		assertThat(edited.status()).isEqualTo(200);
		assertThat(edited.body().get("workDone")).isEqualTo("完成全员核酸采样，劝返外来人员2人");

		Answer submitted = call(this.street, "POST", "/api/v1/daily-reports/" + id + "/submit", null);
		assertThat(submitted.status()).isEqualTo(200);
		assertThat(submitted.body().get("state")).isEqualTo("SUBMITTED");
		Answer locked = call(this.street, "PUT", "/api/v1/daily-reports/" + id,
				Map.of("workDone", "改", "problems", "", "plans", ""));
		assertThat(locked.status()).isEqualTo(409);
		assertThat(locked.body().get("code")).isEqualTo("report.locked");

		assertThat(
				call(this.street, "POST", "/api/v1/daily-reports/" + id + "/reopen", Map.of("reason", "数字有误")).status())
			.as("only the HQ reopens")
			.isEqualTo(403);
		assertThat(call(this.hq, "POST", "/api/v1/daily-reports/" + id + "/reopen", Map.of("reason", " ")).status())
			.isEqualTo(400);
		Answer reopened = call(this.hq, "POST", "/api/v1/daily-reports/" + id + "/reopen", Map.of("reason", "数字有误"));
		assertThat(reopened.body().get("state")).isEqualTo("DRAFT");
		assertThat(this.jdbc
			.sql("select count(*) from audit_event where action = 'DAILY_REPORT_REOPENED' and target_id = :id")
			.param("id", String.valueOf(id))
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(call(this.street, "PUT", "/api/v1/daily-reports/" + id,
				Map.of("workDone", "已更正", "problems", "", "plans", ""))
			.status()).isEqualTo(200);

		// Outside the jurisdiction: another street's admin cannot read it.
		RestClient other = client(this.data.account(Role.STREET_ADMIN, this.tree.streetB()));
		assertThat(call(other, "GET", "/api/v1/daily-reports/" + id, null).status()).isEqualTo(403);
		assertThat(call(this.street, "POST", "/api/v1/daily-reports", Map.of("code", this.tree.communityA1().code()))
			.status()).as("communities do not write daily reports").isEqualTo(400);
		assertThat(call(this.street, "POST", "/api/v1/daily-reports",
				Map.of("code", this.tree.streetA().code(), "date", "2022-02-30"))
			.status()).isEqualTo(400);
	}

	@Test
	void theDistrictsReportRollsUpItsStreetsAndShowsWhoHasNotSubmitted() {
		String today = LocalDate.now(ChinaStandardTime.ZONE).toString();
		Object streetReport = call(this.street, "POST", "/api/v1/daily-reports",
				Map.of("code", this.tree.streetA().code(), "date", today))
			.body()
			.get("id");
		call(this.street, "PUT", "/api/v1/daily-reports/" + streetReport,
				Map.of("workDone", "甲街道今日工作", "problems", "", "plans", ""));
		call(this.street, "POST", "/api/v1/daily-reports/" + streetReport + "/submit", null);
		Answer district = call(this.hq, "POST", "/api/v1/daily-reports",
				Map.of("code", this.tree.district().code(), "date", today));
		List<?> streets = (List<?>) district.body().get("streets");
		assertThat(streets).hasSize(2);
		Map<?, ?> a = (Map<?, ?>) streets.stream()
			.filter(s -> "甲街道".equals(((Map<?, ?>) s).get("name")))
			.findFirst()
			.get();
		Map<?, ?> b = (Map<?, ?>) streets.stream()
			.filter(s -> "乙街道".equals(((Map<?, ?>) s).get("name")))
			.findFirst()
			.get();
		assertThat(a.get("state")).isEqualTo("SUBMITTED");
		assertThat(a.get("workDone")).isEqualTo("甲街道今日工作");
		assertThat(b.get("state")).as("street B has not submitted").isNull();
	}

	@Test
	void thePdfIsInChineseWithTheFontEmbeddedAndTheXlsxHasTheFigures() throws Exception {
		String today = LocalDate.now(ChinaStandardTime.ZONE).toString();
		Object id = call(this.street, "POST", "/api/v1/daily-reports",
				Map.of("code", this.tree.streetA().code(), "date", today))
			.body()
			.get("id");
		call(this.street, "PUT", "/api/v1/daily-reports/" + id,
				Map.of("workDone", "完成全员核酸采样", "problems", "防护物资紧张", "plans", "继续入户排查"));
		byte[] pdf = file(this.street, "/api/v1/daily-reports/" + id + ".pdf", MediaType.APPLICATION_PDF);
		try (PDDocument document = Loader.loadPDF(pdf)) {
			String text = new PDFTextStripper().getText(document);
			assertThat(text).contains("甲街道 疫情防控日报").contains("进入").contains("完成全员核酸采样").contains("防护物资紧张");
			assertThat(text.replaceAll("\\s+", " ")).as("the two passages, labelled in Chinese")
				.containsPattern("进入 2");
			PDFont font = document.getPage(0)
				.getResources()
				.getFont(document.getPage(0).getResources().getFontNames().iterator().next());
			assertThat(font.getName()).contains("NotoSansCJKsc");
			assertThat(font.isEmbedded()).isTrue();
			BufferedImage page = new PDFRenderer(document).renderImageWithDPI(0, 110);
			File dir = new File("target/screenshots");
			dir.mkdirs();
			ImageIO.write(page, "png", new File(dir, "daily-report-pdf-page1.png"));
		}
		byte[] xlsx = file(this.street, "/api/v1/daily-reports/" + id + ".xlsx",
				MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
		try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
			List<Row> rows = workbook.getFirstSheet().read();
			assertThat(rows.get(0).getCellText(0)).contains("甲街道");
			Row in = rows.stream().filter(r -> "进入".equals(r.getCellText(0))).findFirst().orElseThrow();
			assertThat(in.getCellText(1)).isEqualTo("2");
		}
	}

	@Test
	void aStreetWithoutReportsSaysHowToWriteTheFirstOne() {
		WebSession session = WebSession.signIn(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetA()));
		HttpResponse<String> page = session.get("/reports?code=" + this.tree.streetA().code());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("还没有日报。点“生成今日日报”").doesNotContain("<table");
	}

}
