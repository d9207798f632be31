package org.fangxian.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.fangxian.TestData.NodeRef;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.junit.jupiter.api.DynamicTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.fangxian.security.Permission.COLLECT_SAMPLES;
import static org.fangxian.security.Permission.EDIT_REGISTRY;
import static org.fangxian.security.Permission.EDIT_RESIDENTS;
import static org.fangxian.security.Permission.EXPORT_RESIDENTS;
import static org.fangxian.security.Permission.HANDLE_TASKS;
import static org.fangxian.security.Permission.IMPORT_RESIDENTS;
import static org.fangxian.security.Permission.MANAGE_ACCOUNTS;
import static org.fangxian.security.Permission.MANAGE_CHECKPOINTS;
import static org.fangxian.security.Permission.MANAGE_CONTAINMENT;
import static org.fangxian.security.Permission.MANAGE_TESTING;
import static org.fangxian.security.Permission.MANAGE_STOCK;
import static org.fangxian.security.Permission.MANAGE_TRACING;
import static org.fangxian.security.Permission.MANAGE_WORKFORCE;
import static org.fangxian.security.Permission.REVEAL_PERSONAL_DATA;
import static org.fangxian.security.Permission.SCAN_AT_CHECKPOINT;
import static org.fangxian.security.Permission.SUPERVISE_TASKS;
import static org.fangxian.security.Permission.VIEW_DASHBOARD;
import static org.fangxian.security.Permission.VIEW_REGISTRY;
import static org.fangxian.security.Permission.VIEW_RESIDENTS;
import static org.fangxian.security.Permission.VISIT_HOUSEHOLDS;
import static org.fangxian.security.Permission.WRITE_DAILY_REPORTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One module's rows of the authorization matrix ({@link AuthorizationMatrixTest}): its
 * API routes, its pages, the public pages among them, and the cases the role ×
 * inside/outside grid does not express. Each module keeps one subclass,
 * {@code org.fangxian.<module>.<Module>MatrixRows} under {@code src/test/java}, with a
 * no-argument constructor; the matrix finds every subclass on the classpath, builds ONE
 * fixture (below) and shares it with all of them, so a new module's endpoints join the
 * matrix without touching this package.
 *
 * <p>
 * The fixture: HQ_ADMIN at the district, STREET_ADMIN and TRACER at street A, the four
 * community roles at A1. "Outside" is the closest place each of them must not reach:
 * another district for HQ, street B's community B1 for the street's accounts, the sibling
 * community A2 for the community roles. Rows build what they change through the helpers
 * here (HTTP, JSON, fixture records) plus their module's own, one per call.
 */
public abstract class MatrixRows {

	// ---------------------------------------------------------------- what a module
	// brings

	/** The module's API routes; each is called by every role, inside and outside. */
	protected List<Route> apiRoutes() {
		return List.of();
	}

	/** The module's page routes; each is called by every role, inside and outside. */
	protected List<Route> pageRoutes() {
		return List.of();
	}

	/**
	 * Templates among {@link #pageRoutes()} that answer signed-out visitors: not in the
	 * redirect-to-login group.
	 */
	protected Set<String> publicPages() {
		return Set.of();
	}

	/**
	 * Rows the grid does not express: missing records, other owners, escalation,
	 * signed-out flows of the module's own.
	 */
	protected List<DynamicTest> specialCases() {
		return List.of();
	}

	/** Called once the fixture is shared: look up the beans the rows need here. */
	protected void prepare() {
	}

