package org.fangxian.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestData.NodeRef;
import org.fangxian.shared.IdNumber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.fangxian.security.Permission.COLLECT_SAMPLES;
import static org.fangxian.security.Permission.PUBLISH_NOTICES;
import static org.fangxian.security.Permission.PURGE_PERSONAL_DATA;
import static org.fangxian.security.Permission.VIEW_DASHBOARD;
import static org.fangxian.security.Permission.WRITE_DAILY_REPORTS;
import static org.fangxian.security.Permission.EDIT_REGISTRY;
import static org.fangxian.security.Permission.EDIT_RESIDENTS;
import static org.fangxian.security.Permission.EXPORT_RESIDENTS;
import static org.fangxian.security.Permission.IMPORT_DIVISIONS;
import static org.fangxian.security.Permission.IMPORT_RESIDENTS;
import static org.fangxian.security.Permission.MANAGE_ACCOUNTS;
import static org.fangxian.security.Permission.MANAGE_CHECKPOINTS;
import static org.fangxian.security.Permission.MANAGE_CONTAINMENT;
import static org.fangxian.security.Permission.MANAGE_TESTING;
import static org.fangxian.security.Permission.MANAGE_TRACING;
import static org.fangxian.security.Permission.MANAGE_WORKFORCE;
import static org.fangxian.security.Permission.REVEAL_PERSONAL_DATA;
import static org.fangxian.security.Permission.SCAN_AT_CHECKPOINT;
import static org.fangxian.security.Permission.VIEW_AUDIT;
import static org.fangxian.security.Permission.VIEW_REGISTRY;
import static org.fangxian.security.Permission.VIEW_RESIDENTS;
import static org.fangxian.security.Permission.VISIT_HOUSEHOLDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The authorization matrix: every API endpoint and every page, called by every role, once
 * on something inside the caller's subtree and once on the nearest thing outside it.
 * Expected outcomes follow from {@link Role}'s permission table (restated in
 * {@link #SPEC}) and the rule that nothing outside the caller's node may be read or
 * changed.
 *
 * <p>
 * Accounts: HQ_ADMIN at the district, STREET_ADMIN at street A, the four community roles
 * at A1. "Outside" is the closest place each of them must not reach: another district for
 * HQ, street B's community B1 for the street administrator, the sibling community A2 for
 * the community roles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest extends IntegrationTest {

	/**
	 * Role.java's table, restated: a change there must be a deliberate change here too.
	 */
	static final Map<Role, Set<Permission>> SPEC = new EnumMap<>(Map.of(Role.HQ_ADMIN, EnumSet.allOf(Permission.class),
			Role.STREET_ADMIN, EnumSet.of(VIEW_REGISTRY, EDIT_REGISTRY, VIEW_RESIDENTS, EDIT_RESIDENTS,
					IMPORT_RESIDENTS, EXPORT_RESIDENTS, MANAGE_ACCOUNTS, SCAN_AT_CHECKPOINT, MANAGE_CHECKPOINTS,
					MANAGE_TESTING, MANAGE_CONTAINMENT, MANAGE_WORKFORCE, VIEW_DASHBOARD, WRITE_DAILY_REPORTS),
			Role.COMMUNITY_WORKER,
			EnumSet.of(VIEW_REGISTRY, EDIT_REGISTRY, VIEW_RESIDENTS, EDIT_RESIDENTS, IMPORT_RESIDENTS, EXPORT_RESIDENTS,
					REVEAL_PERSONAL_DATA, SCAN_AT_CHECKPOINT, MANAGE_CHECKPOINTS, MANAGE_TESTING, COLLECT_SAMPLES,
					MANAGE_CONTAINMENT, VISIT_HOUSEHOLDS, MANAGE_TRACING, MANAGE_WORKFORCE, VIEW_DASHBOARD),
			Role.CHECKPOINT_GUARD, EnumSet.of(VIEW_REGISTRY, SCAN_AT_CHECKPOINT), Role.SAMPLER,
			EnumSet.of(VIEW_REGISTRY, COLLECT_SAMPLES), Role.VOLUNTEER,
			EnumSet.of(VIEW_REGISTRY, SCAN_AT_CHECKPOINT, COLLECT_SAMPLES, VISIT_HOUSEHOLDS),
			// Flow tracer (issue 11), bound to a street here: every case of the street,
			// numbers revealed to call people.
			Role.TRACER, EnumSet.of(VIEW_REGISTRY, VIEW_RESIDENTS, REVEAL_PERSONAL_DATA, MANAGE_TRACING)));

	/**
	 * A real 12-digit community code from the bundled division list (塔城市商业街社区); outside
	 * every test district.
	 */
	static final String REAL_DIVISION = "654201001003";

	static final long MISSING_ID = 9_000_000_000_000L;

	static final JsonMapper JSON = JsonMapper.shared();

	static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	static final AtomicInteger SEQUENCE = new AtomicInteger();

	@Autowired
	PersonalDataProtection protection;

	@Autowired
	PasswordEncoder passwordEncoder;

	TestData.Tree tree;

	Place a1;

	Place a2;

	Place b1;

	/** A community in another district: outside even for the HQ administrator. */
	Place elsewhere;

	/**
	 * HQ administrator of the other district; also the owner of uploads nobody else may
	 * open.
	 */
	Caller otherHq;

	/**
	 * The first administrator's kind of account: HQ_ADMIN bound to no node, the whole
	 * installation.
	 */
	Caller installationHq;

	final Map<Role, Caller> callers = new EnumMap<>(Role.class);

	// ---------------------------------------------------------------- fixture

	enum Where {

		INSIDE, OUTSIDE, NONE

	}

	enum Outcome {

		ALLOWED, FORBIDDEN, NOT_FOUND

	}

	/**
	 * A community with a compound, a household with one resident, and an account bound
	 * there; a checkpoint at the community with one open (fever) alert, and the HQ token
	 * that set them up.
	 */
	record Place(String label, NodeRef community, long compoundId, String compoundName, long residentId,
			String residentName, String idNumber, long householdId, String accountName, long accountId, byte[] roster,
			long checkpointId, String checkpointName, long alertId, String hqToken) {
	}

	record Caller(Role role, String username, long accountId, long nodeId, String token, Session session, Place inside,
			Place outside) {

		Place at(Where where) {
			return where == Where.OUTSIDE ? this.outside : this.inside;
		}

	}

	@BeforeAll
	void buildTree() {
		this.tree = this.data.tree();
		TestData.Tree other = this.data.tree();
		String hq = this.data.account(Role.HQ_ADMIN, this.tree.district());
		String hqToken = this.data.token(baseUrl(), hq);
		String otherHqName = this.data.account(Role.HQ_ADMIN, other.district());
		String otherHqToken = this.data.token(baseUrl(), otherHqName);

		this.a1 = place("A1", this.tree.communityA1(), hqToken);
		this.a2 = place("A2", this.tree.communityA2(), hqToken);
		this.b1 = place("B1", this.tree.communityB1(), hqToken);
		this.elsewhere = place("other district", other.communityA1(), otherHqToken);

		this.callers.put(Role.HQ_ADMIN, caller(Role.HQ_ADMIN, hq, this.tree.district(), this.a1, this.elsewhere));
		this.callers.put(Role.STREET_ADMIN, caller(Role.STREET_ADMIN, null, this.tree.streetA(), this.a1, this.b1));
		this.callers.put(Role.TRACER, caller(Role.TRACER, null, this.tree.streetA(), this.a1, this.b1));
		for (Role role : List.of(Role.COMMUNITY_WORKER, Role.CHECKPOINT_GUARD, Role.SAMPLER, Role.VOLUNTEER)) {
			this.callers.put(role, caller(role, null, this.tree.communityA1(), this.a1, this.a2));
		}
		this.otherHq = caller(Role.HQ_ADMIN, otherHqName, other.district(), this.elsewhere, this.a1);

		String installationName = "hq-installation-" + UUID.randomUUID().toString().substring(0, 8);
		this.jdbc.sql("""
				insert into account (username, display_name, password_hash, role, node_id)
				values (:u, :u, :hash, 'HQ_ADMIN', null)""")
			.param("u", installationName)
			.param("hash", this.passwordEncoder.encode(TestData.PASSWORD))
			.update();
		this.installationHq = new Caller(Role.HQ_ADMIN, installationName, accountId(installationName), 0,
				this.data.token(baseUrl(), installationName), null, this.a1, null);
	}

	private Caller caller(Role role, String existing, NodeRef node, Place inside, Place outside) {
		String username = existing != null ? existing : this.data.account(role, node);
		return new Caller(role, username, accountId(username), node.id(), this.data.token(baseUrl(), username),
				signIn(username), inside, outside);
	}

	private long accountId(String username) {
		return this.jdbc.sql("select id from account where username = :u")
			.param("u", username)
			.query(Long.class)
			.single();
	}

	private Place place(String label, NodeRef community, String hqToken) {
		String tag = label.replace(' ', '-') + "-" + UUID.randomUUID().toString().substring(0, 6);
		String compoundName = "Compound-" + tag;
		long compoundId = json(expect(201,
				api("POST", "/api/v1/nodes/" + community.id() + "/children", hqToken, Map.of("name", compoundName))))
			.get("id")
			.asLong();
		String residentName = "Resident-" + tag;
		String idNumber = newIdNumber();
		long residentId = json(expect(201,
				api("POST", "/api/v1/residents", hqToken, residentForm(residentName, idNumber, compoundId))))
			.get("id")
			.asLong();
		long householdId = json(expect(200, api("GET", "/api/v1/residents/" + residentId, hqToken, null)))
			.get("householdId")
			.asLong();
		String accountName = this.data.account(Role.VOLUNTEER, community);
		String roster = "姓名,身份证号码,联系电话,小区,门牌号\nRoster-" + tag + "," + newIdNumber() + ",13900139000," + compoundName
				+ ",102\n";
		String checkpointName = "Gate-" + tag;
		long checkpointId = json(
				expect(201,
						api("POST", "/api/v1/checkpoints", hqToken,
								Map.of("nodeId", String.valueOf(community.id()), "name", checkpointName))))
			.get("id")
			.asLong();
		return new Place(label, community, compoundId, compoundName, residentId, residentName, idNumber, householdId,
				accountName, accountId(accountName), roster.getBytes(StandardCharsets.UTF_8), checkpointId,
				checkpointName, feverAlert(hqToken, checkpointId, idNumber), hqToken);
	}

	/**
	 * What the gate sends for the resident with this ID number going in; a fresh
	 * idempotency key each time.
	 */
	static Map<String, String> scan(String idNumber, String temperature) {
		return Map.of("idNumber", idNumber, "direction", "IN", "temperature", temperature, "idempotencyKey",
				UUID.randomUUID().toString());
	}

	/** A delivery registered at the gate; a fresh idempotency key each time. */
	static Map<String, String> visit() {
		return Map.of("kind", "DELIVERY", "idempotencyKey", UUID.randomUUID().toString());
	}

	/**
	 * A fresh, open alert at the place's checkpoint, raised the way the gate raises one:
	 * a fever scan.
	 */
	private long alert(Place place) {
		return feverAlert(place.hqToken(), place.checkpointId(), place.idNumber());
	}

	private long feverAlert(String token, long checkpointId, String idNumber) {
		JsonNode answer = json(expect(200,
				api("POST", "/api/v1/checkpoints/" + checkpointId + "/scans", token, scan(idNumber, "38.2"))));
		assertEquals("gate.deny.fever", answer.get("reason").asString(), answer::toString);
		return this.jdbc.sql("select id from checkpoint_alert where scan_id = :scan")
			.param("scan", answer.get("scanId").asLong())
			.query(Long.class)
			.single();
	}

	static Map<String, String> residentForm(String name, String idNumber, long nodeId) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("name", name);
		form.put("idType", "RESIDENT_ID");
		form.put("idNumber", idNumber);
		form.put("phone", "13800138000");
		form.put("nodeId", String.valueOf(nodeId));
		form.put("room", "101");
		form.put("relation", "HEAD");
		form.put("tags", "");
		form.put("status", "RESIDENT");
		form.put("note", "");
		return form;
	}

	/**
	 * A valid mainland ID number nobody else in the shared database is likely to hold.
	 */
	static String newIdNumber() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		LocalDate birth = LocalDate.of(1950, 1, 1).plusDays(random.nextInt(18_000));
		String first17 = "110101" + birth.format(DateTimeFormatter.BASIC_ISO_DATE)
				+ String.format("%03d", random.nextInt(1000));
		return first17 + IdNumber.checkChar(first17);
	}

	static String unique(String prefix) {
		return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 4);
	}

	/**
	 * A fresh building under the place's compound, so that each seal has a node of its
	 * own.
	 */
	private long building(Place place) {
		return this.data.node(place.compoundId(), "BUILDING", null, unique("Building")).id();
	}

	/** An open seal of a fresh building of the place; its reason is "matrix-seal". */
	private long seal(Place place) {
		return this.jdbc.sql("""
				insert into sealed_area (node_id, path, level, reason, order_ref, starts_at, planned_end_at, created_by)
				values (:node, '', 'SEALED', 'matrix-seal', 'matrix', now(), now() + interval '48 hours', 0)
				returning id""").param("node", building(place)).query(Long.class).single();
	}

	private final Map<String, Long> quarantineSubjects = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * The place's one resident for quarantine routes, out of any open quarantine: one per
	 * place, so the place's resident list stays short and the gate routes keep allowing
	 * the place's own resident.
	 */
	private long freshResident(Place place) {
		long resident = this.quarantineSubjects.computeIfAbsent(place.label(),
				label -> json(expect(201,
						api("POST", "/api/v1/residents", place.hqToken(),
								residentForm(unique("Quarantined"), newIdNumber(), place.compoundId()))))
					.get("id")
					.asLong());
		this.jdbc.sql("update quarantine set released_at = now() where resident_id = :r and released_at is null")
			.param("r", resident)
			.update();
		return resident;
	}

	/**
	 * An open quarantine (a test on day 1) of a fresh resident of the place; its reason
	 * is "matrix-quarantine".
	 */
	private long quarantine(Place place) {
		return this.jdbc
			.sql("""
					insert into quarantine (resident_id, household_id, path, kind, reason, place, starts_on, ends_on, test_days,
					                        created_by)
					select id, household_id, path, 'HOME', 'matrix-quarantine', 'home', current_date, current_date + 14, '{1}', 0
					from resident where id = :resident
					returning id""")
			.param("resident", freshResident(place))
			.query(Long.class)
			.single();
	}

	/**
	 * An upload waiting for confirmation, owned by {@code owner}, for the place's
	 * community. Written straight to the table: it lets the matrix ask whether the
	 * preview itself re-checks permission and jurisdiction, even for an upload its owner
	 * could not have made through the form.
	 */
	private String upload(Caller owner, Place place) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into roster_upload (id, account_id, community_id, filename, content)
				values (:id, :account, :community, 'roster.csv', :content)""")
			.param("id", id)
			.param("account", owner.accountId())
			.param("community", place.community().id())
			.param("content", this.protection.encrypt(Base64.getEncoder().encodeToString(place.roster())))
			.update();
		return id.toString();
	}

	// ---------------------------------------------------------------- testing fixtures
	// (one per call)

	/**
	 * A fresh testing round over the place's community, opened by its HQ: calls never
	 * collide.
	 */
	private long round(Place place) {
		return json(expect(201,
				api("POST", "/api/v1/testing/rounds", place.hqToken(),
						Map.of("nodeId", String.valueOf(place.community().id()), "name", unique("Round"), "poolSize",
								"10", "startsAt", Instant.now().minusSeconds(3600).toString(), "endsAt",
								Instant.now().plusSeconds(86_400).toString()))))
			.get("id")
			.asLong();
	}

	record TubeRef(long roundId, String barcode) {
	}

	static String barcode() {
		return "M" + UUID.randomUUID().toString().replace("-", "").substring(0, 11).toUpperCase();
	}

	/** The place's resident swabbed (by HQ) into a fresh open tube of a fresh round. */
	private TubeRef tube(Place place) {
		long round = round(place);
		String barcode = barcode();
		expect(200, api("POST", "/api/v1/testing/rounds/" + round + "/tubes/" + barcode + "/samples", place.hqToken(),
				Map.of("idNumber", place.idNumber())));
		return new TubeRef(round, barcode);
	}

	/** A follow-up for the place's resident: their pooled tube came back positive. */
	private long followup(Place place) {
		TubeRef tube = tube(place);
		expect(200, api("POST", "/api/v1/testing/rounds/" + tube.roundId() + "/tubes/" + tube.barcode() + "/close",
				place.hqToken(), null));
		expect(200, apiCall(place.hqToken(), Call.multipart("/api/v1/testing/results/imports", Map.of(),
				new FilePart("lab.csv", (tube.barcode() + ",阳性,\n").getBytes(StandardCharsets.UTF_8)))));
		return this.jdbc.sql("select f.id from testing_followup f join tube t on t.id = f.tube_id where t.barcode = :b")
			.param("b", tube.barcode())
			.query(Long.class)
			.single();
	}

	private long site(Place place) {
		return json(expect(201,
				api("POST", "/api/v1/testing/sites", place.hqToken(),
						Map.of("nodeId", String.valueOf(place.compoundId()), "name", unique("Site")))))
			.get("id")
			.asLong();
	}

	static Map<String, String> roundForm(Place place) {
		return Map.of("nodeId", String.valueOf(place.community().id()), "name", unique("Round"), "poolSize", "10",
				"startsAt", "2022-04-12T06:00", "endsAt", "2099-04-12T20:00");
	}

	static final FilePart LAB_FILE = new FilePart("lab.csv",
			"试管条码,结果,时间\nNOSUCHTUBE1,阴性,\n".getBytes(StandardCharsets.UTF_8));

	// ---------------------------------------------------------------- routes

	/** The file part of a multipart request. */
	record FilePart(String filename, byte[] content) {
	}

	/**
	 * One request, before encoding: a page call gets the session and CSRF token, an API
	 * call a bearer token. {@code accept}: the page call's Accept header, when not
	 * text/html.
	 */
	record Call(String method, String path, Map<String, ?> json, Map<String, String> form, FilePart file, String bearer,
			String accept) {

		/** What a browser asks for when it loads an {@code <img>}. */
		static final String IMAGE = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

		Call(String method, String path, Map<String, ?> json, Map<String, String> form, FilePart file, String bearer) {
			this(method, path, json, form, file, bearer, null);
		}

		static Call get(String path) {
			return new Call("GET", path, null, null, null, null);
		}

		/**
		 * A JSON body; values are strings, or lists and maps for bodies that nest (a
		 * post's shifts).
		 */
		static Call json(String method, String path, Map<String, ?> body) {
			return new Call(method, path, body, null, null, null);
		}

		static Call form(String path, Map<String, String> form) {
			return new Call("POST", path, null, form, null, null);
		}

		static Call multipart(String path, Map<String, String> form, FilePart file) {
			return new Call("POST", path, null, form, file, null);
		}

		static Call image(String path) {
			return new Call("GET", path, null, null, null, null, IMAGE);
		}

		Call withBearer(String token) {
			return new Call(this.method, this.path, this.json, this.form, this.file, token, this.accept);
		}

	}

	/**
	 * One route. {@code needs}: the permissions it requires; {@code wheres}: INSIDE and
	 * OUTSIDE for a route naming a node or record, NONE for one that names nothing;
	 * {@code proof}: text that only a successful answer about the place contains (checked
	 * present when allowed, absent when refused).
	 */
	record Route(boolean page, String method, String template, Set<Permission> needs, Set<Where> wheres, int success,
			BiFunction<Caller, Place, Call> call, Function<Place, String> proof) {

		String kind() {
			return this.page ? "page" : "API";
		}

	}

	static final Set<Where> SCOPED = EnumSet.of(Where.INSIDE, Where.OUTSIDE);

	static final Set<Where> UNSCOPED = EnumSet.of(Where.NONE);

	static Set<Permission> needs(Permission... permissions) {
		return permissions.length == 0 ? EnumSet.noneOf(Permission.class) : EnumSet.of(permissions[0], permissions);
	}

	static Route api(String method, String template, Set<Permission> needs, Set<Where> wheres, int success,
			BiFunction<Caller, Place, Call> call, Function<Place, String> proof) {
		return new Route(false, method, template, needs, wheres, success, call, proof);
	}

	static Route page(String method, String template, Set<Permission> needs, Set<Where> wheres, int success,
			BiFunction<Caller, Place, Call> call, Function<Place, String> proof) {
		return new Route(true, method, template, needs, wheres, success, call, proof);
	}

	/**
	 * Every endpoint of RegistryApi, ResidentApi, CheckpointApi, TestingApi and
	 * AuditPages.AuditApi (TokenController: see tokenEndpoint).
	 */
	List<Route> apiRoutes() {
		return List.of(
				api("POST", "/api/v1/id-numbers/check", needs(), UNSCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/id-numbers/check", Map.of("number", newIdNumber())), null),
				api("GET", "/api/v1/nodes", needs(), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/nodes"), null),
				api("GET", "/api/v1/nodes/{id}", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/nodes/" + p.community().id()), p -> p.compoundName()),
				api("GET", "/api/v1/nodes/by-code/{code}", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/nodes/by-code/" + p.community().code()), p -> p.community().path()),
				api("POST", "/api/v1/nodes/{id}/children", needs(EDIT_REGISTRY), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/nodes/" + p.compoundId() + "/children",
								Map.of("name", unique("Building"))),
						null),
				api("PATCH", "/api/v1/nodes/{id}", needs(EDIT_REGISTRY), SCOPED, 200,
						(c, p) -> Call.json("PATCH", "/api/v1/nodes/" + p.compoundId(),
								Map.of("name", p.compoundName())),
						p -> p.community().path()),
				api("GET", "/api/v1/nodes/{id}/establishments", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/nodes/" + p.compoundId() + "/establishments"), null),
				api("POST", "/api/v1/nodes/{id}/establishments", needs(EDIT_REGISTRY), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/nodes/" + p.compoundId() + "/establishments",
								Map.of("kind", "SHOP", "name", unique("Shop"))),
						null),
				api("POST", "/api/v1/divisions/imports", needs(IMPORT_DIVISIONS), EnumSet.of(Where.OUTSIDE), 200,
						(c, p) -> Call.json("POST", "/api/v1/divisions/imports", Map.of("code", REAL_DIVISION)), null),
				api("GET", "/api/v1/residents", needs(VIEW_RESIDENTS), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents?size=100"), null),
				api("GET", "/api/v1/residents?node={id}", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents?size=100&node=" + p.community().id()),
						Place::residentName),
				api("GET", "/api/v1/residents/{id}", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents/" + p.residentId()), Place::residentName),
				api("POST", "/api/v1/residents/{id}/reveal", needs(VIEW_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/residents/" + p.residentId() + "/reveal", null),
						Place::idNumber),
				api("GET", "/api/v1/households/{id}/residents", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/households/" + p.householdId() + "/residents"),
						Place::residentName),
				api("POST", "/api/v1/residents", needs(EDIT_RESIDENTS), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/residents",
								residentForm(unique("New"), newIdNumber(), p.compoundId())),
						null),
				api("PUT", "/api/v1/residents/{id}", needs(EDIT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.json("PUT", "/api/v1/residents/" + p.residentId(),
								residentForm(p.residentName(), p.idNumber(), p.compoundId())),
						null),
				api("POST", "/api/v1/residents/imports", needs(IMPORT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.multipart("/api/v1/residents/imports",
								Map.of("communityCode", p.community().code(), "dryRun", "true"),
								new FilePart("roster.csv", p.roster())),
						null),
				api("GET", "/api/v1/residents/export?node={id}", needs(EXPORT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents/export?node=" + p.community().id()), null),
				api("GET", "/api/v1/residents/export?node={id}&unmasked=true",
						needs(EXPORT_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents/export?unmasked=true&node=" + p.community().id()), null),
				// Flow tracing (issue 11): each call gets a case of its own (a fresh
				// resident of the place's household,
				// with a fresh close contact), so quarantining or discharging never
				// touches the place's own resident.
				api("POST", "/api/v1/cases", needs(MANAGE_TRACING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/cases",
								Map.of("residentId", String.valueOf(tracingResident(p, "Case")), "kind", "CONFIRMED")),
						null),
				api("GET", "/api/v1/cases", needs(MANAGE_TRACING), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/cases"),
						null),
				api("GET", "/api/v1/cases/chain", needs(MANAGE_TRACING), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/cases/chain"), null),
				api("GET", "/api/v1/cases/{id}", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/cases/" + tracedCase(p).caseId()), p -> "matrix-case"),
				api("GET", "/api/v1/cases/{id}/contact-candidates", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/cases/" + tracedCase(p).caseId() + "/contact-candidates"),
						p -> "HOUSEHOLD"),
				api("GET", "/api/v1/cases/{id}/contacts/{contactId}/contact-candidates", needs(MANAGE_TRACING), SCOPED,
						200, (c, p) -> {
							TracedCase t = tracedCase(p);
							return Call.get("/api/v1/cases/" + t.caseId() + "/contacts/" + t.contactId()
									+ "/contact-candidates");
						}, null),
				api("POST", "/api/v1/cases/{id}/contacts", needs(MANAGE_TRACING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + tracedCase(p).caseId() + "/contacts",
								Map.of("residentId", String.valueOf(p.residentId()), "category", "NONE", "reason",
										"matrix")),
						null),
				api("GET", "/api/v1/cases/{id}/contacts", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/cases/" + tracedCase(p).caseId() + "/contacts"),
						p -> "matrix-contact"),
				api("POST", "/api/v1/cases/{id}/contacts/manual", needs(MANAGE_TRACING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + tracedCase(p).caseId() + "/contacts/manual",
								Map.of("name", "快递员", "phone", "13900139000", "reason", "送货上门")),
						null),
				api("POST", "/api/v1/cases/{id}/contacts/{contactId}/reveal",
						needs(MANAGE_TRACING, REVEAL_PERSONAL_DATA), SCOPED, 200, (c, p) -> {
							TracedCase t = tracedCase(p);
							return Call.json("POST",
									"/api/v1/cases/" + t.caseId() + "/contacts/" + t.manualId() + "/reveal", null);
						}, p -> this.tracingIdNumbers.get(p.label())),
				api("POST", "/api/v1/cases/{id}/contacts/quarantine", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + tracedCase(p).caseId() + "/contacts/quarantine",
								Map.of("kind", "HOME")),
						p -> "\"started\":1"),
				api("POST", "/api/v1/cases/{id}/transfer", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + tracedCase(p).caseId() + "/transfer",
								Map.of("to", "市传染病医院")),
						p -> "TRANSFERRED"),
				api("POST", "/api/v1/cases/{id}/discharge", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + transferredCase(p) + "/discharge", null),
						p -> "DISCHARGED"),
				api("POST", "/api/v1/cases/{id}/kind", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/cases/" + tracedCase(p).caseId() + "/kind",
								Map.of("kind", "ASYMPTOMATIC")),
						p -> "ASYMPTOMATIC"),
				// Containment: each call seals a building of its own, or quarantines a
				// resident of its own.
				api("POST", "/api/v1/containment/seals", needs(MANAGE_CONTAINMENT), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/containment/seals",
								Map.of("nodeId", String.valueOf(building(p)), "level", "SEALED", "reason", "matrix",
										"order", "matrix", "hours", "48")),
						null),
				api("GET", "/api/v1/containment/seals", needs(VIEW_REGISTRY), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/seals"), null),
				api("GET", "/api/v1/containment/seals/{id}", needs(VIEW_REGISTRY), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/seals/" + seal(p)), p -> "\"timeline\""),
				api("POST", "/api/v1/containment/seals/{id}/extend", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/containment/seals/" + seal(p) + "/extend",
								Map.of("hours", "96")),
						null),
				api("POST", "/api/v1/containment/seals/{id}/end", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/containment/seals/" + seal(p) + "/end",
								Map.of("note", "解封")),
						null),
				api("POST", "/api/v1/containment/quarantines", needs(MANAGE_CONTAINMENT), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/containment/quarantines",
								Map.of("residentId", String.valueOf(freshResident(p)), "reason", "matrix", "place",
										"home")),
						null),
				api("GET", "/api/v1/containment/quarantines", needs(MANAGE_CONTAINMENT), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/quarantines"), null),
				api("GET", "/api/v1/containment/quarantines/{id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/quarantines/" + quarantine(p)), p -> "\"testDays\""),
				api("POST", "/api/v1/containment/quarantines/{id}/check-ins", needs(MANAGE_CONTAINMENT), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/containment/quarantines/" + quarantine(p) + "/check-ins",
								Map.of("temperature", "36.5")),
						null),
				api("POST", "/api/v1/containment/quarantines/{id}/tests", needs(MANAGE_CONTAINMENT), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/containment/quarantines/" + quarantine(p) + "/tests",
								Map.of("day", "1", "result", "NEGATIVE")),
						null),
				api("POST", "/api/v1/containment/quarantines/{id}/release", needs(MANAGE_CONTAINMENT), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/containment/quarantines/" + quarantine(p) + "/release",
								Map.of("note", "matrix")),
						null),
				// Account management (issue 10, trust-accounts). Each change acts on a
				// checkpoint guard of its own at the
				// place: a role whose permissions every account manager holds, so only
				// the place decides the outcome.
				api("GET", "/api/v1/accounts", needs(MANAGE_ACCOUNTS), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/accounts"), null),
				api("POST", "/api/v1/accounts", needs(MANAGE_ACCOUNTS), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/accounts", newAccount(Role.CHECKPOINT_GUARD, p)), null),
				api("POST", "/api/v1/accounts/{id}/disable", needs(MANAGE_ACCOUNTS), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/accounts/" + guard(p) + "/disable", null), null),
				api("POST", "/api/v1/accounts/{id}/enable", needs(MANAGE_ACCOUNTS), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/accounts/" + guard(p) + "/enable", null), null),
				api("PUT", "/api/v1/accounts/{id}/role", needs(MANAGE_ACCOUNTS), SCOPED, 204,
						(c, p) -> Call.json("PUT", "/api/v1/accounts/" + guard(p) + "/role",
								Map.of("role", "CHECKPOINT_GUARD")),
						null),
				api("PUT", "/api/v1/accounts/{id}/node", needs(MANAGE_ACCOUNTS), SCOPED, 204,
						(c, p) -> Call.json("PUT", "/api/v1/accounts/" + guard(p) + "/node",
								Map.of("nodeId", String.valueOf(p.community().id()))),
						null),
				api("POST", "/api/v1/accounts/{id}/password-reset", needs(MANAGE_ACCOUNTS), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/accounts/" + guard(p) + "/password-reset", null),
						p -> "temporaryPassword"),
				// Enrolment reports rows outside the caller's reach per row (see
				// accountImportOutside), so: unscoped.
				api("POST", "/api/v1/accounts/imports", needs(MANAGE_ACCOUNTS), UNSCOPED, 200,
						(c, p) -> Call.multipart("/api/v1/accounts/imports", Map.of(), cadres(p)),
						p -> "\"accepted\":1"),
				api("GET", "/api/v1/outbox", needs(VIEW_RESIDENTS), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/outbox"),
						null),
				api("GET", "/api/v1/audit", needs(VIEW_AUDIT), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/audit"),
						null),
				// Passes: issued and revoked by whoever manages checkpoints, for
				// residents of their jurisdiction.
				api("GET", "/api/v1/residents/{id}/pass", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents/" + p.residentId() + "/pass"), p -> "FXP1."),
				api("POST", "/api/v1/residents/{id}/pass/revoke", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/residents/" + p.residentId() + "/pass/revoke", null),
						null),
				api("POST", "/api/v1/households/{id}/family-link", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/households/" + p.householdId() + "/family-link", null),
						p -> "/f/" + p.householdId() + "."),
				// trust-scope: family links are revocable by whoever may send them, for
				// households inside the jurisdiction.
				api("DELETE", "/api/v1/households/{id}/family-link", needs(MANAGE_CHECKPOINTS), SCOPED, 204,
						(c, p) -> new Call("DELETE", "/api/v1/households/" + p.householdId() + "/family-link", null,
								null, null, null),
						null),
				api("GET", "/api/v1/checkpoints", needs(), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/checkpoints"),
						null),
				api("POST", "/api/v1/checkpoints", needs(MANAGE_CHECKPOINTS), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/checkpoints",
								Map.of("nodeId", String.valueOf(p.compoundId()), "name", unique("Gate"))),
						null),
				// The gate: the place's own resident at the place's checkpoint, so an
				// allowed call is an ALLOW.
				api("POST", "/api/v1/checkpoints/{id}/scans", needs(SCAN_AT_CHECKPOINT), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/checkpoints/" + p.checkpointId() + "/scans",
								scan(p.idNumber(), "36.5")),
						p -> "\"ALLOW\""),
				api("POST", "/api/v1/checkpoints/{id}/visits", needs(SCAN_AT_CHECKPOINT), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/checkpoints/" + p.checkpointId() + "/visits", visit()),
						null),
				api("GET", "/api/v1/checkpoints/{id}/counters", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/checkpoints/" + p.checkpointId() + "/counters"),
						p -> "\"turnedBack\""),
				api("GET", "/api/v1/checkpoint-alerts", needs(MANAGE_CHECKPOINTS), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/checkpoint-alerts"), null),
				// Each call acknowledges an alert of its own, raised just before.
				api("POST", "/api/v1/checkpoint-alerts/{id}/acknowledge", needs(MANAGE_CHECKPOINTS), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/checkpoint-alerts/" + alert(p) + "/acknowledge", null),
						null),
				// Containment: returnee reports (each decision on a report of its own: a
				// report is decided once).
				api("GET", "/api/v1/containment/returnee-reports", needs(MANAGE_CONTAINMENT), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/returnee-reports"), null),
				api("GET", "/api/v1/containment/returnee-reports/{id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/containment/returnee-reports/" + returneeReport(p)),
						Place::residentName),
				api("POST", "/api/v1/containment/returnee-reports/{id}/reveal",
						needs(MANAGE_CONTAINMENT, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.json("POST",
								"/api/v1/containment/returnee-reports/" + returneeReport(p) + "/reveal", null),
						Place::idNumber),
				api("POST", "/api/v1/containment/returnee-reports/{id}/decision", needs(MANAGE_CONTAINMENT), SCOPED,
						200,
						(c, p) -> Call.json("POST",
								"/api/v1/containment/returnee-reports/" + returneeReport(p) + "/decision",
								Map.of("decision", "HEALTH_MONITORING")),
						p -> "HEALTH_MONITORING"),
				// Screening campaigns: planning and handing out doors.
				api("POST", "/api/v1/containment/campaigns", needs(MANAGE_CONTAINMENT), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/containment/campaigns",
								Map.of("name", unique("Campaign"), "nodeId", String.valueOf(p.community().id()))),
						null),
				api("POST", "/api/v1/containment/campaigns/{id}/assignments", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/containment/campaigns/" + campaign(p) + "/assignments",
								Map.of("buildingId", String.valueOf(p.compoundId()))),
						p -> "\"doors\""),
				// Testing: rounds are seen by everyone whose jurisdiction overlaps them;
				// each call gets its own round.
				api("GET", "/api/v1/testing/rounds", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/rounds"), null),
				api("POST", "/api/v1/testing/rounds", needs(MANAGE_TESTING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/testing/rounds",
								Map.of("nodeId", String.valueOf(p.community().id()), "name", unique("Round"),
										"poolSize", "10", "startsAt", Instant.now().toString(), "endsAt",
										Instant.now().plusSeconds(3600).toString())),
						null),
				api("GET", "/api/v1/testing/rounds/{id}", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/rounds/" + round(p)), p -> p.community().path()),
				api("POST", "/api/v1/testing/rounds/{id}/close", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/testing/rounds/" + round(p) + "/close", null),
						p -> "\"CLOSED\""),
				api("POST", "/api/v1/testing/rounds/{id}/tubes/{barcode}/samples", needs(COLLECT_SAMPLES), SCOPED, 200,
						(c, p) -> Call.json("POST",
								"/api/v1/testing/rounds/" + round(p) + "/tubes/" + barcode() + "/samples",
								Map.of("idNumber", p.idNumber())),
						p -> "\"OPEN\""),
				api("GET", "/api/v1/testing/rounds/{id}/tubes/{barcode}", needs(COLLECT_SAMPLES), SCOPED, 200,
						(c, p) -> {
							TubeRef t = tube(p);
							return Call.get("/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode());
						}, p -> "\"OPEN\""),
				api("DELETE", "/api/v1/testing/rounds/{id}/tubes/{barcode}/samples/{residentId}",
						needs(COLLECT_SAMPLES), SCOPED, 200, (c, p) -> {
							TubeRef t = tube(p);
							return new Call("DELETE", "/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode()
									+ "/samples/" + p.residentId(), null, null, null, null);
						}, p -> "\"count\":0"),
				api("POST", "/api/v1/testing/rounds/{id}/tubes/{barcode}/close", needs(COLLECT_SAMPLES), SCOPED, 200,
						(c, p) -> {
							TubeRef t = tube(p);
							return Call.json("POST",
									"/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode() + "/close", null);
						}, p -> "\"CLOSED\""),
				api("POST", "/api/v1/testing/results/imports", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.multipart("/api/v1/testing/results/imports", Map.of(), LAB_FILE),
						p -> "\"rejected\""),
				api("GET", "/api/v1/testing/rounds/{id}/coverage", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call
							.get("/api/v1/testing/rounds/" + round(p) + "/coverage?code=" + p.community().code()),
						p -> "\"nodeId\":" + p.community().id()),
				api("GET", "/api/v1/testing/rounds/{id}/missing", needs(MANAGE_TESTING, VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/rounds/" + round(p) + "/missing"), Place::residentName),
				api("GET", "/api/v1/testing/rounds/{id}/missing?reveal=true",
						needs(MANAGE_TESTING, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/rounds/" + round(p) + "/missing?reveal=true"),
						p -> "13800138000"),
				api("POST", "/api/v1/testing/rounds/{id}/reminders", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/testing/rounds/" + round(p) + "/reminders", null),
						p -> "\"queued\""),
				api("GET", "/api/v1/testing/sites", needs(), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/testing/sites"),
						null),
				api("POST", "/api/v1/testing/sites", needs(MANAGE_TESTING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/testing/sites",
								Map.of("nodeId", String.valueOf(p.compoundId()), "name", unique("Site"))),
						null),
				api("POST", "/api/v1/testing/sites/{id}/points", needs(MANAGE_TESTING), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/testing/sites/" + site(p) + "/points",
								Map.of("name", unique("Point"), "greenChannel", "true")),
						null),
				api("GET", "/api/v1/testing/followups", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/testing/followups"), null),
				api("POST", "/api/v1/testing/followups/{id}/acknowledge", needs(MANAGE_TESTING), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/testing/followups/" + followup(p) + "/acknowledge", null),
						null),
				// Workforce (排班设岗): people on duty, teams, posts and rosters; each write
				// enrols or creates its own.
				api("POST", "/api/v1/volunteers/imports", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.multipart("/api/v1/volunteers/imports", Map.of("code", p.community().code()),
								volunteerFile()),
						p -> "\"accepted\":1"),
				api("GET", "/api/v1/volunteers?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/volunteers?code=" + p.community().code()),
						p -> volunteer(p).name()),
				api("POST", "/api/v1/volunteers/{id}/reveal", needs(MANAGE_WORKFORCE, REVEAL_PERSONAL_DATA), SCOPED,
						200, (c, p) -> Call.json("POST", "/api/v1/volunteers/" + volunteer(p).id() + "/reveal", null),
						p -> volunteer(p).idNumber()),
				api("POST", "/api/v1/teams", needs(MANAGE_WORKFORCE), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/teams",
								Map.of("nodeId", String.valueOf(p.community().id()), "name", unique("Team"), "kind",
										"SHOCK_TEAM", "leaderId", String.valueOf(newVolunteer(p).id()))),
						null),
				api("GET", "/api/v1/teams?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/teams?code=" + p.community().code()), null),
				api("POST", "/api/v1/posts", needs(MANAGE_WORKFORCE), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/posts",
								Map.of("nodeId", String.valueOf(p.community().id()), "name", unique("Post"), "kind",
										"checkpoint", "shifts",
										List.of(Map.of("start", "07:00", "end", "14:00", "headcount", 2, "skills",
												List.of("采样"))))),
						null),
				api("GET", "/api/v1/posts?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/posts?code=" + p.community().code()), p -> dutyPost(p).name()),
				api("POST", "/api/v1/rosters", needs(MANAGE_WORKFORCE), SCOPED, 202,
						(c, p) -> Call.json("POST", "/api/v1/rosters",
								Map.of("code", p.community().code(), "from", "2027-03-01", "to", "2027-03-02",
										"seconds", "1")),
						null),
				api("GET", "/api/v1/rosters/{id}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/rosters/" + dutyRoster(p)),
						p -> "\"code\":\"" + p.community().code()),
				// Reporting: the dashboard of the place's community; daily reports of its
				// street (each call a day of its own).
				api("GET", "/api/v1/dashboard?code={code}", needs(VIEW_DASHBOARD), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/dashboard?code=" + p.community().code()), null),
				api("GET", "/api/v1/dashboard/trends?code={code}", needs(VIEW_DASHBOARD), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/dashboard/trends?code=" + p.community().code()), null),
				api("POST", "/api/v1/daily-reports", needs(WRITE_DAILY_REPORTS), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/daily-reports",
								Map.of("code", streetCode(p), "date", reportDay())),
						null),
				api("GET", "/api/v1/daily-reports/{id}", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/daily-reports/" + dailyReport(p)), null),
				api("PUT", "/api/v1/daily-reports/{id}", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.json("PUT", "/api/v1/daily-reports/" + dailyReport(p),
								Map.of("workDone", "巡查", "problems", "", "plans", "")),
						null),
				api("POST", "/api/v1/daily-reports/{id}/submit", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/daily-reports/" + dailyReport(p) + "/submit", null), null),
				api("GET", "/api/v1/daily-reports/{id}.pdf", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/daily-reports/" + dailyReport(p) + ".pdf"), null),
				api("GET", "/api/v1/daily-reports/{id}.xlsx", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/daily-reports/" + dailyReport(p) + ".xlsx"), null),
				// Reporting (command-ops): the purge of personal data at the end of an
				// emergency, over the place's community (nothing there is older than the
				// policy, so it deletes nothing).
				api("POST", "/api/v1/purge", needs(PURGE_PERSONAL_DATA), SCOPED, 200, (c, p) -> Call.json("POST",
						"/api/v1/purge", Map.of("code", p.community().code(), "confirm", "PURGE")), null));
	}

	/** The 12-digit code of the street above the place's community. */
	private String streetCode(Place place) {
		return this.jdbc
			.sql("select s.code from division_node c join division_node s on s.id = c.parent_id where c.id = :id")
			.param("id", place.community().id())
			.query(String.class)
			.single();
	}

	/**
	 * A past day of its own for each daily report the matrix creates (one report per
	 * street and day).
	 */
	private static String reportDay() {
		return java.time.LocalDate.now(org.fangxian.shared.ChinaStandardTime.ZONE)
			.minusDays(SEQUENCE.incrementAndGet())
			.toString();
	}

	/** A daily report of the place's street, drafted by the HQ for a day of its own. */
	private long dailyReport(Place place) {
		return json(expect(201, api("POST", "/api/v1/daily-reports", place.hqToken(),
				Map.of("code", streetCode(place), "date", reportDay()))))
			.get("id")
			.asLong();
	}

	/**
	 * Every route of RegistryPages, SecurityPages (but /login, see anonymous),
	 * AuditPages, CheckpointPages, TestingPages and LanguageSwitch.
	 */
	List<Route> pageRoutes() {
		return List.of(page("GET", "/", needs(), UNSCOPED, 302, (c, p) -> Call.get("/"), null),
				page("GET", "/nodes/{id}", needs(), SCOPED, 200, (c, p) -> Call.get("/nodes/" + p.community().id()),
						Place::compoundName),
				page("POST", "/nodes/{id}/children", needs(EDIT_REGISTRY), SCOPED, 302,
						(c, p) -> Call.form("/nodes/" + p.compoundId() + "/children",
								Map.of("name", unique("Building"))),
						null),
				page("POST", "/nodes/{id}/establishments", needs(EDIT_REGISTRY), SCOPED, 302,
						(c, p) -> Call.form("/nodes/" + p.compoundId() + "/establishments",
								Map.of("kind", "SHOP", "name", unique("Shop"))),
						null),
				page("POST", "/nodes/{id}/rename", needs(EDIT_REGISTRY), SCOPED, 302,
						(c, p) -> Call.form("/nodes/" + p.compoundId() + "/rename", Map.of("name", p.compoundName())),
						null),
				page("GET", "/divisions", needs(IMPORT_DIVISIONS), UNSCOPED, 200, (c, p) -> Call.get("/divisions"),
						null),
				page("POST", "/divisions", needs(IMPORT_DIVISIONS), EnumSet.of(Where.OUTSIDE), 200,
						(c, p) -> Call.form("/divisions", Map.of("code", REAL_DIVISION)), null),
				page("GET", "/residents", needs(VIEW_RESIDENTS), UNSCOPED, 200, (c, p) -> Call.get("/residents"), null),
				page("GET", "/residents?node={id}", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/residents?node=" + p.community().id()), Place::residentName),
				page("GET", "/residents/{id}", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/residents/" + p.residentId()), Place::residentName),
				page("POST", "/residents/{id}/reveal", needs(VIEW_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.form("/residents/" + p.residentId() + "/reveal", Map.of()), Place::idNumber),
				page("GET", "/residents/new?node={id}", needs(EDIT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/residents/new?node=" + p.compoundId()), Place::compoundName),
				page("POST", "/residents/new", needs(EDIT_RESIDENTS), SCOPED, 302,
						(c, p) -> Call.form("/residents/new",
								residentForm(unique("New"), newIdNumber(), p.compoundId())),
						null),
				// The edit form is filled with the full ID number, so it needs the reveal
				// right as well.
				page("GET", "/residents/{id}/edit", needs(EDIT_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.get("/residents/" + p.residentId() + "/edit"), Place::idNumber),
				page("POST", "/residents/{id}/edit", needs(EDIT_RESIDENTS), SCOPED, 302,
						(c, p) -> Call.form("/residents/" + p.residentId() + "/edit",
								residentForm(p.residentName(), p.idNumber(), p.compoundId())),
						null),
				page("GET", "/imports/new", needs(IMPORT_RESIDENTS), UNSCOPED, 200, (c, p) -> Call.get("/imports/new"),
						null),
				page("POST", "/imports", needs(IMPORT_RESIDENTS), SCOPED, 302,
						(c, p) -> Call.multipart("/imports", Map.of("community", String.valueOf(p.community().id())),
								new FilePart("roster.csv", p.roster())),
						null),
				page("GET", "/imports/{id}", needs(IMPORT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/imports/" + upload(c, p)), null),
				page("POST", "/imports/{id}", needs(IMPORT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.form("/imports/" + upload(c, p), Map.of("action", "commit")), null),
				page("GET", "/accounts", needs(MANAGE_ACCOUNTS), UNSCOPED, 200, (c, p) -> Call.get("/accounts"), null),
				page("POST", "/accounts", needs(MANAGE_ACCOUNTS), SCOPED, 302,
						(c, p) -> Call.form("/accounts", newAccount(Role.CHECKPOINT_GUARD, p)), null),
				page("POST", "/accounts/{id}/enabled", needs(MANAGE_ACCOUNTS), SCOPED, 302,
						(c, p) -> Call.form("/accounts/" + guard(p) + "/enabled", Map.of("enabled", "false")), null),
				// Account management (issue 10, trust-accounts): each on a checkpoint
				// guard of its own, as in the API.
				page("GET", "/accounts/{id}", needs(MANAGE_ACCOUNTS), SCOPED, 200,
						(c, p) -> Call.get("/accounts/" + guard(p)), p -> p.community().name()),
				page("POST", "/accounts/{id}/role", needs(MANAGE_ACCOUNTS), SCOPED, 302,
						(c, p) -> Call.form("/accounts/" + guard(p) + "/role", Map.of("role", "CHECKPOINT_GUARD")),
						null),
				page("POST", "/accounts/{id}/node", needs(MANAGE_ACCOUNTS), SCOPED, 302,
						(c, p) -> Call.form("/accounts/" + guard(p) + "/node",
								Map.of("nodeId", String.valueOf(p.community().id()))),
						null),
				page("POST", "/accounts/{id}/password-reset", needs(MANAGE_ACCOUNTS), SCOPED, 200,
						(c, p) -> Call.form("/accounts/" + guard(p) + "/password-reset", Map.of()),
						p -> "class=\"secret\""),
				page("GET", "/account/password", needs(), UNSCOPED, 200, (c, p) -> Call.get("/account/password"), null),
				// Flow tracing (issue 11): the tracer's pages, each call on a case of its
				// own.
				page("GET", "/tracing", needs(MANAGE_TRACING), UNSCOPED, 200, (c, p) -> Call.get("/tracing"), null),
				page("GET", "/tracing/chain", needs(MANAGE_TRACING), UNSCOPED, 200,
						(c, p) -> Call.get("/tracing/chain"), null),
				page("GET", "/tracing/cases/new", needs(MANAGE_TRACING), UNSCOPED, 200,
						(c, p) -> Call.get("/tracing/cases/new"), null),
				page("GET", "/tracing/cases/new?resident={id}", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/tracing/cases/new?resident=" + p.residentId()), null),
				page("POST", "/tracing/cases", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases",
								Map.of("residentId", String.valueOf(tracingResident(p, "Case")), "kind", "CONFIRMED",
										"foundBy", "FEVER_CLINIC")),
						null),
				page("GET", "/tracing/cases/{id}", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/tracing/cases/" + tracedCase(p).caseId()), p -> "matrix-contact"),
				page("POST", "/tracing/cases/{id}/contacts", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + tracedCase(p).caseId() + "/contacts",
								Map.of("residentId", String.valueOf(p.residentId()), "category", "NONE", "reason",
										"matrix")),
						null),
				page("POST", "/tracing/cases/{id}/manual", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + tracedCase(p).caseId() + "/manual",
								Map.of("name", "快递员", "reason", "送货上门")),
						null),
				page("POST", "/tracing/cases/{id}/quarantine", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + tracedCase(p).caseId() + "/quarantine",
								Map.of("kind", "HOME")),
						null),
				page("POST", "/tracing/cases/{id}/transfer", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + tracedCase(p).caseId() + "/transfer",
								Map.of("to", "市传染病医院")),
						null),
				page("POST", "/tracing/cases/{id}/discharge", needs(MANAGE_TRACING), SCOPED, 302,
						(c, p) -> Call.form("/tracing/cases/" + transferredCase(p) + "/discharge", Map.of()), null),
				page("POST", "/tracing/cases/{id}/contacts/{contactId}/reveal",
						needs(MANAGE_TRACING, REVEAL_PERSONAL_DATA), SCOPED, 200, (c, p) -> {
							TracedCase t = tracedCase(p);
							return Call.form("/tracing/cases/" + t.caseId() + "/contacts/" + t.manualId() + "/reveal",
									Map.of());
						}, p -> this.tracingIdNumbers.get(p.label())),
				page("GET", "/tracing/cases/{id}/contacts/{contactId}/candidates", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> {
							TracedCase t = tracedCase(p);
							return Call
								.get("/tracing/cases/" + t.caseId() + "/contacts/" + t.contactId() + "/candidates");
						}, null),
				page("GET", "/tracing/cases/{id}/contacts.xlsx", needs(MANAGE_TRACING), SCOPED, 200,
						(c, p) -> Call.get("/tracing/cases/" + tracedCase(p).caseId() + "/contacts.xlsx"),
						p -> "PK\u0003\u0004"),
				page("GET", "/containment", needs(MANAGE_CONTAINMENT), UNSCOPED, 200,
						(c, p) -> Call.get("/containment"), null),
				page("GET", "/containment/seals/new?node={id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/containment/seals/new?node=" + p.compoundId()), Place::compoundName),
				page("POST", "/containment/seals", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/seals",
								Map.of("nodeId", String.valueOf(building(p)), "level", "CONTROLLED", "reason", "matrix",
										"order", "matrix", "hours", "48")),
						null),
				page("GET", "/containment/seals/{id}", needs(VIEW_REGISTRY), SCOPED, 200,
						(c, p) -> Call.get("/containment/seals/" + seal(p)), p -> "matrix-seal"),
				page("POST", "/containment/seals/{id}/extend", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/seals/" + seal(p) + "/extend", Map.of("hours", "24")), null),
				page("POST", "/containment/seals/{id}/end", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/seals/" + seal(p) + "/end", Map.of()), null),
				page("GET", "/containment/quarantines/new?resident={id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/containment/quarantines/new?resident=" + p.residentId()), null),
				page("POST", "/containment/quarantines", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/quarantines",
								Map.of("residentId", String.valueOf(freshResident(p)), "reason", "matrix", "place",
										"home")),
						null),
				page("GET", "/containment/quarantines/{id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/containment/quarantines/" + quarantine(p)), p -> "matrix-quarantine"),
				page("POST", "/containment/quarantines/{id}/check-ins", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/quarantines/" + quarantine(p) + "/check-ins",
								Map.of("temperature", "36.5")),
						null),
				page("POST", "/containment/quarantines/{id}/tests", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/quarantines/" + quarantine(p) + "/tests",
								Map.of("day", "1", "result", "SAMPLED")),
						null),
				page("POST", "/containment/quarantines/{id}/release", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/containment/quarantines/" + quarantine(p) + "/release",
								Map.of("note", "m")),
						null),
				// The person's own check-in link is public; a link that does not verify
				// shows a polite refusal.
				page("GET", "/q/{token}", needs(), UNSCOPED, 200, (c, p) -> Call.get("/q/1.AAAAAAAAAAAAAAAAAAAAAA"),
						null),
				page("POST", "/q/{token}", needs(), UNSCOPED, 200,
						(c, p) -> Call.form("/q/1.AAAAAAAAAAAAAAAAAAAAAA", Map.of("temperature", "36.5")), null),
				page("GET", "/outbox", needs(VIEW_RESIDENTS), UNSCOPED, 200, (c, p) -> Call.get("/outbox"), null),
				page("GET", "/audit", needs(VIEW_AUDIT), UNSCOPED, 200, (c, p) -> Call.get("/audit"), null),
				page("GET", "/checkpoints", needs(), UNSCOPED, 200, (c, p) -> Call.get("/checkpoints"), null),
				page("POST", "/checkpoints", needs(MANAGE_CHECKPOINTS), SCOPED, 302,
						(c, p) -> Call.form("/checkpoints",
								Map.of("nodeId", String.valueOf(p.compoundId()), "name", unique("Gate"))),
						null),
				page("POST", "/checkpoint-alerts/{id}/acknowledge", needs(MANAGE_CHECKPOINTS), SCOPED, 302,
						(c, p) -> Call.form("/checkpoint-alerts/" + alert(p) + "/acknowledge", Map.of()), null),
				page("GET", "/checkpoints/{id}/scan", needs(SCAN_AT_CHECKPOINT), SCOPED, 200,
						(c, p) -> Call.get("/checkpoints/" + p.checkpointId() + "/scan"), Place::checkpointName),
				page("GET", "/residents/{id}/pass", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.get("/residents/" + p.residentId() + "/pass"), p -> "FXP1."),
				page("GET", "/households/{id}/passes", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.get("/households/" + p.householdId() + "/passes"), Place::residentName),
				// The family link (家庭码): texted by whoever manages checkpoints for the
				// household; the link itself
				// opens without an account (see anonymous), for members of its household
				// only.
				page("POST", "/households/{id}/family-link", needs(MANAGE_CHECKPOINTS), SCOPED, 302,
						(c, p) -> Call.form("/households/" + p.householdId() + "/family-link", Map.of()), null),
				// trust-scope: the worker's button that stops the household's links.
				page("POST", "/households/{id}/family-link/revoke", needs(MANAGE_CHECKPOINTS), SCOPED, 302,
						(c, p) -> Call.form("/households/" + p.householdId() + "/family-link/revoke", Map.of()), null),
				page("GET", "/f/{token}", needs(), UNSCOPED, 200, (c, p) -> Call
					.get(URI.create(json(expect(200,
							api("POST", "/api/v1/households/" + livePass(p) + "/family-link", p.hqToken(), null)))
						.get("url")
						.asString()).getPath()), p -> "/" + p.residentId() + ".png"),
				page("GET", "/f/{token}/{residentId}.png", needs(), UNSCOPED, 200,
						(c, p) -> Call
							.image(URI
								.create(json(expect(200,
										api("POST", "/api/v1/households/" + livePass(p) + "/family-link", p.hqToken(),
												null)))
									.get("url")
									.asString())
								.getPath() + "/" + p.residentId() + ".png"),
						p -> "PNG"),
				page("GET", "/residents/{id}/pass.png", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.image("/residents/" + p.residentId() + "/pass.png?h=" + livePass(p)),
						p -> "PNG"),
				page("GET", "/testing", needs(), UNSCOPED, 200, (c, p) -> Call.get("/testing"), null),
				page("POST", "/testing/rounds", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/rounds", roundForm(p)), null),
				page("GET", "/testing/rounds/{id}", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call.get("/testing/rounds/" + round(p)), Place::residentName),
				page("POST", "/testing/rounds/{id}/reminders", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/rounds/" + round(p) + "/reminders", Map.of()), null),
				page("POST", "/testing/rounds/{id}/close", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/rounds/" + round(p) + "/close", Map.of()), null),
				page("GET", "/testing/rounds/{id}/coverage.xlsx", needs(MANAGE_TESTING), SCOPED, 200,
						(c, p) -> Call.get("/testing/rounds/" + round(p) + "/coverage.xlsx"), // the
																								// zip
																								// magic,
																								// not
																								// two
																								// letters
																								// a
																								// random
																								// token
																								// may
																								// contain
						p -> "PK\u0003\u0004"),
				page("GET", "/testing/rounds/{id}/sampling", needs(COLLECT_SAMPLES), SCOPED, 200,
						(c, p) -> Call.get("/testing/rounds/" + round(p) + "/sampling"), null),
				page("POST", "/testing/sites", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/sites",
								Map.of("nodeId", String.valueOf(p.compoundId()), "name", unique("Site"))),
						null),
				page("POST", "/testing/sites/{id}/points", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/sites/" + site(p) + "/points", Map.of("name", "1号台")), null),
				// Reporting: the dashboard page, the daily report's pages; the public
				// notices page (see anonymous).
				page("GET", "/dashboard?code={code}", needs(VIEW_DASHBOARD), SCOPED, 200,
						(c, p) -> Call.get("/dashboard?code=" + p.community().code()), null),
				page("GET", "/reports?code={code}", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/reports?code=" + streetCode(p)), null),
				page("GET", "/reports/{id}", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/reports/" + dailyReport(p)), null),
				page("POST", "/reports/{id}", needs(WRITE_DAILY_REPORTS), SCOPED, 302,
						(c, p) -> Call.form("/reports/" + dailyReport(p), Map.of("workDone", "巡查")), null),
				page("GET", "/notices/{code}/edit", needs(PUBLISH_NOTICES), SCOPED, 200,
						(c, p) -> Call.get("/notices/" + streetCode(p) + "/edit"), null),
				page("GET", "/notices/{code}", needs(), UNSCOPED, 200, (c, p) -> Call.get("/notices/" + streetCode(p)),
						null),
				// Public (see anonymous): the queue board of the sites serving a place.
				page("GET", "/sites?c={code}", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/sites?c=" + p.community().code()), null),
				page("GET", "/testing/imports", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.get("/testing/imports"), null),
				page("POST", "/testing/imports", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.multipart("/testing/imports", Map.of(), LAB_FILE), p -> "NOSUCHTUBE1"),
				page("GET", "/testing/followups", needs(MANAGE_TESTING), UNSCOPED, 200,
						(c, p) -> Call.get("/testing/followups"), null),
				page("POST", "/testing/followups/{id}/acknowledge", needs(MANAGE_TESTING), SCOPED, 302,
						(c, p) -> Call.form("/testing/followups/" + followup(p) + "/acknowledge", Map.of()), null),
				// Public (see anonymous); the language the menu link switches to is the
				// one already in use.
				page("GET", "/language", needs(), UNSCOPED, 302, (c, p) -> Call.get("/language?lang=zh_CN"), null),
				// Public (see anonymous): the returnee's form by the community's link,
				// and its district picker.
				page("GET", "/report?c={code}", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/report?c=" + p.community().code()), p -> p.community().name()),
				page("GET", "/report/districts?city={code}", needs(), UNSCOPED, 200,
						(c, p) -> new Call("GET", "/report/districts?city=2301", null, null, null, null,
								"application/json"),
						p -> "230102"),
				// Containment pages for those who review returnees and plan screening.
				// People found at doors, not in the registry: the community worker
				// registers or dismisses them.
				page("GET", "/screening/newcomers", needs(MANAGE_CONTAINMENT, VIEW_RESIDENTS), UNSCOPED, 200,
						(c, p) -> Call.get("/screening/newcomers"), null),
				page("POST", "/screening/newcomers/{id}/reveal",
						needs(MANAGE_CONTAINMENT, VIEW_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.form("/screening/newcomers/" + newcomer(p) + "/reveal", Map.of()),
						p -> this.newcomerIdNumbers.get(p.label())),
				page("POST", "/screening/newcomers/{id}/register",
						needs(MANAGE_CONTAINMENT, VIEW_RESIDENTS, EDIT_RESIDENTS), SCOPED, 302,
						(c, p) -> Call.form("/screening/newcomers/" + newcomer(p) + "/register",
								Map.of("relation", "TENANT", "status", "RENTING")),
						null),
				page("POST", "/screening/newcomers/{id}/dismiss", needs(MANAGE_CONTAINMENT, VIEW_RESIDENTS), SCOPED,
						302,
						(c, p) -> Call.form("/screening/newcomers/" + newcomer(p) + "/dismiss", Map.of("note", "已离开")),
						null),
				page("GET", "/returnees", needs(MANAGE_CONTAINMENT), UNSCOPED, 200, (c, p) -> Call.get("/returnees"),
						null),
				page("GET", "/returnees/{id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.get("/returnees/" + returneeReport(p)), Place::residentName),
				page("POST", "/returnees/{id}/reveal", needs(MANAGE_CONTAINMENT, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.form("/returnees/" + returneeReport(p) + "/reveal", Map.of()), Place::idNumber),
				page("POST", "/returnees/{id}/decision", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/returnees/" + returneeReport(p) + "/decision",
								Map.of("decision", "NO_ACTION")),
						null),
				page("GET", "/returnees/link.png?community={id}", needs(MANAGE_CONTAINMENT), SCOPED, 200,
						(c, p) -> Call.image("/returnees/link.png?community=" + p.community().id()), p -> "PNG"),
				page("POST", "/screening", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/screening",
								Map.of("name", unique("Campaign"), "nodeId", String.valueOf(p.community().id()))),
						null),
				page("POST", "/screening/{id}/assignments", needs(MANAGE_CONTAINMENT), SCOPED, 302,
						(c, p) -> Call.form("/screening/" + campaign(p) + "/assignments",
								Map.of("buildingId", String.valueOf(p.compoundId()))),
						null),
				// Workforce (排班设岗): the worker's board, roster grid and post codes; the
				// volunteer's phone pages are
				// public (see WORKFORCE_PUBLIC_PAGES): the signed link and the post's
				// code are the keys.
				page("GET", "/workforce?code={code}", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/workforce?code=" + p.community().code()), p -> volunteer(p).name()),
				page("POST", "/workforce/imports", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.multipart("/workforce/imports", Map.of("code", p.community().code()),
								volunteerFile()),
						p -> "import-report"),
				page("POST", "/workforce/volunteers/{id}/reveal", needs(MANAGE_WORKFORCE, REVEAL_PERSONAL_DATA), SCOPED,
						200, (c, p) -> Call.form("/workforce/volunteers/" + volunteer(p).id() + "/reveal", Map.of()),
						p -> volunteer(p).idNumber()),
				page("POST", "/workforce/rosters", needs(MANAGE_WORKFORCE), SCOPED, 302,
						(c, p) -> Call.form("/workforce/rosters",
								Map.of("code", p.community().code(), "from", "2027-03-01", "to", "2027-03-01",
										"seconds", "1")),
						null),
				page("GET", "/workforce/rosters/{id}", needs(MANAGE_WORKFORCE), SCOPED, 200, (c, p) -> {
					dutyPost(p);
					return Call.get("/workforce/rosters/" + dutyRoster(p));
				}, p -> dutyPost(p).name()),
				page("GET", "/workforce/posts/{id}/code", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.get("/workforce/posts/" + dutyPost(p).id() + "/code"),
						p -> "/p/" + dutyPost(p).code()),
				page("GET", "/workforce/posts/{id}/code.png", needs(MANAGE_WORKFORCE), SCOPED, 200,
						(c, p) -> Call.image("/workforce/posts/" + dutyPost(p).id() + "/code.png"), p -> "PNG"),
				page("GET", "/d/{token}", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/d/" + this.dutyLinks.token(volunteer(p).id())), p -> volunteer(p).name()),
				page("GET", "/p/{code}", needs(), UNSCOPED, 200, (c, p) -> Call.get("/p/" + dutyPost(p).code()),
						p -> dutyPost(p).name()),
				page("POST", "/p/{code}", needs(), UNSCOPED, 302,
						(c, p) -> Call.form("/p/" + dutyPost(p).code(), Map.of()), null),
				page("GET", "/join/{token}", needs(), UNSCOPED, 200,
						(c, p) -> Call.get("/join/" + this.dutyLinks.joinToken(p.community().id())),
						p -> p.community().name()),
				page("POST", "/join/{token}", needs(), UNSCOPED, 302,
						(c, p) -> Call.form("/join/" + this.dutyLinks.joinToken(p.community().id()),
								Map.of("name", unique("Applicant"), "phone",
										"139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000)),
										"skills", "采样")),
						null),
				page("POST", "/workforce/volunteers/{id}/approve", needs(MANAGE_WORKFORCE), SCOPED, 302,
						(c, p) -> Call.form("/workforce/volunteers/" + applicant(p) + "/approve", Map.of()), null),
				page("POST", "/workforce/volunteers/{id}/reject", needs(MANAGE_WORKFORCE), SCOPED, 302,
						(c, p) -> Call.form("/workforce/volunteers/" + applicant(p) + "/reject", Map.of()), null));
	}

	static Map<String, String> newAccount(Role role, Place place) {
		return Map.of("username", unique("made"), "displayName", "Made by the matrix", "password", STRONG_PASSWORD,
				"role", role.name(), "nodeId", String.valueOf(place.community().id()));
	}

	/**
	 * Passes the password policy (nbvcxz), unlike the fixture's password, which predates
	 * it.
	 */
	static final String STRONG_PASSWORD = "Quarry-Lantern-Matrix-1958";

	/**
	 * A new account of the caller's role and node, signed in: for calls that change the
	 * account itself.
	 */
	private Caller fresh(Caller caller) {
		NodeRef node = caller.role() == Role.HQ_ADMIN ? this.tree.district()
				: caller.role() == Role.STREET_ADMIN ? this.tree.streetA() : this.tree.communityA1();
		String username = this.data.account(caller.role(), node);
		return new Caller(caller.role(), username, accountId(username), node.id(), this.data.token(baseUrl(), username),
				signIn(username), caller.inside(), caller.outside());
	}

	/**
	 * A fresh checkpoint guard bound to the place's community: something any account
	 * manager there may change.
	 */
	private long guard(Place place) {
		return accountId(this.data.account(Role.CHECKPOINT_GUARD, place.community()));
	}

	/** A cadre spreadsheet of one checkpoint guard at the place's community. */
	static FilePart cadres(Place place) {
		return new FilePart("cadres.csv",
				("姓名,手机号,账号,角色,辖区代码\n矩阵干部,13800138000," + unique("cadre") + ",卡点值守," + place.community().code() + "\n")
					.getBytes(StandardCharsets.UTF_8));
	}

	static Outcome expected(Role role, Set<Permission> needs, Where where) {
		if (!SPEC.get(role).containsAll(needs)) {
			return Outcome.FORBIDDEN;
		}
		return where == Where.OUTSIDE ? Outcome.FORBIDDEN : Outcome.ALLOWED;
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
		return matrix(apiRoutes());
	}

	@TestFactory
	Stream<DynamicTest> pageMatrix() {
		return matrix(pageRoutes());
	}

	private Stream<DynamicTest> matrix(List<Route> routes) {
		List<DynamicTest> tests = new ArrayList<>();
		for (Route route : routes) {
			for (Caller caller : this.callers.values()) {
				for (Where where : route.wheres()) {
					Outcome outcome = expected(caller.role(), route.needs(), where);
					Place place = caller.at(where);
					String placeLabel = route.template().contains("divisions") ? REAL_DIVISION : place.label();
					String name = route.method() + " " + route.template() + " as " + caller.role()
							+ (where == Where.NONE ? "" : " " + where.name().toLowerCase() + " (" + placeLabel + ")")
							+ " → " + label(outcome, route.success());
					tests.add(DynamicTest.dynamicTest(name, () -> {
						Call call = route.call().apply(caller, place);
						verify(name, outcome, route, send(caller, route.page(), call),
								route.proof() == null ? null : route.proof().apply(place));
					}));
				}
			}
		}
		return tests.stream();
	}

	/**
	 * Rows the role × inside/outside grid does not express: missing records, other
	 * owners, escalation.
	 */
	@TestFactory
	Stream<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			Role role = caller.role();
			boolean viewer = SPEC.get(role).contains(VIEW_RESIDENTS);
			boolean editor = SPEC.get(role).contains(EDIT_RESIDENTS);
			boolean scanner = SPEC.get(role).contains(SCAN_AT_CHECKPOINT);
			boolean manager = SPEC.get(role).contains(MANAGE_CHECKPOINTS);
			tests.add(special("GET /api/v1/nodes/{id} of a missing node", caller, false, Outcome.NOT_FOUND, 200,
					() -> Call.get("/api/v1/nodes/" + MISSING_ID)));
			tests.add(special("GET /nodes/{id} of a missing node", caller, true, Outcome.NOT_FOUND, 200,
					() -> Call.get("/nodes/" + MISSING_ID)));
			// The permission is checked before the lookup: who may not view residents
			// learns nothing about ids.
			tests.add(special("GET /api/v1/residents/{id} of a missing resident", caller, false,
					viewer ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/residents/" + MISSING_ID)));
			tests.add(special("GET /residents/{id} of a missing resident", caller, true,
					viewer ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200, () -> Call.get("/residents/" + MISSING_ID)));
			// Uploads are private to whoever uploaded them, even within one community.
			tests.add(special("GET /imports/{id} of someone else's upload", caller, true, Outcome.NOT_FOUND, 200,
					() -> Call.get("/imports/" + upload(
							this.callers.get(Role.HQ_ADMIN) == caller ? this.otherHq : this.callers.get(Role.HQ_ADMIN),
							this.a1))));
			tests.add(
					special("POST /imports/{id} of someone else's upload", caller, true, Outcome.NOT_FOUND, 200,
							() -> Call.form("/imports/" + upload(this.callers.get(Role.HQ_ADMIN) == caller
									? this.otherHq : this.callers.get(Role.HQ_ADMIN), this.a1),
									Map.of("action", "commit"))));
			// Editing an inside resident must not move them out of the jurisdiction.
			tests.add(special("PUT /api/v1/residents/{id} moving an inside resident outside", caller, false,
					Outcome.FORBIDDEN, 200,
					() -> Call.json("PUT", "/api/v1/residents/" + caller.inside().residentId(),
							residentForm(caller.inside().residentName(), caller.inside().idNumber(),
									caller.outside().compoundId()))));
			tests.add(special("POST /residents/{id}/edit moving an inside resident outside", caller, true,
					Outcome.FORBIDDEN, 302,
					() -> Call.form("/residents/" + caller.inside().residentId() + "/edit",
							residentForm(caller.inside().residentName(), caller.inside().idNumber(),
									caller.outside().compoundId()))));
			// Nobody grants a role above their own: only HQ may open an HQ account.
			tests.add(special("POST /accounts granting HQ_ADMIN inside", caller, true,
					role == Role.HQ_ADMIN ? Outcome.ALLOWED : Outcome.FORBIDDEN, 302,
					() -> Call.form("/accounts", newAccount(Role.HQ_ADMIN, caller.inside()))));
			// Account management (issue 10, trust-accounts): an account may hand out only
			// roles whose permissions are
			// all its own (a street administrator, who may not reveal ID numbers, cannot
			// make a community worker).
			boolean accountManager = SPEC.get(role).contains(MANAGE_ACCOUNTS);
			for (Role granted : Role.values()) {
				tests.add(special("POST /api/v1/accounts granting " + granted + " inside", caller, false,
						accountManager && SPEC.get(role).containsAll(SPEC.get(granted)) ? Outcome.ALLOWED
								: Outcome.FORBIDDEN,
						201, () -> Call.json("POST", "/api/v1/accounts", newAccount(granted, caller.inside()))));
				tests.add(special("POST /api/v1/accounts/{id}/password-reset of a " + granted + " inside", caller,
						false,
						accountManager
								&& SPEC.get(role).containsAll(SPEC.get(granted)) ? Outcome.ALLOWED : Outcome.FORBIDDEN,
						200,
						() -> Call.json("POST",
								"/api/v1/accounts/" + accountId(this.data.account(granted, caller.inside().community()))
										+ "/password-reset",
								null)));
			}
			tests.add(
					special("POST /api/v1/accounts/{id}/disable of one's own account", caller, false, Outcome.FORBIDDEN,
							204, () -> Call.json("POST", "/api/v1/accounts/" + caller.accountId() + "/disable", null)));
			tests.add(special("POST /api/v1/accounts/{id}/disable of a missing account", caller, false,
					accountManager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 204,
					() -> Call.json("POST", "/api/v1/accounts/" + MISSING_ID + "/disable", null)));
			// One's own password: every role, on an account of its own made for the call
			// (the caller's must stay).
			tests.add(special("PUT /api/v1/accounts/me/password", fresh(caller), false, Outcome.ALLOWED, 204,
					() -> Call.json("PUT", "/api/v1/accounts/me/password",
							Map.of("current", TestData.PASSWORD, "password", STRONG_PASSWORD))));
			tests.add(special("POST /account/password", fresh(caller), true, Outcome.ALLOWED, 302, () -> Call.form(
					"/account/password",
					Map.of("current", TestData.PASSWORD, "password", STRONG_PASSWORD, "repeat", STRONG_PASSWORD))));
			tests.add(DynamicTest.dynamicTest("POST /api/v1/accounts/imports of a row outside as " + role + " → "
					+ (accountManager ? "200, the row rejected" : "403"), () -> {
						Reply reply = send(caller, false, Call.multipart("/api/v1/accounts/imports", Map.of(),
								cadres(caller.outside() == null ? this.elsewhere : caller.outside())));
						assertEquals(accountManager ? 200 : 403, reply.status(), reply::summary);
						if (accountManager) {
							assertTrue(reply.text().contains("\"accepted\":0"), reply::summary);
							assertTrue(reply.text().contains("\"row\":2"), reply::summary);
						}
					}));
			tests.add(special("POST /api/v1/residents placed at a missing node", caller, false,
					editor ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 201, () -> Call.json("POST", "/api/v1/residents",
							residentForm(unique("New"), newIdNumber(), MISSING_ID))));
			// Checkpoints, passes and alerts: the permission is checked before the
			// lookup, as for residents.
			tests.add(special("POST /api/v1/checkpoints/{id}/scans at a missing checkpoint", caller, false,
					scanner ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200, () -> Call.json("POST",
							"/api/v1/checkpoints/" + MISSING_ID + "/scans", scan(caller.inside().idNumber(), "36.5"))));
			tests.add(special("POST /api/v1/checkpoints/{id}/visits at a missing checkpoint", caller, false,
					scanner ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 201,
					() -> Call.json("POST", "/api/v1/checkpoints/" + MISSING_ID + "/visits", visit())));
			tests.add(special("GET /api/v1/checkpoints/{id}/counters of a missing checkpoint", caller, false,
					Outcome.NOT_FOUND, 200, () -> Call.get("/api/v1/checkpoints/" + MISSING_ID + "/counters")));
			tests.add(special("GET /checkpoints/{id}/scan of a missing checkpoint", caller, true,
					scanner ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/checkpoints/" + MISSING_ID + "/scan")));
			tests.add(special("GET /api/v1/residents/{id}/pass of a missing resident", caller, false,
					manager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/residents/" + MISSING_ID + "/pass")));
			tests.add(special("GET /residents/{id}/pass of a missing resident", caller, true,
					manager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/residents/" + MISSING_ID + "/pass")));
			tests.add(special("POST /api/v1/checkpoint-alerts/{id}/acknowledge of a missing alert", caller, false,
					manager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 204,
					() -> Call.json("POST", "/api/v1/checkpoint-alerts/" + MISSING_ID + "/acknowledge", null)));
			// Screening: open to those who knock on doors and to those who plan campaigns
			// (either permission).
			boolean screener = SPEC.get(role).contains(VISIT_HOUSEHOLDS) || SPEC.get(role).contains(MANAGE_CONTAINMENT);
			boolean containment = SPEC.get(role).contains(MANAGE_CONTAINMENT);
			Outcome screenerInside = screener ? Outcome.ALLOWED : Outcome.FORBIDDEN;
			tests.add(special("GET /api/v1/containment/campaigns", caller, false, screenerInside, 200,
					() -> Call.get("/api/v1/containment/campaigns")));
			tests.add(special("GET /screening", caller, true, screenerInside, 200, () -> Call.get("/screening")));
			for (Where where : List.of(Where.INSIDE, Where.OUTSIDE)) {
				Place place = caller.at(where);
				Outcome outcome = where == Where.INSIDE ? screenerInside : Outcome.FORBIDDEN;
				String at = " " + where.name().toLowerCase() + " (" + place.label() + ")";
				tests.add(special("GET /api/v1/containment/campaigns/{id}/progress" + at, caller, false, outcome, 200,
						() -> Call.get("/api/v1/containment/campaigns/" + campaign(place) + "/progress")));
				tests.add(special("GET /api/v1/containment/campaigns/{id}/visits" + at, caller, false, outcome, 200,
						() -> Call.get("/api/v1/containment/campaigns/" + campaign(place) + "/visits")));
				tests.add(special("POST /api/v1/containment/campaigns/{id}/visits/{householdId}" + at, caller, false,
						outcome, 201,
						() -> Call.json("POST",
								"/api/v1/containment/campaigns/" + campaign(place) + "/visits/" + place.householdId(),
								Map.of("outcome", "NOBODY_HOME", "idempotencyKey", UUID.randomUUID().toString()))));
				tests.add(special("GET /screening/{id}" + at, caller, true, outcome, 200,
						() -> Call.get("/screening/" + campaign(place))));
				tests.add(special("GET /screening/{id}/doors" + at, caller, true, outcome, 200,
						() -> Call.get("/screening/" + campaign(place) + "/doors?all=true")));
				tests.add(special("GET /screening/{id}/doors/{householdId}" + at, caller, true, outcome, 200,
						() -> Call.get("/screening/" + campaign(place) + "/doors/" + place.householdId())));
				tests.add(special("POST /screening/{id}/doors/{householdId}" + at, caller, true, outcome, 302,
						() -> Call.form("/screening/" + campaign(place) + "/doors/" + place.householdId(),
								Map.of("outcome", "NOBODY_HOME", "key", UUID.randomUUID().toString()))));
			}
			tests.add(special("GET /api/v1/containment/campaigns/{id}/progress of a missing campaign", caller, false,
					screener ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/containment/campaigns/" + MISSING_ID + "/progress")));
			tests.add(special("GET /api/v1/containment/returnee-reports/{id} of a missing report", caller, false,
					containment ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/containment/returnee-reports/" + MISSING_ID)));
			// Testing: a missing round is missing for all; the sampler's permission is
			// checked before the lookup.
			boolean sampler = SPEC.get(role).contains(COLLECT_SAMPLES);
			tests.add(special("GET /api/v1/testing/rounds/{id} of a missing round", caller, false, Outcome.NOT_FOUND,
					200, () -> Call.get("/api/v1/testing/rounds/" + MISSING_ID)));
			tests.add(special("POST /api/v1/testing/rounds/{id}/tubes/{barcode}/samples in a missing round", caller,
					false, sampler ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.json("POST", "/api/v1/testing/rounds/" + MISSING_ID + "/tubes/" + barcode() + "/samples",
							Map.of("idNumber", caller.inside().idNumber()))));
			// Sites: those who sample or run testing see them and count the queue where
			// the site serves.
			boolean tester = sampler || SPEC.get(role).contains(MANAGE_TESTING);
			tests.add(special("GET /testing/sites", caller, true, tester ? Outcome.ALLOWED : Outcome.FORBIDDEN, 200,
					() -> Call.get("/testing/sites")));
			for (Where where : List.of(Where.INSIDE, Where.OUTSIDE)) {
				Place place = caller.at(where);
				Outcome outcome = tester && where == Where.INSIDE ? Outcome.ALLOWED : Outcome.FORBIDDEN;
				String at = " " + where.name().toLowerCase() + " (" + place.label() + ")";
				tests.add(special("POST /api/v1/testing/sites/{id}/queue" + at, caller, false, outcome, 200, () -> Call
					.json("POST", "/api/v1/testing/sites/" + site(place) + "/queue", Map.of("waiting", "12"))));
				tests.add(special("POST /testing/sites/{id}/queue" + at, caller, true, outcome, 302,
						() -> Call.form("/testing/sites/" + site(place) + "/queue", Map.of("waiting", "12"))));
			}
			// Operations endpoints are for HQ only (SecurityConfiguration), bearer tokens
			// included.
			tests.add(special("GET /actuator/metrics", caller, false,
					role == Role.HQ_ADMIN ? Outcome.ALLOWED : Outcome.FORBIDDEN, 200,
					() -> Call.get("/actuator/metrics")));
		}
		// Loading the official list is an installation-wide act: allowed to the unbound
		// HQ account only.
		tests
			.add(special("POST /api/v1/divisions/imports " + REAL_DIVISION, this.installationHq, false, Outcome.ALLOWED,
					200, () -> Call.json("POST", "/api/v1/divisions/imports", Map.of("code", REAL_DIVISION))));
		tests.add(special("GET /api/v1/nodes/by-code/" + REAL_DIVISION + " after loading it", this.installationHq,
				false, Outcome.ALLOWED, 200, () -> Call.get("/api/v1/nodes/by-code/" + REAL_DIVISION)));
		tests.add(special("GET /api/v1/nodes/by-code/" + REAL_DIVISION + " (loaded, outside the district)",
				this.callers.get(Role.HQ_ADMIN), false, Outcome.FORBIDDEN, 200,
				() -> Call.get("/api/v1/nodes/by-code/" + REAL_DIVISION)));
		return tests.stream();
	}

	private DynamicTest special(String what, Caller caller, boolean page, Outcome outcome, int success,
			Supplier<Call> call) {
		String who = caller.nodeId() == 0 ? "HQ_ADMIN of the whole installation" : caller.role().name();
		String name = what + " as " + who + " → " + label(outcome, success);
		Route route = new Route(page, null, null, null, null, success, null, null);
		return DynamicTest.dynamicTest(name, () -> {
			Reply reply = send(caller, page, call.get());
			verify(name, outcome, route, reply, null);
		});
	}

	static String label(Outcome outcome, int success) {
		return switch (outcome) {
			case ALLOWED -> String.valueOf(success);
			case FORBIDDEN -> "403";
			case NOT_FOUND -> "404";
		};
	}

	private Reply send(Caller caller, boolean page, Call call) {
		if (page) {
			return caller.session().send(call, true);
		}
		return apiCall(call.bearer() != null ? call.bearer() : caller.token(), call);
	}

	static void verify(String name, Outcome outcome, Route route, Reply reply, String proof) {
		switch (outcome) {
			case ALLOWED -> {
				assertEquals(route.success(), reply.status(), () -> name + ": " + reply.summary());
				if (reply.status() / 100 == 3) {
					assertFalse(reply.redirectsToLogin(), () -> name + ": sent to the login page");
				}
				if (proof != null) {
					assertTrue(reply.text().contains(proof),
							() -> name + ": answer lacks " + proof + ": " + reply.summary());
				}
			}
			case FORBIDDEN -> assertEquals(403, reply.status(), () -> name + ": " + reply.summary());
			case NOT_FOUND -> assertEquals(404, reply.status(), () -> name + ": " + reply.summary());
		}
		if (outcome != Outcome.ALLOWED && proof != null) {
			assertFalse(reply.text().contains(proof), () -> name + ": refusal leaks " + proof);
		}
	}

	// ---------------------------------------------------------------- sign-in, tokens,
	// CSRF

	@TestFactory
	Stream<DynamicTest> tokenEndpoint() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			tests.add(DynamicTest.dynamicTest("POST /api/v1/auth/token as " + caller.role() + " → 200", () -> {
				Reply reply = raw("POST", "/api/v1/auth/token", Map.of("Content-Type", "application/json"),
						JSON.writeValueAsBytes(Map.of("username", caller.username(), "password", TestData.PASSWORD)));
				assertEquals(200, reply.status(), reply::summary);
				String token = json(reply).get("token").asString();
				assertEquals(200, apiCall(token, Call.get("/api/v1/nodes")).status());
			}));
			tests.add(DynamicTest.dynamicTest(
					"DELETE /api/v1/auth/token as " + caller.role() + " → 204, then the token is refused", () -> {
						String token = this.data.token(baseUrl(), caller.username());
						assertEquals(200, apiCall(token, Call.get("/api/v1/nodes")).status());
						assertEquals(204,
								apiCall(token, new Call("DELETE", "/api/v1/auth/token", null, null, null, null))
									.status());
						assertEquals(401, apiCall(token, Call.get("/api/v1/nodes")).status());
					}));
		}
		tests.add(DynamicTest.dynamicTest("POST /api/v1/auth/token with a wrong password → 401", () -> {
			String username = this.data.account(Role.VOLUNTEER, this.tree.communityA1());
			Reply reply = raw("POST", "/api/v1/auth/token", Map.of("Content-Type", "application/json"),
					JSON.writeValueAsBytes(Map.of("username", username, "password", "not-the-password")));
			assertEquals(401, reply.status(), reply::summary);
			assertFalse(reply.text().contains("\"token\""), reply::summary);
		}));
		return tests.stream();
	}

	// ---------------------------------------------------------------- trust-scope: tubes
	// across jurisdictions

	/**
	 * A round over street A puts A1's and A2's people in reach of the same samplers; a
	 * tube holding only A2's resident is still A2's: for an A1 account it is not found to
	 * read and forbidden to change. HQ (covering both) may do everything; roles without
	 * the sampler's permission are refused first.
	 */
	@TestFactory
	Stream<DynamicTest> tubesAcrossJurisdictions() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			boolean sampler = SPEC.get(caller.role()).contains(COLLECT_SAMPLES);
			boolean coversA2 = caller.role() == Role.HQ_ADMIN;
			Outcome read = !sampler ? Outcome.FORBIDDEN : coversA2 ? Outcome.ALLOWED : Outcome.NOT_FOUND;
			Outcome change = !sampler || !coversA2 ? Outcome.FORBIDDEN : Outcome.ALLOWED;
			String what = " of a street round's tube holding A2's resident";
			tests
				.add(special("GET /api/v1/testing/rounds/{id}/tubes/{barcode}" + what, caller, false, read, 200, () -> {
					TubeRef t = streetTube();
					return Call.get("/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode());
				}));
			tests.add(special("DELETE /api/v1/testing/rounds/{id}/tubes/{barcode}/samples/{residentId}" + what, caller,
					false, change, 200, () -> {
						TubeRef t = streetTube();
						return new Call("DELETE", "/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode()
								+ "/samples/" + this.a2.residentId(), null, null, null, null);
					}));
			tests.add(special("POST /api/v1/testing/rounds/{id}/tubes/{barcode}/close" + what, caller, false, change,
					200, () -> {
						TubeRef t = streetTube();
						return Call.json("POST",
								"/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode() + "/close", null);
					}));
			tests.add(special("POST /api/v1/testing/rounds/{id}/tubes/{barcode}/samples (A1's resident)" + what, caller,
					false, change, 200, () -> {
						TubeRef t = streetTube();
						return Call.json("POST",
								"/api/v1/testing/rounds/" + t.roundId() + "/tubes/" + t.barcode() + "/samples",
								Map.of("idNumber", this.a1.idNumber()));
					}));
		}
		return tests.stream();
	}

	/**
	 * Makes sure the place's resident holds a live pass (other rows revoke it; a revoked
	 * pass is replaced only by a worker issuing one on purpose) and answers the
	 * household's id.
	 */
	private long livePass(Place place) {
		expect(200, api("GET", "/api/v1/residents/" + place.residentId() + "/pass", place.hqToken(), null));
		return place.householdId();
	}

	/**
	 * A fresh round over street A (opened by HQ) and a tube in it holding A2's resident
	 * only.
	 */
	private TubeRef streetTube() {
		long round = json(expect(201,
				api("POST", "/api/v1/testing/rounds", this.a2.hqToken(),
						Map.of("nodeId", String.valueOf(this.tree.streetA().id()), "name", unique("Round"), "poolSize",
								"10", "startsAt", Instant.now().minusSeconds(3600).toString(), "endsAt",
								Instant.now().plusSeconds(86_400).toString()))))
			.get("id")
			.asLong();
		String barcode = barcode();
		expect(200, api("POST", "/api/v1/testing/rounds/" + round + "/tubes/" + barcode + "/samples", this.a2.hqToken(),
				Map.of("idNumber", this.a2.idNumber())));
		return new TubeRef(round, barcode);
	}

	/**
	 * The family link's page and QR (checkpoint): public too, apart from
	 * {@link #PUBLIC_PAGES} so both merge cleanly.
	 */
	static final Set<String> FAMILY_LINK_PAGES = Set.of("/f/{token}", "/f/{token}/{residentId}.png");

	/**
	 * Without credentials: the API answers 401 to reads and to any call with an unknown
	 * token; unsafe calls with no credentials at all meet the CSRF guard first (403).
	 * Pages send to the login form.
	 */
	@TestFactory
	Stream<DynamicTest> anonymous() {
		Caller hq = this.callers.get(Role.HQ_ADMIN);
		List<DynamicTest> tests = new ArrayList<>();
		for (Route route : apiRoutes()) {
			Where where = route.wheres().iterator().next();
			int expected = route.method().equals("GET") ? 401 : 403;
			tests.add(DynamicTest
				.dynamicTest(route.method() + " " + route.template() + " without credentials → " + expected, () -> {
					Reply reply = apiCall(null, route.call().apply(hq, hq.at(where)));
					assertEquals(expected, reply.status(), reply::summary);
					assertNoProof(route, hq.at(where), reply);
				}));
			tests.add(DynamicTest.dynamicTest(route.method() + " " + route.template() + " with an unknown token → 401",
					() -> {
						Reply reply = apiCall("not-a-token", route.call().apply(hq, hq.at(where)));
						assertEquals(401, reply.status(), reply::summary);
						assertNoProof(route, hq.at(where), reply);
					}));
		}
		for (Route route : pageRoutes()) {
			if (PUBLIC_PAGES.contains(route.template()) || FAMILY_LINK_PAGES.contains(route.template())
					|| WORKFORCE_PUBLIC_PAGES.contains(route.template())
					|| REPORTING_PUBLIC_PAGES.contains(route.template())) {
				continue;
			}
			Where where = route.wheres().iterator().next();
			tests.add(DynamicTest
				.dynamicTest(route.method() + " " + route.template() + " signed out → redirect to /login", () -> {
					// A signed-out visitor still has a session with a CSRF token: the
					// sign-in check must answer, not CSRF.
					Session visitor = new Session();
					visitor.refreshCsrf();
					Reply reply = visitor.send(route.call().apply(hq, hq.at(where)), true);
					assertEquals(302, reply.status(), reply::summary);
					assertTrue(reply.redirectsToLogin(), reply::summary);
				}));
		}
		// The returnee's form needs no account, but a post without the form's CSRF token
		// is refused.
		tests.add(DynamicTest.dynamicTest("GET /report signed out → 200", () -> {
			Session visitor = new Session();
			Reply reply = visitor.send(Call.get("/report?c=" + this.a1.community().code()), false);
			assertEquals(200, reply.status(), reply::summary);
			assertTrue(reply.text().contains(this.a1.community().name()), reply::summary);
		}));
		tests.add(DynamicTest.dynamicTest("POST /report signed out without a CSRF token → 403", () -> {
			Session visitor = new Session();
			Reply reply = visitor.send(Call.form("/report", Map.of("name", "x")), false);
			assertEquals(403, reply.status(), reply::summary);
		}));
		tests.add(DynamicTest.dynamicTest("GET /sites signed out → 200", () -> {
			Session visitor = new Session();
			long site = site(this.a1);
			Reply reply = visitor.send(Call.get("/sites?c=" + this.a1.community().code()), false);
			assertEquals(200, reply.status(), reply::summary);
			assertTrue(reply.text().contains("site-" + site), reply::summary);
		}));
		tests.add(DynamicTest.dynamicTest("GET /login signed out → 200", () -> {
			Session visitor = new Session();
			assertEquals(200, visitor.send(Call.get("/login"), false).status());
		}));
		// The language switch is public (the login page has it too) and goes back where
		// the visitor came from.
		tests.add(DynamicTest.dynamicTest("GET /language signed out → 302 back to the page it came from", () -> {
			Reply reply = raw("GET", "/language?lang=en",
					Map.of("Accept", "text/html", "Referer", baseUrl() + "/login?logout&lang=zh_CN"), null);
			assertEquals(302, reply.status(), reply::summary);
			URI back = URI.create(reply.location());
			assertEquals("/login?logout", back.getRawPath() + "?" + back.getRawQuery(), reply::summary);
		}));
		// Only the path of the Referer is kept: the switch cannot send anyone to another
		// site.
		for (String referer : List.of("https://elsewhere.example/phish", "//elsewhere.example/phish")) {
			tests.add(DynamicTest.dynamicTest("GET /language signed out, Referer " + referer + " → 302 on this site",
					() -> {
						Reply reply = raw("GET", "/language?lang=en", Map.of("Accept", "text/html", "Referer", referer),
								null);
						assertEquals(302, reply.status(), reply::summary);
						URI back = URI.create(reply.location());
						assertTrue(back.getHost() == null || back.getHost().equals("localhost"), reply::summary);
					}));
		}
		return tests.stream();
	}

	// ---------------------------------------------------------------- workforce fixtures
	// (排班设岗)

	/**
	 * A volunteer's shifts by signed link and a post's page by its code: public, apart so
	 * that merges stay clean.
	 */
	static final Set<String> WORKFORCE_PUBLIC_PAGES = Set.of("/d/{token}", "/p/{code}", "/join/{token}");

	/** A self-registration of the place waiting for approval; one per call. */
	private long applicant(Place place) {
		long id = newVolunteer(place).id();
		this.jdbc.sql("update volunteer set status = 'PENDING' where id = :id").param("id", id).update();
		return id;
	}

	@Autowired
	org.fangxian.workforce.internal.DutyLinks dutyLinks;

	record Enrolled(long id, String name, String idNumber) {
	}

	record DutyPost(long id, String name, String code) {
	}

	private final Map<String, Enrolled> enrolled = new java.util.concurrent.ConcurrentHashMap<>();

	private final Map<String, DutyPost> dutyPosts = new java.util.concurrent.ConcurrentHashMap<>();

	/** A list of one new person, for the import routes. */
	static FilePart volunteerFile() {
		String csv = "姓名,手机号,身份证号,所属单位,技能,每周最多班次\n" + unique("Volunteer") + ",139"
				+ String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000)) + "," + newIdNumber()
				+ ",区直机关,采样,3\n";
		return new FilePart("volunteers.csv", csv.getBytes(StandardCharsets.UTF_8));
	}

	/** The place's volunteer (one per place), written straight to the table. */
	private Enrolled volunteer(Place place) {
		return this.enrolled.computeIfAbsent(place.label(), label -> newVolunteer(place));
	}

	/** A new volunteer of the place: a team takes each person once. */
	private Enrolled newVolunteer(Place place) {
		String name = unique("Volunteer");
		String idNumber = newIdNumber();
		long id = this.jdbc.sql("""
				insert into volunteer (node_id, path, name, id_cipher, id_hash, id_masked, skills)
				values (:node, :path, :name, :cipher, :hash, :masked, '{采样}') returning id""")
			.param("node", place.community().id())
			.param("path", place.community().path())
			.param("name", name)
			.param("cipher", this.protection.encrypt(idNumber))
			.param("hash", this.protection.lookupHash("RESIDENT_ID:" + idNumber))
			.param("masked", new IdNumber(idNumber).masked())
			.query(Long.class)
			.single();
		return new Enrolled(id, name, idNumber);
	}

	/** The place's post (one per place), with one morning shift. */
	private DutyPost dutyPost(Place place) {
		return this.dutyPosts.computeIfAbsent(place.label(), label -> {
			String name = unique("Post");
			String code = UUID.randomUUID().toString().replace("-", "");
			long id = this.jdbc.sql("""
					insert into duty_post (node_id, path, name, kind, qr_token, created_by)
					values (:node, :path, :name, 'CHECKPOINT', :code, 0) returning id""")
				.param("node", place.community().id())
				.param("path", place.community().path())
				.param("name", name)
				.param("code", code)
				.query(Long.class)
				.single();
			this.jdbc.sql(
					"insert into duty_shift (post_id, seq, starts, ends, headcount) values (:post, 1, '07:00', '14:00', 1)")
				.param("post", id)
				.update();
			return new DutyPost(id, name, code);
		});
	}

	/** A finished, empty roster of the place's community. */
	private long dutyRoster(Place place) {
		return this.jdbc.sql("""
				insert into duty_roster (node_id, path, from_date, to_date, seconds, state, created_by)
				values (:node, :path, date '2027-03-01', date '2027-03-02', 1, 'DONE', 0) returning id""")
			.param("node", place.community().id())
			.param("path", place.community().path())
			.query(Long.class)
			.single();
	}

	/**
	 * Rows the grid does not express: missing records are missing only for those who may
	 * look.
	 */
	@TestFactory
	Stream<DynamicTest> workforceSpecialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			boolean manager = SPEC.get(caller.role()).contains(MANAGE_WORKFORCE);
			tests.add(special("GET /api/v1/rosters/{id} of a missing roster", caller, false,
					manager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/rosters/" + MISSING_ID)));
			tests.add(special("POST /api/v1/volunteers/{id}/reveal of a missing volunteer", caller, false,
					SPEC.get(caller.role()).containsAll(needs(MANAGE_WORKFORCE, REVEAL_PERSONAL_DATA))
							? Outcome.NOT_FOUND : Outcome.FORBIDDEN,
					200, () -> Call.json("POST", "/api/v1/volunteers/" + MISSING_ID + "/reveal", null)));
			// A team may only take people of the caller's jurisdiction.
			tests.add(special("POST /api/v1/teams at an inside node led by an outside volunteer", caller, false,
					Outcome.FORBIDDEN, 201,
					() -> Call.json("POST", "/api/v1/teams",
							Map.of("nodeId", String.valueOf(caller.inside().community().id()), "name", unique("Team"),
									"kind", "WORK_TEAM", "leaderId",
									String.valueOf(newVolunteer(caller.outside()).id())))));
		}
		// Signed out, the volunteer's link and the post's code open; a forged link shows
		// nobody.
		tests.add(DynamicTest.dynamicTest("GET /d/{token} signed out → 200 with the person's name", () -> {
			Reply reply = new Session().send(Call.get("/d/" + this.dutyLinks.token(volunteer(this.a1).id())), false);
			assertEquals(200, reply.status(), reply::summary);
			assertTrue(reply.text().contains(volunteer(this.a1).name()), reply::summary);
		}));
		tests.add(DynamicTest.dynamicTest("GET /d/{token} with a forged signature → 200 without the person", () -> {
			Reply reply = new Session().send(Call.get("/d/" + volunteer(this.a1).id() + ".AAAAAAAAAAAAAAAAAAAAAA"),
					false);
			assertEquals(200, reply.status(), reply::summary);
			assertFalse(reply.text().contains(volunteer(this.a1).name()), reply::summary);
		}));
		tests.add(DynamicTest.dynamicTest("GET /p/{code} signed out → 200", () -> {
			Reply reply = new Session().send(Call.get("/p/" + dutyPost(this.a1).code()), false);
			assertEquals(200, reply.status(), reply::summary);
			assertTrue(reply.text().contains(dutyPost(this.a1).name()), reply::summary);
		}));
		return tests.stream();
	}

	/**
	 * Pages that answer signed-out visitors as well: not in the redirect-to-login group.
	 */
	/**
	 * The public notices page (reporting): in a set of its own so the shared line merges
	 * cleanly.
	 */
	static final Set<String> REPORTING_PUBLIC_PAGES = Set.of("/notices/{code}");

	static final Set<String> PUBLIC_PAGES = Set.of("/language", "/q/{token}", "/sites?c={code}", "/report?c={code}",
			"/report/districts?city={code}");

	/**
	 * A returnee report to the place's community, written straight to the table (the
	 * public form limits submissions per address, and the matrix is one address); its ID
	 * number is the place's resident's.
	 */
	private long returneeReport(Place place) {
		return this.jdbc
			.sql("""
					insert into returnee_report (community_id, path, name, id_type, id_cipher, id_hash, id_masked, phone_cipher,
					    phone_masked, address, origin_code, origin_name, arrival_date, transport)
					values (:community, :path, :name, 'RESIDENT_ID', :cipher, :hash, :masked, :phone, '139****0000', '1栋101',
					    '230102000000', '黑龙江省 哈尔滨市 道里区', current_date, 'CAR') returning id""")
			.param("community", place.community().id())
			.param("path", place.community().path())
			.param("name", place.residentName() + "-returnee")
			.param("cipher", this.protection.encrypt(place.idNumber()))
			.param("hash", this.protection.lookupHash(UUID.randomUUID().toString()))
			.param("masked", new IdNumber(place.idNumber()).masked())
			.param("phone", this.protection.encrypt("13900000000"))
			.query(Long.class)
			.single();
	}

	private final Map<String, Long> campaigns = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * A screening campaign over the place's community (one per place), with a visit for
	 * its household.
	 */
	private long campaign(Place place) {
		return this.campaigns.computeIfAbsent(place.label(), label -> {
			long id = this.jdbc.sql("""
					insert into screening_campaign (node_id, path, name, starts_on, ends_on, created_by)
					values (:node, :path, :name, current_date, current_date + 6, :by) returning id""")
				.param("node", place.community().id())
				.param("path", place.community().path())
				.param("name", "Campaign-" + label)
				.param("by", place.accountId())
				.query(Long.class)
				.single();
			this.jdbc.sql("""
					insert into screening_visit (campaign_id, household_id, path, group_id)
					select :campaign, h.id, h.path, h.node_id from household h where h.path like :path || '%'""")
				.param("campaign", id)
				.param("path", place.community().path())
				.update();
			return id;
		});
	}

	/**
	 * The ID number of the newcomer last made at each place: what only a successful
	 * reveal shows.
	 */
	private final Map<String, String> newcomerIdNumbers = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * A fresh newcomer found at the place's household in its community's campaign (each
	 * call its own).
	 */
	private long newcomer(Place place) {
		long campaign = campaign(place);
		long visit = this.jdbc.sql("select id from screening_visit where campaign_id = :c and household_id = :h")
			.param("c", campaign)
			.param("h", place.householdId())
			.query(Long.class)
			.single();
		long attempt = this.jdbc.sql("""
				insert into screening_attempt (visit_id, idempotency_key, outcome, account_id)
				values (:visit, :key, 'AT_HOME', :by) returning id""")
			.param("visit", visit)
			.param("key", UUID.randomUUID().toString())
			.param("by", place.accountId())
			.query(Long.class)
			.single();
		String idNumber = newIdNumber();
		this.newcomerIdNumbers.put(place.label(), idNumber);
		return this.jdbc
			.sql("""
					insert into screening_newcomer (attempt_id, visit_id, path, name, id_type, id_cipher, id_hash, id_masked)
					values (:attempt, :visit, :path, :name, 'RESIDENT_ID', :cipher, :hash, :masked) returning id""")
			.param("attempt", attempt)
			.param("visit", visit)
			.param("path", place.community().path())
			.param("name", unique("Newcomer"))
			.param("cipher", this.protection.encrypt(idNumber))
			.param("hash", this.protection.lookupHash("RESIDENT_ID:" + idNumber))
			.param("masked", new IdNumber(idNumber).masked())
			.query(Long.class)
			.single();
	}

	// ---------------------------------------------------------------- tracing fixtures
	// (issue 11), one per call

	/**
	 * A case, its close contact and a non-resident added by hand (with an ID number only
	 * a reveal shows).
	 */
	record TracedCase(long caseId, long contactId, long manualId) {
	}

	/** The ID number of the hand-added contact last made at each place. */
	private final Map<String, String> tracingIdNumbers = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * Two residents per place sharing a household of their own: whose cases and contacts
	 * the tracing routes use.
	 */
	record TracingPeople(long subject, long contact) {
	}

	private final Map<String, TracingPeople> tracingPeople = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * The place's case subject, without an open case (an earlier one is discharged): a
	 * few residents per place only, so the place's resident lists stay short (they list
	 * the newest first).
	 */
	private long tracingResident(Place place, String what) {
		long subject = people(place).subject();
		this.jdbc.sql("""
				update tracing_case set status = 'DISCHARGED', transferred_to = 'matrix', transferred_at = now(),
				       discharged_at = now() where resident_id = :r and status <> 'DISCHARGED'""")
			.param("r", subject)
			.update();
		return subject;
	}

	private TracingPeople people(Place place) {
		return this.tracingPeople.computeIfAbsent(place.label(), label -> {
			long household = this.jdbc.sql("""
					insert into household (node_id, room, address) values (:node, :room, :room) returning id""")
				.param("node", place.compoundId())
				.param("room", unique("T"))
				.query(Long.class)
				.single();
			java.util.function.Supplier<Long> resident = () -> this.jdbc
				.sql("""
						insert into resident (node_id, household_id, name, id_type) values (:node, :household, :name, 'RESIDENT_ID')
						returning id""")
				.param("node", place.compoundId())
				.param("household", household)
				.param("name", unique("Traced"))
				.query(Long.class)
				.single();
			return new TracingPeople(resident.get(), resident.get());
		});
	}

	private TracedCase tracedCase(Place place) {
		long subject = tracingResident(place, "Case");
		long caseId = this.jdbc
			.sql("""
					insert into tracing_case (resident_id, path, kind, found_by, reported_at, note, created_by)
					select id, path, 'CONFIRMED', 'OTHER', now(), 'matrix-case', 0 from resident where id = :r returning id""")
			.param("r", subject)
			.query(Long.class)
			.single();
		long contact = this.jdbc
			.sql("""
					insert into tracing_contact (case_id, resident_id, path, name, category, reason, contact_on, decided_by)
					select :case, id, path, name, 'CLOSE', 'matrix-contact', current_date, 0 from resident where id = :r returning id""")
			.param("case", caseId)
			.param("r", people(place).contact())
			.query(Long.class)
			.single();
		this.jdbc.sql("update quarantine set released_at = now() where resident_id = :r and released_at is null")
			.param("r", people(place).contact())
			.update();
		String idNumber = newIdNumber();
		this.tracingIdNumbers.put(place.label(), idNumber);
		long manual = this.jdbc
			.sql("""
					insert into tracing_contact (case_id, path, name, id_cipher, id_masked, category, reason, contact_on, decided_by)
					values (:case, :path, '快递员', :cipher, :masked, 'CLOSE', 'matrix-courier', current_date, 0) returning id""")
			.param("case", caseId)
			.param("path", place.community().path())
			.param("cipher", this.protection.encrypt(idNumber))
			.param("masked", new IdNumber(idNumber).masked())
			.query(Long.class)
			.single();
		return new TracedCase(caseId, contact, manual);
	}

	/** A case already transferred to hospital, to be discharged. */
	private long transferredCase(Place place) {
		long caseId = tracedCase(place).caseId();
		this.jdbc.sql(
				"update tracing_case set status = 'TRANSFERRED', transferred_to = 'matrix', transferred_at = now() where id = :id")
			.param("id", caseId)
			.update();
		return caseId;
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
		Caller hq = this.callers.get(Role.HQ_ADMIN);
		List<DynamicTest> tests = new ArrayList<>();
		for (Route route : pageRoutes()) {
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
		for (Route route : apiRoutes()) {
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
				.send(Call.form("/nodes/" + this.a1.compoundId() + "/rename", Map.of("name", this.a1.compoundName())),
						true);
			assertEquals(302, reply.status(), reply::summary);
		}));
		return tests.stream();
	}

	// ---------------------------------------------------------------- data scoping of
	// lists

	@Test
	void communityWorkerListsOnlyResidentsOfItsCommunity() {
		Caller worker = this.callers.get(Role.COMMUNITY_WORKER);
		List<Long> ids = residentIds(worker, "");
		assertTrue(ids.contains(this.a1.residentId()), "own community's resident listed");
		assertFalse(ids.contains(this.a2.residentId()), "sibling community A2 leaked");
		assertFalse(ids.contains(this.b1.residentId()), "street B's community B1 leaked");
		assertFalse(ids.contains(this.elsewhere.residentId()), "other district leaked");
		// An exact ID-number search goes through another branch of the query: it must be
		// scoped too.
		assertEquals(List.of(this.a1.residentId()), residentIds(worker, this.a1.idNumber()));
		assertEquals(List.of(), residentIds(worker, this.b1.idNumber()));
		assertEquals(List.of(), residentIds(worker, this.a2.idNumber()));
		// And a name search.
		assertEquals(List.of(), residentIds(worker, this.b1.residentName()));
	}

	@Test
	void streetAdministratorListsBothItsCommunitiesButNotTheOtherStreet() {
		List<Long> ids = residentIds(this.callers.get(Role.STREET_ADMIN), "");
		assertTrue(ids.contains(this.a1.residentId()));
		assertTrue(ids.contains(this.a2.residentId()));
		assertFalse(ids.contains(this.b1.residentId()), "street B leaked");
		assertFalse(ids.contains(this.elsewhere.residentId()), "other district leaked");
	}

	@Test
	void hqAdministratorListsItsDistrictButNotAnother() {
		Caller hq = this.callers.get(Role.HQ_ADMIN);
		List<Long> ids = residentIds(hq, "");
		assertTrue(ids.containsAll(List.of(this.a1.residentId(), this.a2.residentId(), this.b1.residentId())));
		assertFalse(ids.contains(this.elsewhere.residentId()), "other district leaked");
		assertEquals(List.of(), residentIds(hq, this.elsewhere.idNumber()));
	}

	@Test
	void nodeListIsTheCallersOwnNode() {
		for (Caller caller : this.callers.values()) {
			JsonNode nodes = json(expect(200, apiCall(caller.token(), Call.get("/api/v1/nodes"))));
			assertEquals(1, nodes.size(), () -> caller.role() + ": " + nodes);
			assertEquals(caller.nodeId(), nodes.get(0).get("id").asLong(), caller.role().name());
		}
	}

	@Test
	void homePageOpensTheCallersOwnNode() {
		for (Caller caller : this.callers.values()) {
			Reply reply = caller.session().send(Call.get("/"), false);
			assertEquals(302, reply.status(), caller.role().name());
			// HQ and street administrators land on their node's dashboard (reporting);
			// the others on their node.
			String landing = caller.role() == Role.HQ_ADMIN || caller.role() == Role.STREET_ADMIN ? "/dashboard"
					: "/nodes/" + caller.nodeId();
			assertTrue(reply.location().endsWith(landing), () -> caller.role() + ": " + reply.location());
		}
	}

	@Test
	void residentPageListsOnlyTheCommunity() {
		Reply reply = this.callers.get(Role.COMMUNITY_WORKER).session().send(Call.get("/residents"), false);
		assertEquals(200, reply.status());
		assertTrue(reply.text().contains(this.a1.residentName()));
		assertFalse(reply.text().contains(this.a2.residentName()), "A2 leaked");
		assertFalse(reply.text().contains(this.b1.residentName()), "B1 leaked");
	}

	@Test
	void streetAdministratorSeesOnlyAccountsOfItsStreet() {
		Reply reply = this.callers.get(Role.STREET_ADMIN).session().send(Call.get("/accounts"), false);
		assertEquals(200, reply.status());
		assertTrue(reply.text().contains(this.a1.accountName()));
		assertTrue(reply.text().contains(this.a2.accountName()));
		assertFalse(reply.text().contains(this.b1.accountName()), "street B's account leaked");
		assertFalse(reply.text().contains(this.elsewhere.accountName()), "other district's account leaked");
		assertFalse(reply.text().contains(this.callers.get(Role.HQ_ADMIN).username()), "the HQ account above leaked");
	}

	@Test
	void streetExportHoldsOnlyTheStreet() throws IOException {
		Caller street = this.callers.get(Role.STREET_ADMIN);
		Reply reply = apiCall(street.token(), Call.get("/api/v1/residents/export?node=" + this.tree.streetA().id()));
		assertEquals(200, reply.status(), reply::summary);
		List<String> names = exportedNames(reply.bytes());
		assertTrue(names.contains(this.a1.residentName()), () -> "A1 missing from " + names);
		assertTrue(names.contains(this.a2.residentName()), () -> "A2 missing from " + names);
		assertFalse(names.contains(this.b1.residentName()), "street B leaked into the export");
	}

	/**
	 * The audit trail names people and what they looked at: a district HQ sees its own
	 * district's trail.
	 */
	@Test
	void auditTrailOfADistrictHoldsOnlyItsOwnAccounts() {
		Caller hq = this.callers.get(Role.HQ_ADMIN);
		Caller worker = this.callers.get(Role.COMMUNITY_WORKER);
		expect(200, apiCall(worker.token(), Call.get("/api/v1/residents/" + this.a1.residentId())));
		expect(200, apiCall(this.otherHq.token(), Call.get("/api/v1/residents/" + this.elsewhere.residentId())));

		JsonNode ownTrail = json(
				expect(200, apiCall(hq.token(), Call.get("/api/v1/audit?actor=" + worker.username()))));
		assertTrue(ownTrail.size() > 0, "the district's own worker is on its trail");
		JsonNode otherTrail = json(
				expect(200, apiCall(hq.token(), Call.get("/api/v1/audit?actor=" + this.otherHq.username()))));
		assertEquals(0, otherTrail.size(), () -> "another district's trail leaked: " + otherTrail);
		Reply page = hq.session().send(Call.get("/audit?actor=" + this.otherHq.username()), false);
		assertEquals(200, page.status());
		assertFalse(page.text().contains("RESIDENT_VIEWED"), "another district's trail leaked on the page");

		// The installation-wide administrator still sees everything.
		JsonNode all = json(expect(200,
				apiCall(this.installationHq.token(), Call.get("/api/v1/audit?actor=" + this.otherHq.username()))));
		assertTrue(all.size() > 0);
	}

	@Test
	void checkpointListHoldsOnlyTheCallersSubtree() {
		List<Long> guard = checkpointIds(this.callers.get(Role.CHECKPOINT_GUARD));
		assertTrue(guard.contains(this.a1.checkpointId()), "own community's checkpoint listed");
		assertFalse(guard.contains(this.a2.checkpointId()), "sibling community A2's checkpoint leaked");
		assertFalse(guard.contains(this.b1.checkpointId()), "street B's checkpoint leaked");
		assertFalse(guard.contains(this.elsewhere.checkpointId()), "other district's checkpoint leaked");
		List<Long> street = checkpointIds(this.callers.get(Role.STREET_ADMIN));
		assertTrue(street.containsAll(List.of(this.a1.checkpointId(), this.a2.checkpointId())));
		assertFalse(street.contains(this.b1.checkpointId()), "street B's checkpoint leaked");
		assertFalse(street.contains(this.elsewhere.checkpointId()), "other district's checkpoint leaked");

		Reply page = this.callers.get(Role.CHECKPOINT_GUARD).session().send(Call.get("/checkpoints"), false);
		assertEquals(200, page.status());
		assertTrue(page.text().contains(this.a1.checkpointName()));
		assertFalse(page.text().contains(this.a2.checkpointName()), "A2's checkpoint leaked on the page");
		assertFalse(page.text().contains(this.b1.checkpointName()), "B1's checkpoint leaked on the page");
	}

	/**
	 * Alerts name a checkpoint and a scan of a sick resident: each level sees its own
	 * subtree's only.
	 */
	@Test
	void checkpointAlertsListOnlyTheCallersSubtree() {
		List<Long> worker = alertIds(this.callers.get(Role.COMMUNITY_WORKER));
		assertTrue(worker.contains(this.a1.alertId()), "own community's alert listed");
		assertFalse(worker.contains(this.a2.alertId()), "sibling community A2's alert leaked");
		assertFalse(worker.contains(this.b1.alertId()), "street B's alert leaked");
		assertFalse(worker.contains(this.elsewhere.alertId()), "other district's alert leaked");
		List<Long> street = alertIds(this.callers.get(Role.STREET_ADMIN));
		assertTrue(street.containsAll(List.of(this.a1.alertId(), this.a2.alertId())));
		assertFalse(street.contains(this.b1.alertId()), "street B's alert leaked");
		assertFalse(street.contains(this.elsewhere.alertId()), "other district's alert leaked");
		List<Long> hq = alertIds(this.callers.get(Role.HQ_ADMIN));
		assertTrue(hq.containsAll(List.of(this.a1.alertId(), this.a2.alertId(), this.b1.alertId())));
		assertFalse(hq.contains(this.elsewhere.alertId()), "other district's alert leaked");
	}

	@Test
	void refusedAcknowledgementLeavesTheAlertOpen() {
		long alert = alert(this.a2);
		Reply reply = apiCall(this.callers.get(Role.COMMUNITY_WORKER).token(),
				Call.json("POST", "/api/v1/checkpoint-alerts/" + alert + "/acknowledge", null));
		assertEquals(403, reply.status(), reply::summary);
		assertTrue(alertIds(this.callers.get(Role.STREET_ADMIN)).contains(alert), "A1's worker closed A2's alert");
	}

	// ---------------------------------------------------------------- HTTP plumbing

	record Reply(int status, byte[] bytes, String location, List<String> cookies) {

		String text() {
			return new String(this.bytes, StandardCharsets.UTF_8);
		}

		boolean redirectsToLogin() {
			return this.location != null && URI.create(this.location).getPath().equals("/login");
		}

		String summary() {
			String text = text();
			return this.status + (this.location != null ? " → " + this.location : "") + " "
					+ (text.length() > 300 ? text.substring(0, 300) + "…" : text);
		}

	}

	private Reply raw(String method, String path, Map<String, String> headers, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.timeout(Duration.ofSeconds(60));
		headers.forEach(request::header);
		request.method(method,
				body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
		try {
			HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			return new Reply(response.statusCode(), response.body(),
					response.headers().firstValue("Location").orElse(null), response.headers().allValues("Set-Cookie"));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Reply api(String method, String path, String token, Map<String, String> body) {
		return apiCall(token,
				body == null ? new Call(method, path, null, null, null, null) : Call.json(method, path, body));
	}

	/** An API call with a bearer token (or none, when {@code token} is null). */
	private Reply apiCall(String token, Call call) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Accept", "application/json");
		if (token != null) {
			headers.put("Authorization", "Bearer " + token);
		}
		return raw(call.method(), call.path(), headers, encode(call, null, headers));
	}

	static final String BOUNDARY = "matrix-boundary-7d1f";

	/**
	 * Encodes the body as JSON, a urlencoded form or multipart, adding the CSRF field to
	 * forms when given.
	 */
	private static byte[] encode(Call call, String csrf, Map<String, String> headers) {
		if (call.json() != null || (call.form() == null && call.file() == null && !call.method().equals("GET")
				&& !call.method().equals("DELETE"))) {
			headers.put("Content-Type", "application/json");
			return JSON.writeValueAsBytes(call.json() == null ? Map.of() : call.json());
		}
		Map<String, String> fields = new LinkedHashMap<>(call.form() == null ? Map.of() : call.form());
		if (csrf != null) {
			fields.put("_csrf", csrf);
		}
		if (call.file() != null) {
			headers.put("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			fields.forEach(
					(name, value) -> out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\""
							+ name + "\"\r\n\r\n" + value + "\r\n")
						.getBytes(StandardCharsets.UTF_8)));
			out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
					+ call.file().filename() + "\"\r\nContent-Type: text/csv\r\n\r\n")
				.getBytes(StandardCharsets.UTF_8));
			out.writeBytes(call.file().content());
			out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
			return out.toByteArray();
		}
		if (call.method().equals("GET")) {
			return null;
		}
		headers.put("Content-Type", "application/x-www-form-urlencoded");
		return fields.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"))
			.getBytes(StandardCharsets.UTF_8);
	}

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*?(?:value|content)=\"([^\"]+)\"");

	/**
	 * A browser: keeps the session cookie and the CSRF token of the last page that
	 * carried one.
	 */
	final class Session {

		private final Map<String, String> cookies = new LinkedHashMap<>();

		private String csrf;

		Reply send(Call call, boolean withCsrf) {
			Map<String, String> headers = new LinkedHashMap<>();
			headers.put("Accept", call.accept() != null ? call.accept() : "text/html");
			if (!this.cookies.isEmpty()) {
				headers.put("Cookie",
						this.cookies.entrySet()
							.stream()
							.map(e -> e.getKey() + "=" + e.getValue())
							.collect(Collectors.joining("; ")));
			}
			byte[] body = encode(call, withCsrf ? this.csrf : null, headers);
			Reply reply = raw(call.method(), call.path(), headers, body);
			for (String cookie : reply.cookies()) {
				String pair = cookie.split(";", 2)[0];
				int eq = pair.indexOf('=');
				this.cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
			}
			return reply;
		}

		void refreshCsrf() {
			Reply login = send(Call.get("/login"), false);
			Matcher matcher = CSRF.matcher(login.text());
			assertTrue(matcher.find(), "no CSRF token on the login page");
			this.csrf = matcher.group(1);
		}

	}

	Session signIn(String username) {
		Session session = new Session();
		session.refreshCsrf();
		Reply reply = session.send(Call.form("/login", Map.of("username", username, "password", TestData.PASSWORD)),
				true);
		assertEquals(302, reply.status(), reply::summary);
		assertFalse(reply.location().contains("error"), () -> "sign-in failed for " + username);
		// Signing in renews the session and its CSRF token.
		session.refreshCsrf();
		return session;
	}

	private static Reply expect(int status, Reply reply) {
		if (reply.status() != status) {
			fail("expected " + status + ", got " + reply.summary());
		}
		return reply;
	}

	private static JsonNode json(Reply reply) {
		JsonNode node = JSON.readTree(reply.bytes());
		assertNotNull(node);
		return node;
	}

	/**
	 * All residents a caller finds, following pages: the fixture's residents are the
	 * oldest ones.
	 */
	private List<Long> residentIds(Caller caller, String query) {
		List<Long> ids = new ArrayList<>();
		String after = "";
		while (true) {
			JsonNode page = json(expect(200, apiCall(caller.token(), Call
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
		JsonNode list = json(expect(200, apiCall(caller.token(), Call.get("/api/v1/checkpoints"))));
		return list.values().stream().map(c -> c.get("id").asLong()).toList();
	}

	private List<Long> alertIds(Caller caller) {
		JsonNode list = json(expect(200, apiCall(caller.token(), Call.get("/api/v1/checkpoint-alerts"))));
		return list.values().stream().map(a -> a.get("id").asLong()).toList();
	}

	/** The names in column A of an exported roster. */
	private static List<String> exportedNames(byte[] xlsx) throws IOException {
		try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
			return workbook.getFirstSheet().read().stream().skip(1).map(row -> row.getCellText(0)).toList();
		}
	}

}
