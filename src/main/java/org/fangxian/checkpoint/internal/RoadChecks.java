package org.fangxian.checkpoint.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.RiskAreas;
import org.fangxian.audit.AuditEvent;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.SpreadsheetText;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Inbound road checks, "一卡一码一核酸": the travel card (cities of the last 14 days), the
 * health-code colour and a recent negative test, judged against the risk-area register on
 * the day of the check. The answer names the rule that fired, so a diverted driver can be
 * told why.
 */
@Service
public class RoadChecks {

	public enum Decision {

		PASS, RETEST, DIVERT, DENY

	}

	public enum HealthCode {

		GREEN, YELLOW, RED

	}

	/** One vehicle as the officer reads it off the phones and the car. */
	public record CheckRequest(String plate, String origin, List<String> itinerary, String healthCode,
			Instant lastNegativeTest, Integer passengers, String idempotencyKey) {
	}

	/**
	 * The decision, the rule that fired and, for the itinerary rule, the place that
	 * caused it.
	 */
	public record CheckResult(long checkId, Decision decision, String rule, String detail) {
	}

	/** How one road checkpoint judges. */
	public record Rules(int testValidityHours, Set<RiskAreas.Level> divertLevels) {
	}

	private final JdbcClient jdbc;

	private final Checkpoints checkpoints;

	private final RiskAreas riskAreas;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Places places;

	RoadChecks(JdbcClient jdbc, Checkpoints checkpoints, RiskAreas riskAreas, ApplicationEventPublisher events,
			Clock clock, Places places) {
		this.places = places;
		this.jdbc = jdbc;
		this.checkpoints = checkpoints;
		this.riskAreas = riskAreas;
		this.events = events;
		this.clock = clock;
	}

	public Rules rules(CurrentUser user, long checkpointId) {
		road(user, checkpointId);
		return this.jdbc.sql("select test_validity_hours, divert_levels from road_rules where checkpoint_id = :c")
			.param("c", checkpointId)
			.query((rs, i) -> new Rules(rs.getInt(1), levels((String[]) rs.getArray(2).getArray())))
			.optional()
			.orElse(new Rules(48, Set.of(RiskAreas.Level.MEDIUM, RiskAreas.Level.HIGH)));
	}

	@Transactional
	public Rules setRules(CurrentUser user, long checkpointId, Rules rules) {
		user.require(Permission.MANAGE_CHECKPOINTS);
		road(user, checkpointId);
		if (rules.testValidityHours() < 1 || rules.testValidityHours() > 336) {
			throw new InvalidInput("testValidityHours", "road.validity.range");
		}
		// Left out, the levels would be none: say so with [], rather than lose them.
		if (rules.divertLevels() == null) {
			throw new InvalidInput("divertLevels", "road.levels.required");
		}
		String[] levels = rules.divertLevels().stream().map(Enum::name).sorted().toArray(String[]::new);
		this.jdbc.sql("""
				insert into road_rules (checkpoint_id, test_validity_hours, divert_levels) values (:c, :h, :l)
				on conflict (checkpoint_id) do update set test_validity_hours = excluded.test_validity_hours,
				    divert_levels = excluded.divert_levels, updated_at = now()""")
			.param("c", checkpointId)
			.param("h", rules.testValidityHours())
			.param("l", levels)
			.update();
		this.events.publishEvent(AuditEvent.of(user, "ROAD_RULES_SET", "checkpoint", checkpointId,
				rules.testValidityHours() + "h, divert " + String.join(",", levels)));
		return rules(user, checkpointId);
	}