	/**
	 * Role.java's table, restated: a change there must be a deliberate change here too.
	 */
	protected static final Map<Role, Set<Permission>> SPEC = new EnumMap<>(Map.of(Role.HQ_ADMIN,
			EnumSet.allOf(Permission.class), Role.STREET_ADMIN,
			EnumSet.of(VIEW_REGISTRY, EDIT_REGISTRY, VIEW_RESIDENTS, EDIT_RESIDENTS, IMPORT_RESIDENTS, EXPORT_RESIDENTS,
					MANAGE_ACCOUNTS, SCAN_AT_CHECKPOINT, MANAGE_CHECKPOINTS, MANAGE_TESTING, MANAGE_CONTAINMENT,
					MANAGE_WORKFORCE, MANAGE_STOCK, VIEW_DASHBOARD, WRITE_DAILY_REPORTS, HANDLE_TASKS, SUPERVISE_TASKS),
			Role.COMMUNITY_WORKER,
			EnumSet.of(VIEW_REGISTRY, EDIT_REGISTRY, VIEW_RESIDENTS, EDIT_RESIDENTS, IMPORT_RESIDENTS, EXPORT_RESIDENTS,
					REVEAL_PERSONAL_DATA, SCAN_AT_CHECKPOINT, MANAGE_CHECKPOINTS, MANAGE_TESTING, COLLECT_SAMPLES,
					MANAGE_CONTAINMENT, VISIT_HOUSEHOLDS, MANAGE_TRACING, MANAGE_WORKFORCE, MANAGE_STOCK,
					VIEW_DASHBOARD, HANDLE_TASKS, SUPERVISE_TASKS),
			Role.CHECKPOINT_GUARD, EnumSet.of(VIEW_REGISTRY, SCAN_AT_CHECKPOINT), Role.SAMPLER,
			EnumSet.of(VIEW_REGISTRY, COLLECT_SAMPLES), Role.VOLUNTEER,
			EnumSet.of(VIEW_REGISTRY, SCAN_AT_CHECKPOINT, COLLECT_SAMPLES, VISIT_HOUSEHOLDS, HANDLE_TASKS),
			// Flow tracer (issue 11), bound to a street here: every case of the
			// street, numbers revealed to call people.
			Role.TRACER, EnumSet.of(VIEW_REGISTRY, VIEW_RESIDENTS, REVEAL_PERSONAL_DATA, MANAGE_TRACING)));

	/**
	 * A real 12-digit community code from the bundled division list (塔城市商业街社区); outside
	 * every test district.
	 */
	protected static final String REAL_DIVISION = "654201001003";

	protected static final long MISSING_ID = 9_000_000_000_000L;

	/**
	 * The proof that an answer is a PNG: its signature after the first byte. "PNG" alone
	 * turns up by chance in the random tokens of an HTML refusal (it did, once in a whole
	 * run); carriage return, line feed and 0x1A never do.
	 */
	protected static final String PNG = "PNG\r\n\u001a\n";

	protected static final JsonMapper JSON = JsonMapper.shared();

	protected static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	protected static final AtomicInteger SEQUENCE = new AtomicInteger();

	protected JdbcClient jdbc;

	protected TestData data;

	protected PersonalDataProtection protection;

	private ApplicationContext context;

	private String baseUrl;

	protected TestData.Tree tree;

	protected Place a1;

	protected Place a2;

	protected Place b1;

	/** A community in another district: outside even for the HQ administrator. */
	protected Place elsewhere;

	/**
	 * HQ administrator of the other district; also the owner of uploads nobody else may
	 * open.
	 */
	protected Caller otherHq;

	/**
	 * The first administrator's kind of account: HQ_ADMIN bound to no node, the whole
	 * installation.
	 */
	protected Caller installationHq;

	protected final Map<Role, Caller> callers = new EnumMap<>(Role.class);

	protected String baseUrl() {
		return this.baseUrl;
	}

	/** A bean of the running application, for rows that sign links the way it does. */
	protected <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** Hands the one fixture, built by {@code from}, to these rows. */
	final void share(MatrixRows from) {
		this.jdbc = from.jdbc;
		this.data = from.data;
		this.protection = from.protection;
		this.context = from.context;
		this.baseUrl = from.baseUrl;
		this.tree = from.tree;
		this.a1 = from.a1;
		this.a2 = from.a2;
		this.b1 = from.b1;
		this.elsewhere = from.elsewhere;
		this.otherHq = from.otherHq;
		this.installationHq = from.installationHq;
		this.callers.putAll(from.callers);
		prepare();
	}

	// ---------------------------------------------------------------- fixture

	public enum Where {

		INSIDE, OUTSIDE, NONE

	}

	public enum Outcome {

		ALLOWED, FORBIDDEN, NOT_FOUND

	}

	/**
	 * A community with a compound, a household with one resident, and an account bound
	 * there; a checkpoint at the community with one open (fever) alert, and the HQ token
	 * that set them up.
	 */
	public record Place(String label, NodeRef community, long compoundId, String compoundName, long residentId,
			String residentName, String idNumber, long householdId, String accountName, long accountId, byte[] roster,
			long checkpointId, String checkpointName, long alertId, String hqToken) {
	}

