package org.fangxian.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.WebSession;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.demo.internal.LivedInDemo;
import org.fangxian.quarantine.internal.CheckInLinks;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A screenshot of every page (issue 13), at 390×844 and desktop size, on a community made
 * lived in by the demo: every GET page the controllers declare (HTML views, not images or
 * spreadsheets) is opened as an HQ administrator of the test district (who holds every
 * permission), must answer 200, must show no English code (RESIDENTS_SEARCHED,
 * HIGH_RISK), must not scroll sideways on a phone nor be hard to read there
 * ({@link BrowserTestSupport#phoneLayoutProblems()}). A page without a fixture fails the
 * test until it gets one here or a reason in {@link #SKIPPED}.
 */
class EveryPageScreenshotTest extends BrowserTestSupport {

	/** Pages not opened here, with why; each is covered by the test named. */
	static final Map<String, String> SKIPPED = Map.ofEntries(
			Map.entry("/d/{token}", "a volunteer's duty link (WorkforceBrowserTest)"),
			Map.entry("/f/{token}", "a family link (FamilyLinkBrowserTest)"),
			Map.entry("/join/{token}", "volunteer self-registration link (WorkforceTest)"),
			Map.entry("/s/{token}", "a resident's supply link (SupportBrowserTest)"),
			Map.entry("/p/{code}", "a post's check-in code (WorkforceTest)"),
			Map.entry("/imports/{id}", "a roster import in progress (RosterImportBrowserTest)"),
			Map.entry("/reports/{id}", "a daily report (ReportingBrowserTest)"),
			Map.entry("/workforce/rosters/{id}", "a solved roster (WorkforceBrowserTest)"),
			Map.entry("/workforce/rosters/{id}/print", "a solved roster printed per post (RosterChangesBrowserTest)"),
			Map.entry("/tasks/inspections/{id}", "an inspection's checklist and findings (InspectionBrowserTest)"),
			Map.entry("/rosters/{id}", "a solved roster (WorkforceBrowserTest)"),
			Map.entry("/tracing/cases/{id}", "a case (TracingBrowserTest)"),
			Map.entry("/tracing/cases/{id}/contacts/{contactId}/candidates", "a case's contacts (TracingBrowserTest)"),
			Map.entry("/stock/stores/{id}", "a store (StockBrowserTest)"),
			Map.entry("/workforce/posts/{id}/code", "a post's printed code (WorkforceTest)"),
			Map.entry("/workforce/volunteers/{id}", "a volunteer's page with their wishes (WorkforceBrowserTest)"),
			Map.entry("/language", "switches the language and goes back: not a page"),
			Map.entry("/login", "the sign-in page, before signing in (ShellBrowserTest)"));

	/** English codes on a Chinese screen: HIGH_RISK, RESIDENTS_SEARCHED, NOBODY_HOME. */
	static final Pattern CODE = Pattern.compile("\\b[A-Z]{4,}_[A-Z]+\\b");

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Autowired
	LivedInDemo demo;

	@Autowired
	ResidentService residents;

	@Autowired
	DivisionTree divisions;

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	CheckInLinks checkInLinks;

	/** The GET patterns of every page: controllers' methods answering a view name. */
	Set<String> pagePatterns() {
		Set<String> patterns = new TreeSet<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : this.mappings.getHandlerMethods().entrySet()) {
			RequestMappingInfo info = entry.getKey();
			HandlerMethod handler = entry.getValue();
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			Method method = handler.getMethod();
			boolean rest = AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseBody.class)
					|| AnnotatedElementUtils.hasAnnotation(method, ResponseBody.class);
			if ((methods.isEmpty() || methods.contains(RequestMethod.GET)) && !rest
					&& method.getReturnType() == String.class) {
				patterns.addAll(info.getPatternValues());
			}
		}
		return patterns;
	}

	@Test
	void everyPageAnswersInChineseAndFitsAPhone() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hqName = this.data.account(Role.HQ_ADMIN, tree.district());
		CurrentUser hq = new CurrentUser(this.jdbc.sql("select id from account where username = :u")
			.param("u", hqName)
			.query(Long.class)
			.single(), hqName, hqName, Role.HQ_ADMIN, tree.district().id(), tree.district().path());
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		populate(tree, worker);
		String prefix = "shot" + System.nanoTime() % 100_000 + "-";
		this.demo.load(hq, this.divisions.node(hq, tree.communityA1().id()), prefix);
		long road = this.checkpoints
			.create(hq, new Checkpoints.NewCheckpoint(tree.streetA().id(), "哈同公路检查站", "00:00-24:00", 2, "ROAD"))
			.id();
		Map<String, String> paths = fixturePaths(tree, prefix, road);

		List<String> problems = new ArrayList<>();
		List<String> unresolved = new ArrayList<>();
		List<String> shot = new ArrayList<>();
		WebSession http = WebSession.signIn(baseUrl(), hqName);
		logIn(hqName, TestData.PASSWORD);
		for (String pattern : pagePatterns()) {
			if (SKIPPED.containsKey(pattern)) {
				continue;
			}
			String path = paths.containsKey(pattern) ? paths.get(pattern) : pattern.contains("{") ? null : pattern;
			if (path == null) {
				unresolved.add(pattern);
				continue;
			}
			HttpResponse<String> answer = http.get(path);
			if (answer.statusCode() == 302) {
				// A page that sends on (/ to the dashboard, /nodes to the own node): the
				// page it sends to is in this list too.
				continue;
			}
			if (answer.statusCode() != 200) {
				problems.add(path + " answered " + answer.statusCode());
				continue;
			}
			open(path);
			String name = name(pattern);
			try {
				Files.createDirectories(SCREENSHOTS);
				for (Viewport viewport : List.of(DESKTOP_1440, PHONE)) {
					use(viewport);
					waitForPage();
					Files.write(SCREENSHOTS.resolve(name + "-" + viewport.name() + ".png"), fullPagePng(viewport));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			String body = driver.findElement(By.tagName("body")).getText();
			Matcher code = CODE.matcher(body);
			if (code.find()) {
				problems.add(path + " shows the code " + code.group());
			}
			long width = ((Number) driver.executeScript("return document.documentElement.scrollWidth")).longValue();
			if (width > PHONE.width() + 1) {
				problems.add(path + " scrolls sideways on a phone (" + width + " px)");
			}
			phoneLayoutProblems().forEach(problem -> problems.add(path + ": " + problem));
			shot.add(name);
		}
		System.out.println("EveryPageScreenshotTest: " + shot.size() + " pages shot: " + shot);
		assertThat(unresolved).as("pages without a fixture here (add one, or a reason in SKIPPED)").isEmpty();
		assertThat(problems).isEmpty();
		assertThat(shot).hasSizeGreaterThan(40);
	}

	static final Viewport DESKTOP_1440 = new Viewport("desktop", 1440, 900, false);

	/** /containment/seals/{id} → containment-seals-id */
	static String name(String pattern) {
		String name = pattern.replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
		return name.isEmpty() ? "home" : name;
	}

	/** 45 residents in two units of a building of A1, with phones: the demo's people. */
	void populate(TestData.Tree tree, CurrentUser worker) {
		TestData.NodeRef compound = this.data.node(tree.communityA1().id(), "COMPOUND", null, "福乐湾小区");
		TestData.NodeRef building = this.data.node(compound.id(), "BUILDING", null, "2栋");
		TestData.NodeRef unit1 = this.data.node(building.id(), "UNIT", null, "1单元");
		TestData.NodeRef unit2 = this.data.node(building.id(), "UNIT", null, "2单元");
		Random random = new Random(11);
		String[] names = { "王秀英", "李建国", "张桂兰", "刘伟", "陈静", "杨洋", "赵敏", "黄磊", "周芳", "吴强" };
		for (int i = 0; i < 45; i++) {
			String idNumber = TestIdNumbers.bornOn(LocalDate.of(1950, 1, 1).plusDays(random.nextInt(20000)));
			this.residents.create(worker,
					new ResidentService.ResidentForm(names[i % names.length], null, idNumber,
							"139" + String.format("%08d", random.nextInt(100_000_000)), (i < 25 ? unit1 : unit2).id(),
							String.valueOf(101 + i / 3), "其他", null, null, null));
		}
	}

	Map<String, String> fixturePaths(TestData.Tree tree, String prefix, long road) {
		String a1 = tree.communityA1().path() + "%";
		long resident = one("select min(id) from resident where path like :p", a1);
		long household = one("select household_id from resident where id = " + resident + " and :p is not null", a1);
		long unit = one("select min(id) from division_node where path like :p and kind = 'UNIT'", a1);
		long lastUnit = one("select max(id) from division_node where path like :p and kind = 'UNIT'", a1);
		long gate = one("select min(id) from checkpoint where path like :p", a1);
		long seal = one("select min(id) from sealed_area where path like :p", a1);
		long quarantine = one("select min(id) from quarantine where path like :p", a1);
		long round = one("select min(id) from testing_round where path like :p", a1);
		long campaign = one("select min(id) from screening_campaign where path like :p", a1);
		long door = one(
				"select min(household_id) from screening_visit where campaign_id = " + campaign + " and path like :p",
				a1);
		long returnee = one("select min(id) from returnee_report where path like :p", a1);
		long account = one("select min(id) from account where username like '" + prefix + "%' and :p is not null", a1);
		Map<String, String> paths = new LinkedHashMap<>();
		paths.put("/accounts/{id}", "/accounts/" + account);
		// Forms opened from a place or a person (their buttons carry it).
		paths.put("/residents/new", "/residents/new?node=" + unit);
		paths.put("/containment/seals/new", "/containment/seals/new?node=" + lastUnit);
		paths.put("/containment/quarantines/new", "/containment/quarantines/new?resident=" + resident);
		paths.put("/checkpoints/{id}/scan", "/checkpoints/" + gate + "/scan");
		paths.put("/checkpoints/{id}/road", "/checkpoints/" + road + "/road");
		paths.put("/checkpoints/{checkpointId}/road-stats", "/checkpoints/" + road + "/road-stats");
		paths.put("/checkpoints/{checkpointId}/road-rules", "/checkpoints/" + road + "/road-rules");
		paths.put("/checkpoints/{checkpointId}/counters", "/checkpoints/" + gate + "/counters");
		paths.put("/containment/seals/{id}", "/containment/seals/" + seal);
		paths.put("/containment/quarantines/{id}", "/containment/quarantines/" + quarantine);
		paths.put("/households/{householdId}/passes", "/households/" + household + "/passes");
		paths.put("/households/{id}/residents", "/households/" + household + "/residents");
		paths.put("/nodes/{id}", "/nodes/" + unit);
		paths.put("/nodes/by-code/{code}", "/nodes/by-code/" + tree.communityA1().code());
		paths.put("/nodes/{nodeId}/pass-cards", "/nodes/" + unit + "/pass-cards");
		paths.put("/nodes/{id}/establishments", "/nodes/" + tree.communityA1().id() + "/establishments");
		paths.put("/notices/{code}", "/notices/" + streetCode(tree));
		paths.put("/notices/{code}/edit", "/notices/" + streetCode(tree) + "/edit");
		paths.put("/q/{token}", "/q/" + this.checkInLinks.token(quarantine));
		paths.put("/residents/{id}", "/residents/" + resident);
		paths.put("/residents/{id}/edit", "/residents/" + resident + "/edit");
		paths.put("/residents/{residentId}/pass", "/residents/" + resident + "/pass");
		paths.put("/returnees/{id}", "/returnees/" + returnee);
		paths.put("/screening/{id}", "/screening/" + campaign);
		paths.put("/screening/{id}/doors", "/screening/" + campaign + "/doors");
		paths.put("/screening/{id}/doors/{householdId}", "/screening/" + campaign + "/doors/" + door);
		paths.put("/testing/rounds/{id}", "/testing/rounds/" + round);
		paths.put("/testing/rounds/{id}/missing", "/testing/rounds/" + round + "/missing");
		paths.put("/testing/rounds/{id}/sampling", "/testing/rounds/" + round + "/sampling");
		return paths;
	}

	private String streetCode(TestData.Tree tree) {
		return tree.streetA().code();
	}

	private long one(String sql, String pathPattern) {
		return this.jdbc.sql(sql).param("p", pathPattern).query(Long.class).single();
	}

}