	@Transactional
	public CheckResult check(CurrentUser user, long checkpointId, CheckRequest request) {
		user.require(Permission.SCAN_AT_CHECKPOINT);
		road(user, checkpointId);
		String key = GateScans.requireKey(request.idempotencyKey());
		var earlier = find(checkpointId, key);
		if (earlier.isPresent()) {
			return earlier.get();
		}
		String plate;
		try {
			plate = GateScans.parsePlate(request.plate());
		}
		catch (GateScans.Denied ex) {
			throw new InvalidInput("plate", "gate.deny.plate");
		}
		if (plate == null) {
			throw new InvalidInput("plate", "gate.visit.plateRequired");
		}
		HealthCode code;
		try {
			code = HealthCode.valueOf(FullWidth.clean(request.healthCode()).toUpperCase());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("healthCode", "road.healthCode.unknown");
		}
		int passengers = request.passengers() == null ? 1 : request.passengers();
		if (passengers < 1 || passengers > 80) {
			throw new InvalidInput("passengers", "road.passengers.range");
		}
		Instant now = this.clock.instant();
		if (request.lastNegativeTest() != null && request.lastNegativeTest().isAfter(now.plusSeconds(300))) {
			throw new InvalidInput("lastNegativeTest", "road.test.future");
		}
		String origin = request.origin() == null || request.origin().isBlank() ? null
				: division(request.origin(), "origin");
		List<String> itinerary = new ArrayList<>();
		for (String city : request.itinerary() == null ? List.<String>of() : request.itinerary()) {
			itinerary.add(division(city, "itinerary"));
		}
		LocalDate today = LocalDate.ofInstant(now, this.clock.getZone());
		Rules rules = rules(user, checkpointId);
		RiskAreas.Level originLevel = origin == null ? null : this.riskAreas.levelOn(origin, today);

		Decision decision;
		String rule;
		String detail = null;
		if (code == HealthCode.RED) {
			decision = Decision.DENY;
			rule = "road.rule.redCode";
		}
		else {
			String riskyPlace = null;
			RiskAreas.Level riskyLevel = null;
			List<String> places = new ArrayList<>(itinerary);
			if (origin != null) {
				places.add(0, origin);
			}
			for (String place : places) {
				RiskAreas.Level level = this.riskAreas.levelOn(place, today);
				if (rules.divertLevels().contains(level) && (riskyLevel == null || level.compareTo(riskyLevel) > 0)) {
					riskyPlace = place;
					riskyLevel = level;
				}
			}
			if (riskyPlace != null) {
				decision = Decision.DIVERT;
				rule = "road.rule.riskArea";
				detail = riskyPlace + " " + riskyLevel;
			}
			else if (code == HealthCode.YELLOW) {
				decision = Decision.RETEST;
				rule = "road.rule.yellowCode";
			}
			else if (request.lastNegativeTest() == null
					|| request.lastNegativeTest().isBefore(now.minus(Duration.ofHours(rules.testValidityHours())))) {
				decision = Decision.RETEST;
				rule = "road.rule.testExpired";
				detail = rules.testValidityHours() + "h";
			}
			else {
				decision = Decision.PASS;
				rule = "road.rule.pass";
			}
		}
		Long id = this.jdbc
			.sql("""
					insert into road_check (checkpoint_id, idempotency_key, checked_at, plate, origin_code, origin_level, itinerary,
					    health_code, last_negative_test, passengers, decision, rule, account_id)
					values (:c, :k, :at, :plate, :origin, :originLevel, :itinerary, :code, :test, :passengers, :decision, :rule, :account)
					on conflict (checkpoint_id, idempotency_key) do nothing returning id""")
			.param("c", checkpointId)
			.param("k", key)
			.param("at", Timestamp.from(now))
			.param("plate", plate)
			.param("origin", origin)
			.param("originLevel", originLevel == null ? null : originLevel.name())
			.param("itinerary", itinerary.toArray(String[]::new))
			.param("code", code.name())
			.param("test", request.lastNegativeTest() == null ? null : Timestamp.from(request.lastNegativeTest()))
			.param("passengers", passengers)
			.param("decision", decision.name())
			.param("rule", detail == null ? rule : rule + ":" + detail)
			.param("account", user.accountId())
			.query(Long.class)
			.optional()
			.orElse(null);
		if (id == null) {
			return find(checkpointId, key).orElseThrow();
		}
		return new CheckResult(id, decision, rule, detail);
	}

