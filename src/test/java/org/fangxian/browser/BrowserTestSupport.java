package org.fangxian.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.fangxian.task.internal.AttachmentsTestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Base of browser tests: the whole application (see {@link IntegrationTest}) driven by
 * the system's headless Chromium through the system's chromedriver. Nothing is ever
 * downloaded: when Chromium or chromedriver is missing the tests fail and say what to
 * install.
 *
 * <p>
 * One browser per test class; cookies are cleared before each test. Pages are used at
 * phone size (390×844, touch, as a community worker at the gate);
 * {@link #screenshot(String)} also renders the current page at desktop size (1366×900)
 * and checks that it fits a phone's width.
 */
@Tag("browser")
abstract class BrowserTestSupport extends IntegrationTest {

	static final Viewport PHONE = new Viewport("phone", 390, 844, true);

	static final Viewport DESKTOP = new Viewport("desktop", 1366, 900, false);

	/**
	 * Where {@link #screenshot(String)} writes {@code <name>-phone.png} and
	 * {@code <name>-desktop.png}.
	 */
	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	/** Smallest height, in CSS pixels, of anything a gloved thumb has to hit. */
	static final int MIN_TARGET = 44;

	private static final String CHROMIUM = System.getProperty("fangxian.browser.binary", "/usr/bin/chromium");

	private static final String CHROMEDRIVER = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");

	record Viewport(String name, int width, int height, boolean mobile) {
	}

	// Selenium ships CDP bindings for a few Chromium versions only; the commands used
	// here go through
	// chromedriver and work with any, so the "no exact CDP match" warning is noise. Held
	// so it is not collected.
	private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

	static ChromeDriver driver;

	private static Path profile;

	@BeforeAll
	static void startBrowser() throws IOException {
		for (String executable : List.of(CHROMIUM, CHROMEDRIVER)) {
			if (!Files.isExecutable(Path.of(executable))) {
				fail(executable + " is missing: browser tests need the system's Chromium and chromedriver. "
						+ "Install them with `apt-get install chromium chromium-driver fonts-noto-cjk` (.ci/run does); "
						+ "they are never downloaded at run time.");
			}
		}
		CDP_LOG.setLevel(Level.SEVERE);
		// Selenium Manager must not look for (or download) a browser or driver.
		System.setProperty("SE_OFFLINE", "true");
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
		profile = Files.createTempDirectory("fangxian-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + profile, "--lang=zh-CN",
				"--window-size=" + DESKTOP.width() + "," + DESKTOP.height());
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (driver != null) {
			driver.quit();
			driver = null;
		}
		if (profile != null) {
			try (Stream<Path> files = Files.walk(profile)) {
				files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
			}
		}
	}

	@BeforeEach
	void freshSessionAtPhoneSize() {
		driver.executeCdpCommand("Network.enable", Map.of());
		driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
		use(PHONE);
	}

	/**
	 * Renders the page at the given size from now on (no reload needed: layout and media
	 * queries follow).
	 */
	static void use(Viewport viewport) {
		driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", viewport.width(), "height",
				viewport.height(), "deviceScaleFactor", 1, "mobile", viewport.mobile()));
		driver.executeCdpCommand("Emulation.setTouchEmulationEnabled",
				Map.of("enabled", viewport.mobile(), "maxTouchPoints", viewport.mobile() ? 5 : 1));
	}

	void open(String path) {
		driver.get(baseUrl() + path);
		waitForPage();
	}

	/**
	 * Signs in through the login page; lands where the application sends a signed-in
	 * user.
	 */
	void logIn(String username, String password) {
		open("/login");
		driver.findElement(By.id("username")).sendKeys(username);
		driver.findElement(By.id("password")).sendKeys(password);
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form button[type=submit]")));
	}

	/** A new account of the role bound to the node, signed in. */
	String logInAs(Role role, TestData.NodeRef node) {
		String username = this.data.account(role, node);
		logIn(username, TestData.PASSWORD);
		assertThat(driver.getCurrentUrl()).as("signed in as %s", username).doesNotContain("/login");
		return username;
	}

	/**
	 * Clicks something that loads a new page (a link or a form's button) and waits until
	 * it has.
	 */
	static void clickAndWaitForNextPage(WebElement element) {
		WebElement old = driver.findElement(By.tagName("html"));
		element.click();
		new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> isGone(old));
		waitForPage();
	}

	/**
	 * Whether the element's document has been replaced. Chromium sometimes answers a
	 * question about a node of a document being torn down with "Node with given id does
	 * not belong to the document" instead of a stale-element error: that means gone too.
	 */
	private static boolean isGone(WebElement element) {
		try {
			element.isEnabled();
			return false;
		}
		catch (org.openqa.selenium.StaleElementReferenceException ex) {
			return true;
		}
		catch (org.openqa.selenium.WebDriverException ex) {
			if (String.valueOf(ex.getMessage()).contains("does not belong to the document")) {
				return true;
			}
			throw ex;
		}
	}

	static void waitForPage() {
		new WebDriverWait(driver, Duration.ofSeconds(60))
			.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
		((JavascriptExecutor) driver)
			.executeAsyncScript("document.fonts.ready.then(() => arguments[arguments.length - 1]())");
	}

	/**
	 * Opens the phone header's menu, where the navigation and the language link fold at
	 * phone size; does nothing when they are already in view (desktop, signed out).
	 */
	static void openMenu() {
		List<WebElement> toggle = driver.findElements(By.cssSelector(".menu-toggle"));
		if (!toggle.isEmpty() && toggle.get(0).isDisplayed()
				&& !"true".equals(toggle.get(0).getAttribute("aria-expanded"))) {
			toggle.get(0).click();
		}
	}

	static String text(String cssSelector) {
		return driver.findElement(By.cssSelector(cssSelector)).getText().strip();
	}

	static List<String> texts(String cssSelector) {
		return driver.findElements(By.cssSelector(cssSelector)).stream().map(e -> e.getText().strip()).toList();
	}

	/**
	 * The file picker of the input {@code inputId} (fragments :: filePicker) speaks the
	 * page's Chinese, not the browser's: its button, a label as tall as a thumb, says
	 * {@code button}, its status says 未选择文件, and the browser's own input (which Chromium
	 * labels "Choose File" and "No file chosen" in its own language, drawn where the DOM
	 * cannot read it) takes no room on the screen, yet stays in the form and takes the
	 * keyboard's focus, which its button then shows.
	 */
	static void assertFilePickerInChinese(String inputId, String button) {
		WebElement input = driver.findElement(By.id(inputId));
		WebElement label = driver.findElement(By.cssSelector("label.button[for='" + inputId + "']"));
		assertThat(label.isDisplayed()).as("the picker's button of %s is shown", inputId).isTrue();
		assertThat(label.getText().strip()).as("the picker's button of %s", inputId).isEqualTo(button);
		assertThat(label.getRect().getHeight()).as("the picker's button of %s is thumb-sized", inputId)
			.isGreaterThanOrEqualTo(MIN_TARGET);
		assertThat(text("#" + inputId + "-chosen")).as("the picker's status of %s", inputId).isEqualTo("未选择文件");
		assertThat(input.getRect().getWidth()).as("the browser's own input %s takes no room", inputId)
			.isLessThanOrEqualTo(1);
		assertThat(input.getRect().getHeight()).as("the browser's own input %s takes no room", inputId)
			.isLessThanOrEqualTo(1);
		assertThat(input.getCssValue("display")).as("the input %s stays in the form (not display:none)", inputId)
			.isNotEqualTo("none");
		assertThat(input.getCssValue("visibility")).isEqualTo("visible");
		Object focused = driver.executeScript(
				"arguments[0].focus(); return document.activeElement === arguments[0] && getComputedStyle(arguments[1]).outlineStyle;",
				input, label);
		assertThat(focused).as("the input %s takes focus and its button shows it", inputId).isEqualTo("solid");
		driver.executeScript("arguments[0].blur();", input);
	}

	/**
	 * Chooses {@code file} in the input {@code inputId}, as the dialog would, and checks
	 * that the picker's status then names it.
	 */
	static void chooseFile(String inputId, Path file) {
		driver.findElement(By.id(inputId)).sendKeys(file.toAbsolutePath().toString());
		assertThat(text("#" + inputId + "-chosen")).as("the picker's status of %s names the chosen file", inputId)
			.isEqualTo(file.getFileName().toString());
	}

	/**
	 * A small JPEG called {@code name} in a folder of its own, as a phone's camera leaves
	 * a photo.
	 */
	static Path photo(String name) throws IOException {
		Path file = Files.createTempDirectory("fangxian-photo-").resolve(name);
		return Files.write(file, AttachmentsTestImages.jpeg());
	}

	/**
	 * Saves the current page, whole length, as
	 * {@code target/screenshots/<name>-phone.png} and {@code <name>-desktop.png}, and
	 * fails if at phone width it scrolls sideways or has a control too small for a gloved
	 * thumb. Leaves the browser at phone size.
	 */
	static void screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			for (Viewport viewport : List.of(DESKTOP, PHONE)) {
				use(viewport);
				waitForPage();
				Files.write(SCREENSHOTS.resolve(name + "-" + viewport.name() + ".png"), fullPagePng(viewport));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		assertFitsPhoneWidth(name);
		assertTargetsLargeEnough(name);
	}

	/** Fails with what {@link #phoneLayoutProblems()} finds on the current page. */
	static void assertReadableOnPhone(String page) {
		assertThat(phoneLayoutProblems()).as("%s at phone width", page).isEmpty();
	}

	static byte[] fullPagePng(Viewport viewport) {
		Number height = (Number) driver
			.executeScript("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
		Number width = (Number) driver.executeScript("return document.documentElement.scrollWidth");
		Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", Math.max(viewport.width(), width.intValue()),
				"height", Math.min(Math.max(viewport.height(), height.intValue()), 8000), "scale", 1);
		Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
		return Base64.getDecoder().decode((String) shot.get("data"));
	}

	/**
	 * At 390px nothing may stick out to the right: a worker must never have to scroll
	 * sideways.
	 */
	static void assertFitsPhoneWidth(String page) {
		use(PHONE);
		long scrollWidth = ((Number) driver.executeScript("return document.documentElement.scrollWidth")).longValue();
		@SuppressWarnings("unchecked")
		List<String> culprits = (List<String>) driver.executeScript(
				"""
						const limit = arguments[0];
						return [...document.body.querySelectorAll('*')]
							.filter(e => e.getBoundingClientRect().right > limit + 1)
							.slice(0, 10)
							.map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : '')
								+ ' right=' + Math.round(e.getBoundingClientRect().right) + ' "' + (e.innerText || e.value || '').trim().slice(0, 30) + '"');
						""",
				PHONE.width());
		assertThat(scrollWidth)
			.as("%s at phone width %dpx scrolls sideways; too wide: %s", page, PHONE.width(), culprits)
			.isLessThanOrEqualTo(PHONE.width() + 1);
	}

	/**
	 * What makes the current page hard to read at 390px, though it fits the width:
	 * <ul>
	 * <li>a table that runs past the edge of its box without the cue of a
	 * {@code .table-scroll} (the faded edge, the line saying to swipe);</li>
	 * <li>a short word in a table cell (a name, a phone number, a role: up to 12
	 * characters without a space, bracket or comma where a line may break) broken across
	 * lines;</li>
	 * <li>a radio or a tick stretched wider than a finger-sized mark, or the words beside
	 * it squeezed (a word of up to four characters broken, or fewer than three characters
	 * a line);</li>
	 * <li>a text box not drawn as the other fields (thin border, small type).</li>
	 * </ul>
	 * Leaves the page scrolled back to its start.
	 */
	@SuppressWarnings("unchecked")
	static List<String> phoneLayoutProblems() {
		use(PHONE);
		return (List<String>) driver.executeScript(
				"""
						const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
						const words = root => {
							const found = [];
							const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
							for (let n = walk.nextNode(); n; n = walk.nextNode()) {
								const text = n.textContent.trim();
								if (!text || !shown(n.parentElement)) continue;
								const range = document.createRange();
								range.selectNodeContents(n);
								const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
								found.push({ text, lines: tops.size });
							}
							return found;
						};
						const problems = [];
						for (const table of document.querySelectorAll('table')) {
							if (!shown(table)) continue;
							let box = table.parentElement;
							while (box && box !== document.body && !['auto', 'scroll', 'hidden'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
							const cut = box && box !== document.body && box.scrollWidth > box.clientWidth + 1;
							if (cut) {
								const hint = box.previousElementSibling;
								if (!box.classList.contains('table-scroll') || !(box.classList.contains('more-right') || box.classList.contains('more-left'))
										|| !hint || !hint.classList.contains('scroll-hint') || !shown(hint)) {
									problems.push('table' + (table.id ? '#' + table.id : '') + ' goes on past its box with no cue to swipe');
								}
							}
							for (const cell of table.querySelectorAll('td, th')) {
								for (const w of words(cell)) {
									if (w.lines > 1 && w.text.length <= 12 && !/[\\s（(、，·]/.test(w.text)) {
										problems.push('"' + w.text + '" broken over ' + w.lines + ' lines in table' + (table.id ? '#' + table.id : ''));
									}
								}
							}
						}
						for (const input of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
							if (!shown(input) || input.classList.contains('sr-only')) continue;
							const width = input.getBoundingClientRect().width;
							if (width > 32) problems.push(input.type + ' ' + input.name + ' is ' + Math.round(width) + 'px wide');
							const label = input.closest('label');
							if (!label) continue;
							for (const w of words(label)) {
								const chars = [...w.text].length;
								if (w.lines > 1 && (chars <= 4 || chars / w.lines < 3)) {
									problems.push('label "' + w.text + '" squeezed to ' + w.lines + ' lines beside ' + input.type + ' ' + input.name);
								}
							}
						}
						for (const area of document.querySelectorAll('textarea')) {
							if (!shown(area)) continue;
							const style = getComputedStyle(area);
							if (parseFloat(style.fontSize) < 16 || parseFloat(style.borderTopWidth) < 2) {
								problems.push('textarea ' + area.name + ' drawn thin: ' + style.fontSize + ' type, ' + style.borderTopWidth + ' border');
							}
						}
						window.scrollTo(0, 0);
						return [...new Set(problems)].slice(0, 20);
						""");
	}

	/**
	 * Buttons, fields, top-bar links and other links that stand alone (breadcrumbs, the
	 * language switch, a phone number to call) must be at least {@link #MIN_TARGET}px
	 * tall at phone size. A visually hidden input ({@code .sr-only}, a file picker's) is
	 * reached through its label, which is measured instead.
	 */
	static void assertTargetsLargeEnough(String page) {
		use(PHONE);
		@SuppressWarnings("unchecked")
		List<String> small = (List<String>) driver.executeScript(
				"""
						const min = arguments[0];
						return [...document.querySelectorAll('button, .button, input:not([type=hidden]):not(.sr-only), select, .topbar a, .crumbs a, .center > a, a[href^="tel:"]')]
							.filter(e => e.getClientRects().length > 0)
							.filter(e => e.getBoundingClientRect().height < min)
							.map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : '')
								+ ' "' + (e.innerText || e.value || e.name || '').trim().slice(0, 30) + '" '
								+ Math.round(e.getBoundingClientRect().height) + 'px');
						""",
				MIN_TARGET);
		assertThat(small).as("%s has controls smaller than %dpx at phone size", page, MIN_TARGET).isEmpty();
	}

}
