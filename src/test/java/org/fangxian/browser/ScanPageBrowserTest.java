package org.fangxian.browser;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Passes;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A checkpoint guard on a phone checks residents at the gate: by ID number typed in, by
 * the pass QR code, and with the network gone, when scans wait on the phone and are sent
 * later exactly once. Each decision is checked on the screen and in the gate_scan table;
 * expected texts are the guard's sentences from messages.properties, written out here.
 */
class ScanPageBrowserTest extends BrowserTestSupport {

	private static final String ALLOW = "通行";

	private static final String DENY = "禁止通行";

	private static final String CHECKED = "核验通过";

	private static final String FEVER = "体温 ≥ 37.3 °C：请引导至临时观察点并通知社区";

	private static final String ASK_AGAIN = "体温应在 35.0–42.0 °C：请重新测量后再核验";

	private static final String SCAN_AGAIN = "请重扫";

	private static final String ID_INVALID = "身份证号无效，请核对";

	private static final String UNKNOWN = "不是本小区居民：请按访客登记";

	private static final String OFFLINE = "网络断开：记录已保存在手机上，联网后自动上传。请人工核验证件。";

	private static final String SYNCED = "离线记录已全部上传";

	private static final String BUSY = "服务器繁忙：记录已保存在手机上，稍后自动上传。请人工核验证件。";

	/** Colours of app.css: --ok and --bad. */
	private static final String GREEN = "rgba(20, 108, 46, 1)";

	private static final String RED = "rgba(179, 38, 30, 1)";

	/** Amber of checkpoint.css: the scan could not be read, scan or type again. */
	private static final String AMBER = "rgba(242, 194, 0, 1)";

	@Autowired
	private Checkpoints checkpoints;

	@Autowired
	private ResidentService residents;

	@Autowired
	private Passes passes;

	private TestData.Tree tree;

	private CurrentUser worker;

	private Checkpoint gate;

	private long resident;

	private String residentIdNumber;