	/** One day at one road checkpoint. */
	public record DailyStats(LocalDate day, long vehicles, long people, long fromMediumOrHigh, long passed,
			long retested, long diverted, long denied) {
	}

	public List<DailyStats> daily(CurrentUser user, long checkpointId, LocalDate from, LocalDate to) {
		road(user, checkpointId);
		ZoneId zone = this.clock.getZone();
		return this.jdbc
			.sql("""
					select (checked_at at time zone :zone)::date as day, count(*) as vehicles, sum(passengers) as people,
					       count(*) filter (where origin_level in ('MEDIUM', 'HIGH') or rule like 'road.rule.riskArea%') as risky,
					       count(*) filter (where decision = 'PASS'), count(*) filter (where decision = 'RETEST'),
					       count(*) filter (where decision = 'DIVERT'), count(*) filter (where decision = 'DENY')
					from road_check where checkpoint_id = :c and checked_at >= :from and checked_at < :to
					group by 1 order by 1""")
			.param("zone", zone.getId())
			.param("c", checkpointId)
			.param("from", Timestamp.from(from.atStartOfDay(zone).toInstant()))
			.param("to", Timestamp.from(to.plusDays(1).atStartOfDay(zone).toInstant()))
			.query((rs, i) -> new DailyStats(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3),
					rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)))
			.list();
	}

	/** The daily statistics as XLSX, for the street's report to HQ. */
	public void exportDaily(CurrentUser user, long checkpointId, LocalDate from, LocalDate to, OutputStream out)
			throws IOException {
		Checkpoint checkpoint = road(user, checkpointId);
		List<DailyStats> days = daily(user, checkpointId, from, to);
		Workbook workbook = new Workbook(out, "Fangxian", "1.0");
		Worksheet sheet = workbook.newWorksheet(SpreadsheetText.sheetName(checkpoint.name(), "road"));
		String[] headers = { "日期", "检查车辆", "检查人数", "来自中高风险地区", "放行", "补做核酸", "引导分流", "劝返/拒绝" };
		for (int c = 0; c < headers.length; c++) {
			sheet.value(0, c, headers[c]);
			sheet.style(0, c).bold().set();
		}
		int r = 1;
		for (DailyStats d : days) {
			sheet.value(r, 0, d.day().toString());
			sheet.value(r, 1, d.vehicles());
			sheet.value(r, 2, d.people());
			sheet.value(r, 3, d.fromMediumOrHigh());
			sheet.value(r, 4, d.passed());
			sheet.value(r, 5, d.retested());
			sheet.value(r, 6, d.diverted());
			sheet.value(r, 7, d.denied());
			r++;
		}
		workbook.finish();
	}

	private java.util.Optional<CheckResult> find(long checkpointId, String key) {
		return this.jdbc
			.sql("select id, decision, rule from road_check where checkpoint_id = :c and idempotency_key = :k")
			.param("c", checkpointId)
			.param("k", key)
			.query((rs, i) -> {
				String stored = rs.getString(3);
				int colon = stored.indexOf(':');
				return new CheckResult(rs.getLong(1), Decision.valueOf(rs.getString(2)),
						colon < 0 ? stored : stored.substring(0, colon),
						colon < 0 ? null : stored.substring(colon + 1));
			})
			.optional();
	}

	private Checkpoint road(CurrentUser user, long checkpointId) {
		Checkpoint checkpoint = this.checkpoints.get(user, checkpointId);
		if (!checkpoint.road()) {
			throw new InvalidInput("checkpointId", "road.notRoad");
		}
		return checkpoint;
	}

	/** A place name (哈尔滨, 北京朝阳区) or a division code, as its 12-digit code. */
	private String division(String raw, String field) {
		return this.places.resolve(raw, field);
	}

	private static Set<RiskAreas.Level> levels(String[] names) {
		Set<RiskAreas.Level> levels = java.util.EnumSet.noneOf(RiskAreas.Level.class);
		for (String name : names) {
			levels.add(RiskAreas.Level.valueOf(name));
		}
		return levels;
	}

}
