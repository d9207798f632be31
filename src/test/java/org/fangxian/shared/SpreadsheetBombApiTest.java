package org.fangxian.shared;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three spreadsheet bombs (1.5 GB of shared strings in under 2 MB, or of cells in under 5
 * MB) arrive at once at the roster, lab-result and risk-area imports: each gets a 400
 * saying the file is too large, and the heap does not grow with them.
 */
class SpreadsheetBombApiTest extends IntegrationTest {

	private static final long GB_1_5 = 1_500L << 20;

	private final HttpClient http = HttpClient.newHttpClient();

	private CompletableFuture<HttpResponse<String>> upload(String token, String path, Map<String, String> fields,
			String filename, byte[] content) {
		String boundary = "bomb" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		fields.forEach((name, value) -> body.writeBytes(
				("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
					.getBytes(StandardCharsets.UTF_8)));
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + token)
			.header("Accept-Language", "zh-CN")
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	private static List<MemoryPoolMXBean> oldGeneration() {
		return ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter(pool -> pool.getType() == MemoryType.HEAP)
			.filter(pool -> pool.getName().contains("Old") || pool.getName().contains("Tenured"))
			.toList();
	}

	private static long usedAfterGc() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	@Test
	void threeBombsAtOnceGet400sAndTheHeapStaysFlat() throws Exception {
		TestData.Tree tree = this.data.tree();
		String worker = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		byte[] strings = SpreadsheetBombs.sharedStrings(GB_1_5);
		byte[] cells = SpreadsheetBombs.lyingAboutSizes(SpreadsheetBombs.cells(GB_1_5));
		assertThat(strings.length).isLessThan(2 << 20);
		assertThat(cells.length).isLessThan(5 << 20);

		long before = usedAfterGc();
		List<MemoryPoolMXBean> old = oldGeneration();
		long oldBefore = old.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
		old.forEach(MemoryPoolMXBean::resetPeakUsage);

		List<CompletableFuture<HttpResponse<String>>> answers = List.of(
				upload(worker, "/api/v1/residents/imports", Map.of("communityCode", tree.communityA1().code()),
						"花名册.xlsx", strings),
				upload(worker, "/api/v1/testing/results/imports", Map.of(), "结果.xlsx", cells),
				upload(hq, "/api/v1/risk-areas/imports", Map.of(), "风险地区.csv", strings));
		CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();

		for (CompletableFuture<HttpResponse<String>> answer : answers) {
			HttpResponse<String> response = answer.get();
			assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
			assertThat(response.body()).contains("\"code\":\"upload.too-large\"").contains("文件过大");
		}
		long oldPeak = old.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
		assertThat(oldPeak - oldBefore).as("old generation grew while the bombs were read").isLessThan(128L << 20);
		assertThat(usedAfterGc() - before).as("heap kept after the bombs").isLessThan(64L << 20);
	}

}