	@BeforeEach
	void checkpointAndResidentOfAFreshCommunity() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.gate = this.checkpoints.create(this.worker,
				new Checkpoints.NewCheckpoint(this.tree.communityA1().id(), "东门", "07:00-21:00", 2));
		this.residentIdNumber = TestIdNumbers.next();
		this.resident = this.residents.create(this.worker, new ResidentService.ResidentForm("王建国", null,
				this.residentIdNumber, "13800000000", this.tree.communityA1().id(), "101", "户主", null, "常住", null));
	}

	/**
	 * A test that fails while offline must not leave the browser offline for the next
	 * one.
	 */
	@AfterEach
	void backOnline() {
		network(true);
	}

	@Test
	void guardTypesIdNumbersAndSeesEachDecisionWithItsReason() {
		openScanPageAsGuard();
		assertThat(counters()).as("a new checkpoint starts the day at zero")
			.isEqualTo(Map.of("in", "0", "out", "0", "denied", "0", "fever", "0", "turnedBack", "0", "errors", "0"));
		assertThat(driver.findElement(By.id("result")).isDisplayed()).as("no decision before the first scan").isFalse();
		assertThat(driver.findElement(By.id("camera")).isDisplayed())
			.as("camera button only where the browser reads QR codes")
			.isEqualTo(driver.executeScript("return 'BarcodeDetector' in window"));
		screenshot("scan");

		choose("出");
		check(this.residentIdNumber, "36.5");
		assertDecision("ALLOW", ALLOW, CHECKED, "王**");
		assertThat(driver.findElement(By.id("result")).getCssValue("background-color")).as("allow is green")
			.isEqualTo(GREEN);
		waitForCounter("out", "1");
		assertThat(counters()).containsEntry("in", "0").containsEntry("denied", "0");
		screenshot("scan-allow");

		check(this.residentIdNumber, "37.8");
		assertDecision("DENY", DENY, FEVER, "王**");
		assertThat(driver.findElement(By.id("result")).getCssValue("background-color")).as("deny is red")
			.isEqualTo(RED);
		waitForCounter("fever", "1");
		assertThat(counters()).containsEntry("denied", "1").containsEntry("out", "1");
		screenshot("scan-deny");

		// A reading no living person gives is asked again: nothing recorded, the code
		// kept.
		for (String reading : List.of("abc", "55", "34.9")) {
			check(this.residentIdNumber, reading);
			WebElement again = driver.findElement(By.id("result"));
			assertThat(again.getAttribute("data-decision")).isEqualTo("ERROR");
			assertThat(text("#result-decision")).isEqualTo(SCAN_AGAIN);
			assertThat(text("#result-reason")).isEqualTo(ASK_AGAIN);
			assertThat(again.getCssValue("background-color")).as("amber, not a red denial").isEqualTo(AMBER);
			assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("temperature");
			driver.findElement(By.id("code")).clear();
		}
		screenshot("scan-temperature-again");

		// A typo in the ID number is an error to retry, counted apart from denials.
		String typo = this.residentIdNumber.substring(0, 17) + (this.residentIdNumber.charAt(17) == '1' ? "2" : "1");
		check(typo, "36.5");
		assertDecision("ERROR", SCAN_AGAIN, ID_INVALID, "");
		assertThat(driver.findElement(By.id("result")).getCssValue("background-color")).isEqualTo(AMBER);
		waitForCounter("errors", "1");
		screenshot("scan-error");

		check(TestIdNumbers.next(), "36.5");
		assertDecision("DENY", DENY, UNKNOWN, "");
		waitForCounter("denied", "2");
		assertThat(counters()).containsEntry("in", "0")
			.containsEntry("out", "1")
			.containsEntry("fever", "1")
			.containsEntry("errors", "1");

		assertThat(scans()).as("gate_scan rows of the checkpoint, oldest first")
			.containsExactly("ID OUT 36.5 ALLOW gate.allow resident", "ID OUT 37.8 DENY gate.deny.fever resident",
					"ID OUT 36.5 ERROR gate.deny.idInvalid -", "ID OUT 36.5 DENY gate.deny.notResident -");
	}

	@Test
	void guardScansAResidentsPassAndTheWorkerShowsThePassCard() throws IOException, NotFoundException {
		String qr = this.passes.current(this.worker, this.resident).qr();
		openScanPageAsGuard();

		check(qr, "36.6");

		assertDecision("ALLOW", ALLOW, CHECKED, "王**");
		waitForCounter("in", "1");
		assertThat(scans()).containsExactly("QR IN 36.6 ALLOW gate.allow resident");

		driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/checkpoints");
		assertThat(texts(".rows .row strong")).containsExactly("东门");
		assertThat(driver.findElements(By.cssSelector("form[action$='/checkpoints'] #name")))
			.as("a worker may add checkpoints")
			.hasSize(1);
		screenshot("checkpoints-worker");

		open("/residents/" + this.resident + "/pass");
		assertThat(text("h1")).isEqualTo("出入证");
		WebElement image = driver.findElement(By.cssSelector("img.pass-qr"));
		new WebDriverWait(driver, Duration.ofSeconds(30))
			.until(d -> Boolean.TRUE.equals(driver.executeScript("return arguments[0].complete", image)));
		assertThat(((Number) driver.executeScript("return arguments[0].naturalWidth", image)).intValue())
			.as("the QR PNG loaded")
			.isGreaterThan(0);
		assertThat(text("p.pass-code")).as("the card carries the pass that was scanned").isEqualTo(qr);
		assertThat(decodeQr(image)).as("what a gate's camera reads from the card").isEqualTo(qr);
		assertThat(text("main")).contains("有效期至");
		screenshot("pass-card");
	}

	@Test
	void scansMadeOfflineWaitOnThePhoneAndAreRecordedOnceEvenWhenSentAgain() {
		openScanPageAsGuard();
		String queueKey = "fangxian.gate.queue." + this.gate.id();
		assertThat(driver.findElement(By.id("pending")).isDisplayed()).as("nothing waiting at first").isFalse();

		network(false);
		check(this.residentIdNumber, "36.5");
		assertDecision("OFFLINE", "⚠", OFFLINE, "");
		check(this.residentIdNumber, "36.7");
		assertDecision("OFFLINE", "⚠", OFFLINE, "");

		WebElement pending = driver.findElement(By.id("pending"));
		assertThat(pending.isDisplayed()).as("the guard sees records waiting").isTrue();
		assertThat(pending.getAttribute("data-pending")).isEqualTo("2");
		assertThat(pending.getText()).isEqualTo("有 2 条记录等待上传");
		assertThat(scanCount()).as("nothing reached the server while offline").isZero();
		String queued = (String) driver.executeScript("return localStorage.getItem(arguments[0])", queueKey);
		@SuppressWarnings("unchecked")
		List<String> keys = (List<String>) driver
			.executeScript("return JSON.parse(arguments[0]).map(item => item.record.idempotencyKey)", queued);
		assertThat(keys).as("queued on the phone").hasSize(2);
		assertThat(keys).doesNotHaveDuplicates().allMatch(key -> key.matches("[0-9a-f-]{36}"), "a UUID");
		screenshot("scan-offline");

		Instant backOnline = Instant.now();
		network(true);
		driver.executeScript("window.dispatchEvent(new Event('online'))");
		waitUntilSent(queueKey);
		assertThat(scanCount()).as("both offline scans recorded").isEqualTo(2);
		assertThat(this.jdbc.sql("select max(scanned_at) from gate_scan where checkpoint_id = :c")
			.param("c", this.gate.id())
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant()).as("recorded at the time of the scan, not of the upload").isBefore(backOnline);
		assertThat(idempotencyKeys()).containsExactlyInAnyOrderElementsOf(keys);
		assertThat(scans()).containsExactly("ID IN 36.5 ALLOW gate.allow resident",
				"ID IN 36.7 ALLOW gate.allow resident");
		waitForCounter("in", "2");

		// The upload was cut after the server recorded the records but before the phone
		// heard back: it sends them again.
		driver.executeScript("localStorage.setItem(arguments[0], arguments[1])", queueKey, queued);
		assertThat(queue(queueKey)).as("queue restored").hasSize(2);
		driver.executeScript("window.dispatchEvent(new Event('online'))");
		waitUntilSent(queueKey);
		assertThat(scanCount()).as("sent twice, recorded once").isEqualTo(2);
		assertThat(idempotencyKeys()).containsExactlyInAnyOrderElementsOf(keys);
		assertThat(counters()).containsEntry("in", "2");
	}

	@Test
	void theGuardSeesWhoWasScannedToCheckThePersonInFrontOfThem() {
		openScanPageAsGuard();
		check(this.residentIdNumber, "36.5");
		String born = this.residentIdNumber.substring(6, 10) + " 年生";
		String sex = (this.residentIdNumber.charAt(16) - '0') % 2 == 1 ? "男" : "女";
		assertThat(texts("#result-person span")).containsExactly("王**", sex, born, "101");
	}

	@Test
	void everyVisitAnswerAppearsBesideTheSaveButtonInItsColour() {
		openScanPageAsGuard();
		driver.findElement(By.cssSelector("details.card summary")).click();
		new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("visit-kind"))).selectByValue("VISITOR");
		driver.findElement(By.id("visit-name")).sendKeys("赵访客");
		driver.findElement(By.id("visit-purpose")).sendKeys("探望父母");
		saveVisit();
		WebElement saved = driver.findElement(By.id("visit-result"));
		assertThat(saved.getAttribute("data-decision")).isEqualTo("SAVED");
		assertThat(text("#visit-result .decision-title")).isEqualTo("已登记");
		assertThat(text("#visit-result .decision-person")).isEqualTo("赵访客");
		assertInViewport(saved, "the visitor's confirmation");
		assertThat(driver.findElement(By.id("visit-name")).getAttribute("value")).as("form ready for the next")
			.isEmpty();
		screenshotKeepingScroll("scan-visitor-saved");

		new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("visit-kind"))).selectByValue("TURN_BACK");
		driver.findElement(By.id("visit-reason")).sendKeys("非本小区人员");
		saveVisit();
		WebElement turnBack = driver.findElement(By.id("visit-result"));
		assertThat(turnBack.getAttribute("data-decision")).isEqualTo("TURNBACK");
		assertThat(text("#visit-result .decision-title")).as("never a green 通行 ✓").isEqualTo("已劝返");
		assertThat(turnBack.getCssValue("background-color")).isEqualTo(RED);
		assertThat(text("#visit-result")).doesNotContain("通行").doesNotContain("✓");
		assertInViewport(turnBack, "the turn-back's confirmation");
		waitForCounter("turnedBack", "1");

		// The form refused: an amber error beside the button, not a denial at the top.
		new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("visit-kind"))).selectByValue("VEHICLE");
		saveVisit();
		assertThat(driver.findElement(By.id("visit-result")).getAttribute("data-decision")).isEqualTo("ERROR");
		assertThat(text("#visit-result .decision-reason")).isEqualTo("车辆要填车牌");
		assertInViewport(driver.findElement(By.id("visit-result")), "the form's error");
		assertThat(this.jdbc.sql("select kind from gate_visit where checkpoint_id = :c order by id")
			.param("c", this.gate.id())
			.query(String.class)
			.list()).containsExactly("VISITOR", "TURN_BACK");
	}

	@Test
	void creatingARoadCheckpointOpensTheRoadPage() {
		logInAs(Role.STREET_ADMIN, this.tree.streetA());
		open("/checkpoints");
		new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("nodeId")))
			.selectByValue(String.valueOf(this.tree.streetA().id()));
		driver.findElement(By.id("name")).sendKeys("高速入口");
		new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("kind"))).selectByValue("ROAD");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form[action$='/checkpoints'] button[type=submit]")));
		assertThat(driver.getCurrentUrl()).matches(".*/checkpoints/\\d+/road$");
		assertThat(text("h1")).isEqualTo("道路卡点 高速入口");
		assertThat(driver.findElements(By.id("counters"))).as("no gate in/out counters").isEmpty();
	}

	@Autowired
	@org.springframework.beans.factory.annotation.Qualifier("scanAdmissionFilter")
	private org.springframework.boot.web.servlet.FilterRegistrationBean<?> admission;

	/**
	 * Drives the scan API's concurrency limit
	 * (org.fangxian.checkpoint.internal.ScanAdmission).
	 */
	private void scanLimit(int permits) throws ReflectiveOperationException {
		Object limit = this.admission.getFilter();
		java.lang.reflect.Method resize = limit.getClass().getDeclaredMethod("resize", int.class, long.class);
		resize.setAccessible(true);
		resize.invoke(limit, permits, 10L);
	}

	@Test
	void aBusyServerIsAskedAgainLaterNotHammered() throws ReflectiveOperationException {
		openScanPageAsGuard();
		String queueKey = "fangxian.gate.queue." + this.gate.id();
		try {
			scanLimit(0);
			check(this.residentIdNumber, "36.5");
			assertDecision("OFFLINE", "⚠", BUSY, "");
			assertThat(queue(queueKey)).as("kept on the phone").hasSize(1);
			long retryAt = Long.parseLong(driver.findElement(By.id("scan")).getAttribute("data-retry-at"));
			long now = ((Number) driver.executeScript("return Date.now()")).longValue();
			assertThat(retryAt - now).as("waits at least Retry-After (2 s)").isGreaterThan(1000);
			screenshot("scan-busy");

			scanLimit(16);
			// Within the back-off a reconnect does not send.
			driver.executeScript("window.dispatchEvent(new Event('online'))");
			assertThat(queue(queueKey)).hasSize(1);
			assertThat(scanCount()).isZero();
			new WebDriverWait(driver, Duration.ofSeconds(10))
				.until(d -> ((Number) driver.executeScript("return Date.now()")).longValue() > retryAt);
			driver.executeScript("window.dispatchEvent(new Event('online'))");
			waitUntilSent(queueKey);
			assertThat(scans()).containsExactly("ID IN 36.5 ALLOW gate.allow resident");
		}
		finally {
			scanLimit(16);
		}
	}

	private static void saveVisit() {
		driver.executeScript("document.getElementById('visit-result').removeAttribute('data-decision')");
		WebElement button = driver.findElement(By.cssSelector("#visit-form button[type=submit]"));
		driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", button);
		button.click();
		new WebDriverWait(driver, Duration.ofSeconds(30))
			.until(d -> driver.findElement(By.id("visit-result")).getAttribute("data-decision") != null);
	}

	/** The element's whole box is on the 390×844 screen as it is scrolled now. */
	private static void assertInViewport(WebElement element, String what) {
		@SuppressWarnings("unchecked")
		Map<String, Number> box = (Map<String, Number>) driver.executeScript("""
				const r = arguments[0].getBoundingClientRect();
				return { top: r.top, bottom: r.bottom, left: r.left, right: r.right,
				         width: window.innerWidth, height: window.innerHeight };""", element);
		assertThat(box.get("width").intValue()).isEqualTo(390);
		assertThat(box.get("height").intValue()).isEqualTo(844);
		assertThat(box.get("top").doubleValue()).as("%s: top inside the screen %s", what, box)
			.isGreaterThanOrEqualTo(0);
		assertThat(box.get("bottom").doubleValue()).as("%s: bottom inside the screen %s", what, box)
			.isLessThanOrEqualTo(844);
		assertThat(box.get("left").doubleValue()).isGreaterThanOrEqualTo(0);
		assertThat(box.get("right").doubleValue()).isLessThanOrEqualTo(390);
	}

	/**
	 * Screenshot of the visible phone screen as the guard sees it, plus the usual pair.
	 */
	private static void screenshotKeepingScroll(String name) {
		try {
			java.nio.file.Files.createDirectories(SCREENSHOTS);
			java.nio.file.Files.write(SCREENSHOTS.resolve(name + "-screen-phone.png"),
					((org.openqa.selenium.TakesScreenshot) driver)
						.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		screenshot(name);
	}

	private void openScanPageAsGuard() {
		logInAs(Role.CHECKPOINT_GUARD, this.tree.communityA1());
		openMenu();
		clickAndWaitForNextPage(driver.findElement(By.cssSelector(".topnav a[href$='/checkpoints']")));
		assertThat(text("h1")).isEqualTo("卡点");
		assertThat(driver.findElements(By.cssSelector("form[action$='/checkpoints']")))
			.as("a guard cannot add checkpoints")
			.isEmpty();
		screenshot("checkpoints");
		clickAndWaitForNextPage(driver.findElement(By.xpath("//a[contains(@class,'row')][strong='东门']")));
		assertThat(driver.getCurrentUrl()).endsWith("/checkpoints/" + this.gate.id() + "/scan");
		assertThat(text("h1")).isEqualTo("卡点 东门");
	}

	/** Taps the direction as a guard does: on its big label. */
	private static void choose(String direction) {
		driver.findElement(By.xpath("//label[contains(@class,'choice')][normalize-space()='" + direction + "']"))
			.click();
		assertThat(driver.findElement(By.cssSelector("input[name=direction]:checked")).getAttribute("value"))
			.isEqualTo("出".equals(direction) ? "OUT" : "IN");
	}

	/** Types (or a handheld scanner types) the code and the temperature, and taps 核验. */
	private static void check(String code, String temperature) {
		driver.executeScript("document.getElementById('result').removeAttribute('data-decision')");
		driver.findElement(By.id("code")).sendKeys(code);
		driver.findElement(By.id("temperature")).sendKeys(temperature);
		driver.findElement(By.cssSelector("#scan-form button[type=submit]")).click();
		new WebDriverWait(driver, Duration.ofSeconds(30))
			.until(d -> driver.findElement(By.id("result")).getAttribute("data-decision") != null);
	}

	private static void assertDecision(String decision, String shown, String reason, String person) {
		WebElement result = driver.findElement(By.id("result"));
		assertThat(result.isDisplayed()).isTrue();
		assertThat(result.getAttribute("data-decision")).isEqualTo(decision);
		assertThat(result.getAttribute("class")).contains(decision.toLowerCase());
		assertThat(text("#result-decision")).isEqualTo(shown);
		assertThat(text("#result-reason")).isEqualTo(reason);
		if (person.isEmpty()) {
			assertThat(text("#result-person")).isEmpty();
		}
		else {
			// Surname and starred given name first, then sex, birth year and door to
			// check
			// against the person.
			assertThat(texts("#result-person span")).first().isEqualTo(person);
		}
		assertThat(driver.findElement(By.id("code")).getAttribute("value")).as("field cleared for the next person")
			.isEmpty();
	}

	private static Map<String, String> counters() {
		Map<String, String> counts = new java.util.TreeMap<>();
		driver.findElements(By.cssSelector("[data-counter]"))
			.forEach(e -> counts.put(e.getAttribute("data-counter"), e.getText().strip()));
		return counts;
	}

	private static void waitForCounter(String counter, String value) {
		new WebDriverWait(driver, Duration.ofSeconds(30))
			.withMessage(() -> counter + " counter shows " + value + "; " + counters())
			.until(d -> value.equals(counters().get(counter)));
	}

	/** Cuts the browser's network (as a gate out of signal does) or gives it back. */
	private static void network(boolean online) {
		driver.executeCdpCommand("Network.enable", Map.of());
		driver.executeCdpCommand("Network.emulateNetworkConditions",
				Map.of("offline", !online, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
	}

	private static List<?> queue(String queueKey) {
		return (List<?>) driver.executeScript("return JSON.parse(localStorage.getItem(arguments[0]) || '[]')",
				queueKey);
	}

	/**
	 * Waits until the phone has heard the server's answer for every queued record and
	 * tells the guard.
	 */
	private static void waitUntilSent(String queueKey) {
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(50));
		wait.withMessage(() -> "queue emptied; left: " + queue(queueKey)).until(d -> queue(queueKey).isEmpty());
		wait.withMessage(
				() -> "guard told all was sent; pending box shows: " + driver.findElement(By.id("pending")).getText())
			.until(d -> SYNCED.equals(driver.findElement(By.id("pending")).getText().strip()));
		wait.withMessage(() -> "pending box hidden; shows: " + driver.findElement(By.id("pending")).getText())
			.until(d -> !driver.findElement(By.id("pending")).isDisplayed());
	}

	/**
	 * Fetches the image as the signed-in browser sees it and reads it as a gate's QR
	 * reader would.
	 */
	private static String decodeQr(WebElement image) throws IOException, NotFoundException {
		String base64 = (String) driver.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch(arguments[0].src, { credentials: 'same-origin' })
					.then(r => r.arrayBuffer())
					.then(b => done(btoa(String.fromCharCode(...new Uint8Array(b)))))
					.catch(e => done('failed: ' + e));
				""", image);
		BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
		assertThat(png).as("a PNG").isNotNull();
		return new MultiFormatReader()
			.decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(png))))
			.getText();
	}

	private long scanCount() {
		return this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c")
			.param("c", this.gate.id())
			.query(Long.class)
			.single();
	}

	private List<String> idempotencyKeys() {
		return this.jdbc.sql("select idempotency_key from gate_scan where checkpoint_id = :c")
			.param("c", this.gate.id())
			.query(String.class)
			.list();
	}

	/**
	 * "method direction temperature decision reason resident" per gate_scan row of the
	 * checkpoint.
	 */
	private List<String> scans() {
		return this.jdbc.sql("""
				select method, direction, temperature, decision, reason, resident_id from gate_scan
				where checkpoint_id = :c order by id""")
			.param("c", this.gate.id())
			.query((rs, i) -> String.join(" ", rs.getString(1), rs.getString(2),
					rs.getBigDecimal(3) == null ? "-" : rs.getBigDecimal(3).toPlainString(), rs.getString(4),
					rs.getString(5),
					rs.getObject(6) == null ? "-"
							: (rs.getLong(6) == this.resident ? "resident" : "other " + rs.getLong(6))))
			.list();
	}

}