	public record Caller(Role role, String username, long accountId, long nodeId, String token, Session session,
			Place inside, Place outside) {

		public Place at(Where where) {
			return where == Where.OUTSIDE ? this.outside : this.inside;
		}

	}

	/** Builds the one fixture every module's rows share (AuthorizationMatrixTest). */
	final void build(JdbcClient jdbc, TestData data, String baseUrl, PersonalDataProtection protection,
			PasswordEncoder passwordEncoder, ApplicationContext context) {
		this.jdbc = jdbc;
		this.data = data;
		this.baseUrl = baseUrl;
		this.protection = protection;
		this.context = context;
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
			.param("hash", passwordEncoder.encode(TestData.PASSWORD))
			.update();
		this.installationHq = new Caller(Role.HQ_ADMIN, installationName, accountId(installationName), 0,
				this.data.token(baseUrl(), installationName), null, this.a1, null);
	}

	private Caller caller(Role role, String existing, NodeRef node, Place inside, Place outside) {
		String username = existing != null ? existing : this.data.account(role, node);
		return new Caller(role, username, accountId(username), node.id(), this.data.token(baseUrl(), username),
				signIn(username), inside, outside);
	}

	protected long accountId(String username) {
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
		String idNumber = TestIdNumbers.next();
		long residentId = json(expect(201,
				api("POST", "/api/v1/residents", hqToken, residentForm(residentName, idNumber, compoundId))))
			.get("id")
			.asLong();
		long householdId = json(expect(200, api("GET", "/api/v1/residents/" + residentId, hqToken, null)))
			.get("householdId")
			.asLong();
		String accountName = this.data.account(Role.VOLUNTEER, community);
		String roster = "姓名,身份证号码,联系电话,小区,门牌号\nRoster-" + tag + "," + TestIdNumbers.next() + ",13900139000,"
				+ compoundName + ",102\n";
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
	protected static Map<String, String> scan(String idNumber, String temperature) {
		return Map.of("idNumber", idNumber, "direction", "IN", "temperature", temperature, "idempotencyKey",
				UUID.randomUUID().toString());
	}

	/**
	 * A fresh, open alert at the place's checkpoint, raised the way the gate raises one:
	 * a fever scan.
	 */
	protected long alert(Place place) {
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

	protected static Map<String, String> residentForm(String name, String idNumber, long nodeId) {
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

	protected static String unique(String prefix) {
		return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 4);
	}

	// ---------------------------------------------------------------- routes

	/** The file part of a multipart request. */
	public record FilePart(String filename, byte[] content) {
	}

	/**
	 * One request, before encoding: a page call gets the session and CSRF token, an API
	 * call a bearer token. {@code accept}: the page call's Accept header, when not
	 * text/html.
	 */
	public record Call(String method, String path, Map<String, ?> json, Map<String, String> form, FilePart file,
			String bearer, String accept) {

		/** What a browser asks for when it loads an {@code <img>}. */
		public static final String IMAGE = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

		public Call(String method, String path, Map<String, ?> json, Map<String, String> form, FilePart file,
				String bearer) {
			this(method, path, json, form, file, bearer, null);
		}

		public static Call get(String path) {
			return new Call("GET", path, null, null, null, null);
		}

		/**
		 * A JSON body; values are strings, or lists and maps for bodies that nest (a
		 * post's shifts).
		 */
		public static Call json(String method, String path, Map<String, ?> body) {
			return new Call(method, path, body, null, null, null);
		}

		public static Call form(String path, Map<String, String> form) {
			return new Call("POST", path, null, form, null, null);
		}

		public static Call multipart(String path, Map<String, String> form, FilePart file) {
			return new Call("POST", path, null, form, file, null);
		}

		public static Call image(String path) {
			return new Call("GET", path, null, null, null, null, IMAGE);
		}

		public Call withBearer(String token) {
			return new Call(this.method, this.path, this.json, this.form, this.file, token, this.accept);
		}

	}

	/**
	 * One route. {@code needs}: the permissions it requires; {@code wheres}: INSIDE and
	 * OUTSIDE for a route naming a node or record, NONE for one that names nothing;
	 * {@code proof}: text that only a successful answer about the place contains (checked
	 * present when allowed, absent when refused).
	 */
	public record Route(boolean page, String method, String template, Set<Permission> needs, Set<Where> wheres,
			int success, BiFunction<Caller, Place, Call> call, Function<Place, String> proof) {

		public String kind() {
			return this.page ? "page" : "API";
		}

	}

	protected static final Set<Where> SCOPED = EnumSet.of(Where.INSIDE, Where.OUTSIDE);

	protected static final Set<Where> UNSCOPED = EnumSet.of(Where.NONE);

	protected static Set<Permission> needs(Permission... permissions) {
		return permissions.length == 0 ? EnumSet.noneOf(Permission.class) : EnumSet.of(permissions[0], permissions);
	}

	protected static Route api(String method, String template, Set<Permission> needs, Set<Where> wheres, int success,
			BiFunction<Caller, Place, Call> call, Function<Place, String> proof) {
		return new Route(false, method, template, needs, wheres, success, call, proof);
	}

	protected static Route page(String method, String template, Set<Permission> needs, Set<Where> wheres, int success,
			BiFunction<Caller, Place, Call> call, Function<Place, String> proof) {
		return new Route(true, method, template, needs, wheres, success, call, proof);
	}

	protected static Outcome expected(Role role, Set<Permission> needs, Where where) {
		if (!SPEC.get(role).containsAll(needs)) {
			return Outcome.FORBIDDEN;
		}
		return where == Where.OUTSIDE ? Outcome.FORBIDDEN : Outcome.ALLOWED;
	}

	protected DynamicTest special(String what, Caller caller, boolean page, Outcome outcome, int success,
			Supplier<Call> call) {
		String who = caller.nodeId() == 0 ? "HQ_ADMIN of the whole installation" : caller.role().name();
		String name = what + " as " + who + " → " + label(outcome, success);
		Route route = new Route(page, null, null, null, null, success, null, null);
		return DynamicTest.dynamicTest(name, () -> {
			Reply reply = send(caller, page, call.get());
			verify(name, outcome, route, reply, null);
		});
	}

	protected static String label(Outcome outcome, int success) {
		return switch (outcome) {
			case ALLOWED -> String.valueOf(success);
			case FORBIDDEN -> "403";
			case NOT_FOUND -> "404";
		};
	}

	protected Reply send(Caller caller, boolean page, Call call) {
		if (page) {
			return caller.session().send(call, true);
		}
		return apiCall(call.bearer() != null ? call.bearer() : caller.token(), call);
	}

	protected static void verify(String name, Outcome outcome, Route route, Reply reply, String proof) {
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

	// ---------------------------------------------------------------- HTTP plumbing

	public record Reply(int status, byte[] bytes, String location, List<String> cookies) {

		public String text() {
			return new String(this.bytes, StandardCharsets.UTF_8);
		}

		public boolean redirectsToLogin() {
			return this.location != null && URI.create(this.location).getPath().equals("/login");
		}

		public String summary() {
			String text = text();
			return this.status + (this.location != null ? " → " + this.location : "") + " "
					+ (text.length() > 300 ? text.substring(0, 300) + "…" : text);
		}

	}

	protected Reply raw(String method, String path, Map<String, String> headers, byte[] body) {
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

	protected Reply api(String method, String path, String token, Map<String, String> body) {
		return apiCall(token,
				body == null ? new Call(method, path, null, null, null, null) : Call.json(method, path, body));
	}

	/** An API call with a bearer token (or none, when {@code token} is null). */
	protected Reply apiCall(String token, Call call) {
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
	public final class Session {

		private final Map<String, String> cookies = new LinkedHashMap<>();

		private String csrf;

		public Reply send(Call call, boolean withCsrf) {
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

		public void refreshCsrf() {
			Reply login = send(Call.get("/login"), false);
			Matcher matcher = CSRF.matcher(login.text());
			assertTrue(matcher.find(), "no CSRF token on the login page");
			this.csrf = matcher.group(1);
		}

	}

	protected Session signIn(String username) {
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

	protected static Reply expect(int status, Reply reply) {
		if (reply.status() != status) {
			fail("expected " + status + ", got " + reply.summary());
		}
		return reply;
	}

	protected static JsonNode json(Reply reply) {
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

}
