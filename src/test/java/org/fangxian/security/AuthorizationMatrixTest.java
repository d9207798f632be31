package org.fangxian.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.fangxian.IntegrationTest;
import org.fangxian.security.MatrixRows.Call;
import org.fangxian.security.MatrixRows.Caller;
import org.fangxian.security.MatrixRows.Outcome;
import org.fangxian.security.MatrixRows.Place;
import org.fangxian.security.MatrixRows.Reply;
import org.fangxian.security.MatrixRows.Route;
import org.fangxian.security.MatrixRows.Session;
import org.fangxian.security.MatrixRows.Where;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.ClassUtils;

import static org.fangxian.security.MatrixRows.REAL_DIVISION;
import static org.fangxian.security.MatrixRows.SPEC;
import static org.fangxian.security.MatrixRows.expect;
import static org.fangxian.security.MatrixRows.expected;
import static org.fangxian.security.MatrixRows.json;
import static org.fangxian.security.MatrixRows.label;
import static org.fangxian.security.MatrixRows.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorization matrix: every API endpoint and every page, called by every role, once
 * on something inside the caller's subtree and once on the nearest thing outside it.
 * Expected outcomes follow from {@link Role}'s permission table (restated in
 * {@link MatrixRows#SPEC}) and the rule that nothing outside the caller's node may be
 * read or changed.
 *
 * <p>
 * The rows are each module's own: {@code org.fangxian.<module>.<Module>MatrixRows}, a
 * {@link MatrixRows} found here by classpath scanning. This class is the one runner: it
 * builds the fixture once (see {@link MatrixRows}), shares it with every module's rows,
 * and runs the grid, the signed-out and CSRF checks over all their routes, their special
 * cases and the scoping of lists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest extends IntegrationTest {

	@Autowired
	PersonalDataProtection protection;

	@Autowired
	PasswordEncoder passwordEncoder;

	@Autowired
	ApplicationContext context;

	/** The fixture, and the rows the runner's own checks use. */
	final MatrixRows f = new MatrixRows() {
	};

	/** Every module's rows, in the order of their class names. */
	List<MatrixRows> modules;

	List<Route> apiRoutes;

	List<Route> pageRoutes;

	Set<String> publicPages;

	@BeforeAll
	void buildTree() {
		this.f.build(this.jdbc, this.data, baseUrl(), this.protection, this.passwordEncoder, this.context);
		this.modules = modules();
		this.modules.forEach(rows -> rows.share(this.f));
		this.apiRoutes = this.modules.stream().flatMap(rows -> rows.apiRoutes().stream()).toList();
		this.pageRoutes = this.modules.stream().flatMap(rows -> rows.pageRoutes().stream()).toList();
		this.publicPages = this.modules.stream()
			.flatMap(rows -> rows.publicPages().stream())
			.collect(Collectors.toUnmodifiableSet());
	}

	/** Every concrete {@link MatrixRows} under org.fangxian, one instance each. */
	static List<MatrixRows> modules() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AssignableTypeFilter(MatrixRows.class));
		return scanner.findCandidateComponents("org.fangxian")
			.stream()
			.map(BeanDefinition::getBeanClassName)
			.sorted()
			.map(name -> (MatrixRows) BeanUtils
				.instantiateClass(ClassUtils.resolveClassName(name, MatrixRows.class.getClassLoader())))
			.toList();
	}

	// ---------------------------------------------------------------- the matrix

	@Test
	void permissionTableIsTheOneThisMatrixExpects() {
		for (Role role : Role.values()) {
			for (Permission permission : Permission.values()) {
				assertEquals(SPEC.get(role).contains(permission), role.can(permission), role + " / " + permission);
			}
		}
	}

	@TestFactory
	Stream<DynamicTest> apiMatrix() {
		return matrix(this.apiRoutes);
	}

	@TestFactory
	Stream<DynamicTest> pageMatrix() {
		return matrix(this.pageRoutes);
	}

	private Stream<DynamicTest> matrix(List<Route> routes) {
		List<DynamicTest> tests = new ArrayList<>();
		for (Route route : routes) {
			for (Caller caller : this.f.callers.values()) {
				for (Where where : route.wheres()) {
					Outcome outcome = expected(caller.role(), route.needs(), where);
					Place place = caller.at(where);
					String placeLabel = route.template().contains("divisions") ? REAL_DIVISION : place.label();
					String name = route.method() + " " + route.template() + " as " + caller.role()
							+ (where == Where.NONE ? "" : " " + where.name().toLowerCase() + " (" + placeLabel + ")")
							+ " → " + label(outcome, route.success());
					tests.add(DynamicTest.dynamicTest(name, () -> {
						Call call = route.call().apply(caller, place);
						verify(name, outcome, route, this.f.send(caller, route.page(), call),
								route.proof() == null ? null : route.proof().apply(place));
					}));
				}
			}
		}
		return tests.stream();
	}

	/**
	 * Rows the role × inside/outside grid does not express: missing records, other
	 * owners, escalation, each module's signed-out flows (each module's
	 * {@link MatrixRows#specialCases()}).
	 */
	@TestFactory
	Stream<DynamicTest> specialCases() {
		return this.modules.stream().flatMap(rows -> rows.specialCases().stream());
	}

	/**
	 * Without credentials: the API answers 401 to reads and to any call with an unknown
	 * token; unsafe calls with no credentials at all meet the CSRF guard first (403).
	 * Pages send to the login form.
	 */
	@TestFactory
	Stream<DynamicTest> anonymous() {
		Caller hq = this.f.callers.get(Role.HQ_ADMIN);
		List<DynamicTest> tests = new ArrayList<>();
		for (Route route : this.apiRoutes) {
			Where where = route.wheres().iterator().next();
			int expected = route.method().equals("GET") ? 401 : 403;
			tests.add(DynamicTest
				.dynamicTest(route.method() + " " + route.template() + " without credentials → " + expected, () -> {
					Reply reply = this.f.apiCall(null, route.call().apply(hq, hq.at(where)));
					assertEquals(expected, reply.status(), reply::summary);
					assertNoProof(route, hq.at(where), reply);
				}));
			tests.add(DynamicTest.dynamicTest(route.method() + " " + route.template() + " with an unknown token → 401",
					() -> {
						Reply reply = this.f.apiCall("not-a-token", route.call().apply(hq, hq.at(where)));
						assertEquals(401, reply.status(), reply::summary);
						assertNoProof(route, hq.at(where), reply);
					}));
		}
		for (Route route : this.pageRoutes) {
			if (this.publicPages.contains(route.template())) {
				continue;
			}
			Where where = route.wheres().iterator().next();
			tests.add(DynamicTest
				.dynamicTest(route.method() + " " + route.template() + " signed out → redirect to /login", () -> {
					// A signed-out visitor still has a session with a CSRF token: the
					// sign-in check must answer, not CSRF.
					Session visitor = this.f.new Session();
					visitor.refreshCsrf();
					Reply reply = visitor.send(route.call().apply(hq, hq.at(where)), true);
					assertEquals(302, reply.status(), reply::summary);
					assertTrue(reply.redirectsToLogin(), reply::summary);
				}));
		}
		return tests.stream();
	}

	private static void assertNoProof(Route route, Place place, Reply reply) {
		if (route.proof() != null) {
			assertFalse(reply.text().contains(route.proof().apply(place)), reply::summary);
		}
	}

	/**
	 * Every page form refuses a post without the session's CSRF token, however valid the
	 * session.
	 */
	@TestFactory
	Stream<DynamicTest> csrf() {
		Caller hq = this.f.callers.get(Role.HQ_ADMIN);
		List<DynamicTest> tests = new ArrayList<>();
		for (Route route : this.pageRoutes) {
			if (route.method().equals("GET")) {
				continue;
			}
			Where where = route.wheres().iterator().next();
			tests.add(DynamicTest
				.dynamicTest(route.method() + " " + route.template() + " as HQ_ADMIN without CSRF token → 403", () -> {
					Reply reply = hq.session().send(route.call().apply(hq, hq.at(where)), false);
					assertEquals(403, reply.status(), reply::summary);
				}));
		}
		// The API accepts the session cookie too; then CSRF applies as for the pages.
		for (Route route : this.apiRoutes) {
			if (route.method().equals("GET")) {
				continue;
			}
			Where where = route.wheres().iterator().next();
			tests.add(DynamicTest.dynamicTest(
					route.method() + " " + route.template() + " as HQ_ADMIN with session cookie, no CSRF token → 403",
					() -> {
						Reply reply = hq.session().send(route.call().apply(hq, hq.at(where)), false);
						assertEquals(403, reply.status(), reply::summary);
					}));
		}
		// Sanity: the same session with its token does get through, so the 403s above are
		// CSRF's doing.
		tests.add(DynamicTest.dynamicTest("POST /nodes/{id}/rename as HQ_ADMIN with CSRF token → 302", () -> {
			Reply reply = hq.session()
				.send(Call.form("/nodes/" + this.f.a1.compoundId() + "/rename",
						Map.of("name", this.f.a1.compoundName())), true);
			assertEquals(302, reply.status(), reply::summary);
		}));
		return tests.stream();
	}

	// ---------------------------------------------------------------- data scoping of
	// lists

	@Test
	void communityWorkerListsOnlyResidentsOfItsCommunity() {
		Caller worker = this.f.callers.get(Role.COMMUNITY_WORKER);
		List<Long> ids = residentIds(worker, "");
		assertTrue(ids.contains(this.f.a1.residentId()), "own community's resident listed");
		assertFalse(ids.contains(this.f.a2.residentId()), "sibling community A2 leaked");
		assertFalse(ids.contains(this.f.b1.residentId()), "street B's community B1 leaked");
		assertFalse(ids.contains(this.f.elsewhere.residentId()), "other district leaked");
		// An exact ID-number search goes through another branch of the query: it must be
		// scoped too.
		assertEquals(List.of(this.f.a1.residentId()), residentIds(worker, this.f.a1.idNumber()));
		assertEquals(List.of(), residentIds(worker, this.f.b1.idNumber()));
		assertEquals(List.of(), residentIds(worker, this.f.a2.idNumber()));
		// And a name search.
		assertEquals(List.of(), residentIds(worker, this.f.b1.residentName()));
	}

	@Test
	void streetAdministratorListsBothItsCommunitiesButNotTheOtherStreet() {
		List<Long> ids = residentIds(this.f.callers.get(Role.STREET_ADMIN), "");
		assertTrue(ids.contains(this.f.a1.residentId()));
		assertTrue(ids.contains(this.f.a2.residentId()));
		assertFalse(ids.contains(this.f.b1.residentId()), "street B leaked");
		assertFalse(ids.contains(this.f.elsewhere.residentId()), "other district leaked");
	}

	@Test
	void hqAdministratorListsItsDistrictButNotAnother() {
		Caller hq = this.f.callers.get(Role.HQ_ADMIN);
		List<Long> ids = residentIds(hq, "");
		assertTrue(ids.containsAll(List.of(this.f.a1.residentId(), this.f.a2.residentId(), this.f.b1.residentId())));
		assertFalse(ids.contains(this.f.elsewhere.residentId()), "other district leaked");
		assertEquals(List.of(), residentIds(hq, this.f.elsewhere.idNumber()));
	}

	@Test
	void nodeListIsTheCallersOwnNode() {
		for (Caller caller : this.f.callers.values()) {
			JsonNode nodes = json(expect(200, this.f.apiCall(caller.token(), Call.get("/api/v1/nodes"))));
			assertEquals(1, nodes.size(), () -> caller.role() + ": " + nodes);
			assertEquals(caller.nodeId(), nodes.get(0).get("id").asLong(), caller.role().name());
		}
	}

	@Test
	void homePageOpensTheCallersOwnNode() {
		for (Caller caller : this.f.callers.values()) {
			Reply reply = caller.session().send(Call.get("/"), false);
			assertEquals(302, reply.status(), caller.role().name());
			// Each role lands where its work is (platform.Landing): HQ and street
			// administrators on the dashboard, a guard at their gate (or the list of
			// gates), a sampler at their round's sampling page (or testing), a community
			// worker on their "today" page, the others on their node.
			String path = URI.create(reply.location()).getPath();
			boolean where = switch (caller.role()) {
				case HQ_ADMIN, STREET_ADMIN -> path.equals("/dashboard");
				case CHECKPOINT_GUARD -> path.equals("/checkpoints") || path.matches("/checkpoints/\\d+/scan");
				case SAMPLER -> path.equals("/testing") || path.matches("/testing/rounds/\\d+/sampling");
				case COMMUNITY_WORKER -> path.equals("/today");
				default -> path.equals("/nodes/" + caller.nodeId());
			};
			assertTrue(where, () -> caller.role() + ": " + reply.location());
		}
	}

	@Test
	void residentPageListsOnlyTheCommunity() {
		Reply reply = this.f.callers.get(Role.COMMUNITY_WORKER).session().send(Call.get("/residents"), false);
		assertEquals(200, reply.status());
		assertTrue(reply.text().contains(this.f.a1.residentName()));
		assertFalse(reply.text().contains(this.f.a2.residentName()), "A2 leaked");
		assertFalse(reply.text().contains(this.f.b1.residentName()), "B1 leaked");
	}

	@Test
	void streetAdministratorSeesOnlyAccountsOfItsStreet() {
		Reply reply = this.f.callers.get(Role.STREET_ADMIN).session().send(Call.get("/accounts"), false);
		assertEquals(200, reply.status());
		assertTrue(reply.text().contains(this.f.a1.accountName()));
		assertTrue(reply.text().contains(this.f.a2.accountName()));
		assertFalse(reply.text().contains(this.f.b1.accountName()), "street B's account leaked");
		assertFalse(reply.text().contains(this.f.elsewhere.accountName()), "other district's account leaked");
		assertFalse(reply.text().contains(this.f.callers.get(Role.HQ_ADMIN).username()), "the HQ account above leaked");
	}

	@Test
	void streetExportHoldsOnlyTheStreet() throws IOException {
		Caller street = this.f.callers.get(Role.STREET_ADMIN);
		Reply reply = this.f.apiCall(street.token(),
				Call.get("/api/v1/residents/export?node=" + this.f.tree.streetA().id()));
		assertEquals(200, reply.status(), reply::summary);
		List<String> names = exportedNames(reply.bytes());
		assertTrue(names.contains(this.f.a1.residentName()), () -> "A1 missing from " + names);
		assertTrue(names.contains(this.f.a2.residentName()), () -> "A2 missing from " + names);
		assertFalse(names.contains(this.f.b1.residentName()), "street B leaked into the export");
	}

	/**
	 * The audit trail names people and what they looked at: a district HQ sees its own
	 * district's trail.
	 */
	@Test
	void auditTrailOfADistrictHoldsOnlyItsOwnAccounts() {
		Caller hq = this.f.callers.get(Role.HQ_ADMIN);
		Caller worker = this.f.callers.get(Role.COMMUNITY_WORKER);
		expect(200, this.f.apiCall(worker.token(), Call.get("/api/v1/residents/" + this.f.a1.residentId())));
		expect(200,
				this.f.apiCall(this.f.otherHq.token(), Call.get("/api/v1/residents/" + this.f.elsewhere.residentId())));

		JsonNode ownTrail = json(
				expect(200, this.f.apiCall(hq.token(), Call.get("/api/v1/audit?actor=" + worker.username()))));
		assertTrue(ownTrail.size() > 0, "the district's own worker is on its trail");
		JsonNode otherTrail = json(
				expect(200, this.f.apiCall(hq.token(), Call.get("/api/v1/audit?actor=" + this.f.otherHq.username()))));
		assertEquals(0, otherTrail.size(), () -> "another district's trail leaked: " + otherTrail);
		Reply page = hq.session().send(Call.get("/audit?actor=" + this.f.otherHq.username()), false);
		assertEquals(200, page.status());
		assertFalse(page.text().contains("RESIDENT_VIEWED"), "another district's trail leaked on the page");

		// The installation-wide administrator still sees everything.
		JsonNode all = json(expect(200, this.f.apiCall(this.f.installationHq.token(),
				Call.get("/api/v1/audit?actor=" + this.f.otherHq.username()))));
		assertTrue(all.size() > 0);
	}

	@Test
	void checkpointListHoldsOnlyTheCallersSubtree() {
		List<Long> guard = checkpointIds(this.f.callers.get(Role.CHECKPOINT_GUARD));
		assertTrue(guard.contains(this.f.a1.checkpointId()), "own community's checkpoint listed");
		assertFalse(guard.contains(this.f.a2.checkpointId()), "sibling community A2's checkpoint leaked");
		assertFalse(guard.contains(this.f.b1.checkpointId()), "street B's checkpoint leaked");
		assertFalse(guard.contains(this.f.elsewhere.checkpointId()), "other district's checkpoint leaked");
		List<Long> street = checkpointIds(this.f.callers.get(Role.STREET_ADMIN));
		assertTrue(street.containsAll(List.of(this.f.a1.checkpointId(), this.f.a2.checkpointId())));
		assertFalse(street.contains(this.f.b1.checkpointId()), "street B's checkpoint leaked");
		assertFalse(street.contains(this.f.elsewhere.checkpointId()), "other district's checkpoint leaked");

		Reply page = this.f.callers.get(Role.CHECKPOINT_GUARD).session().send(Call.get("/checkpoints"), false);
		assertEquals(200, page.status());
		assertTrue(page.text().contains(this.f.a1.checkpointName()));
		assertFalse(page.text().contains(this.f.a2.checkpointName()), "A2's checkpoint leaked on the page");
		assertFalse(page.text().contains(this.f.b1.checkpointName()), "B1's checkpoint leaked on the page");
	}

	/**
	 * Alerts name a checkpoint and a scan of a sick resident: each level sees its own
	 * subtree's only.
	 */
	@Test
	void checkpointAlertsListOnlyTheCallersSubtree() {
		List<Long> worker = alertIds(this.f.callers.get(Role.COMMUNITY_WORKER));
		assertTrue(worker.contains(this.f.a1.alertId()), "own community's alert listed");
		assertFalse(worker.contains(this.f.a2.alertId()), "sibling community A2's alert leaked");
		assertFalse(worker.contains(this.f.b1.alertId()), "street B's alert leaked");
		assertFalse(worker.contains(this.f.elsewhere.alertId()), "other district's alert leaked");
		List<Long> street = alertIds(this.f.callers.get(Role.STREET_ADMIN));
		assertTrue(street.containsAll(List.of(this.f.a1.alertId(), this.f.a2.alertId())));
		assertFalse(street.contains(this.f.b1.alertId()), "street B's alert leaked");
		assertFalse(street.contains(this.f.elsewhere.alertId()), "other district's alert leaked");
		List<Long> hq = alertIds(this.f.callers.get(Role.HQ_ADMIN));
		assertTrue(hq.containsAll(List.of(this.f.a1.alertId(), this.f.a2.alertId(), this.f.b1.alertId())));
		assertFalse(hq.contains(this.f.elsewhere.alertId()), "other district's alert leaked");
	}

	@Test
	void refusedAcknowledgementLeavesTheAlertOpen() {
		long alert = this.f.alert(this.f.a2);
		Reply reply = this.f.apiCall(this.f.callers.get(Role.COMMUNITY_WORKER).token(),
				Call.json("POST", "/api/v1/checkpoint-alerts/" + alert + "/acknowledge", null));
		assertEquals(403, reply.status(), reply::summary);
		assertTrue(alertIds(this.f.callers.get(Role.STREET_ADMIN)).contains(alert), "A1's worker closed A2's alert");
	}

	/**
	 * All residents a caller finds, following pages: the fixture's residents are the
	 * oldest ones.
	 */
	private List<Long> residentIds(Caller caller, String query) {
		List<Long> ids = new ArrayList<>();
		String after = "";
		while (true) {
			JsonNode page = json(expect(200, this.f.apiCall(caller.token(), Call
				.get("/api/v1/residents?size=100&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + after))));
			page.get("residents").values().forEach(r -> ids.add(r.get("id").asLong()));
			JsonNode next = page.get("nextAfter");
			if (next == null || next.isNull()) {
				return ids;
			}
			after = "&after=" + next.asLong();
		}
	}

	private List<Long> checkpointIds(Caller caller) {
		JsonNode list = json(expect(200, this.f.apiCall(caller.token(), Call.get("/api/v1/checkpoints"))));
		return list.values().stream().map(c -> c.get("id").asLong()).toList();
	}

	private List<Long> alertIds(Caller caller) {
		JsonNode list = json(expect(200, this.f.apiCall(caller.token(), Call.get("/api/v1/checkpoint-alerts"))));
		return list.values().stream().map(a -> a.get("id").asLong()).toList();
	}

	/** The names in column A of an exported roster. */
	private static List<String> exportedNames(byte[] xlsx) throws IOException {
		try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
			return workbook.getFirstSheet().read().stream().skip(1).map(row -> row.getCellText(0)).toList();
		}
	}

}
