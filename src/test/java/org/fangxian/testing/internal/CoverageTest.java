package org.fangxian.testing.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.fangxian.IntegrationTest;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.internal.GateScans;
import org.fangxian.notification.internal.OutboxDispatcher;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage (应检尽检) of the hand-checked fixture, reminders to exactly the missing, the
 * gate's "test overdue", and the integration contract over HTTP.
 *
 * <p>
 * After {@link #sampleTheFixture()} the A1 round stands as follows (see
 * {@link TestingFixture}): <pre>
 * r1 r2  tube 1 negative        → sampled, negative
 * r5     tube 2 open            → sampled, pending
 * r8     tube 3 invalid         → missing (re-sample)
 * r9     tube 4 positive        → sampled, positive
 * r3     bedridden, not sampled → missing (home sampling)
 * r10    not sampled, no phone  → missing
 * r4 r6  away / under 3         → exempt
 * r7     moved out              → not in the round
 * </pre> expected 7 = sampled 4 (pending 1 + negative 2 + positive 1) + missing 3; exempt
 * 2.
 */
class CoverageTest extends IntegrationTest {

	@Autowired
	Rounds rounds;

	@Autowired
	Tubes tubes;

	@Autowired
	LabResults results;

	@Autowired
	Coverage coverage;

	@Autowired
	Reminders reminders;

	@Autowired
	OutboxDispatcher dispatcher;

	@Autowired
	ResidentService residents;

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	GateScans gate;

	TestingFixture f;

	CurrentUser sampler;

	Round round;

	String p;

	@BeforeEach
	void setUp() {
		this.f = new TestingFixture(this.data, this.residents);
		this.sampler = this.data.user(Role.SAMPLER, this.f.tree.communityA1());
		this.round = this.f.openRound(this.rounds, 10);
		this.p = "C" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
	}

	private void sample(String tube, boolean close, String... people) {
		for (String person : people) {
			this.tubes.addSample(this.sampler, this.round.id(), this.p + tube, this.f.person(person));
		}
		if (close) {
			this.tubes.close(this.sampler, this.round.id(), this.p + tube);
		}
	}

	private void sampleTheFixture() {
		sample("1", true, "r1", "r2");
		sample("2", false, "r5");
		sample("3", true, "r8");
		sample("4", true, "r9");
		LabResults.Report report = this.results.importFile(this.f.worker, "lab.csv",
				(this.p + "1,阴性,\n" + this.p + "3,无效,\n" + this.p + "4,阳性,\n").getBytes(StandardCharsets.UTF_8));
		assertThat(report.accepted()).isEqualTo(3);
	}

	private static Coverage.Counts counts(Coverage.Report r) {
		return r.counts();
	}

	@Test
	void countsTheHandCheckedFixture() {
		assertThat(counts(this.coverage.report(this.f.worker, this.round.id(), null, false)))
			.as("before anyone is sampled")
			.isEqualTo(new Coverage.Counts(7, 0, 0, 0, 0, 2, 7));
		sampleTheFixture();
		Coverage.Report community = this.coverage.report(this.f.worker, this.round.id(),
				this.f.tree.communityA1().code(), true);
		assertThat(counts(community)).isEqualTo(new Coverage.Counts(7, 4, 1, 2, 1, 2, 3));
		assertThat(community.breakdown()).extracting(Coverage.Part::label)
			.containsExactly("福乐湾小区 1栋 1单元", "福乐湾小区 1栋 2单元", "福乐湾小区 2栋 1单元");
		assertThat(community.breakdown()).extracting(Coverage.Part::counts)
			.containsExactly(new Coverage.Counts(3, 2, 0, 2, 0, 1, 1), // r1 r2 negative,
																		// r3 missing, r4
																		// away
					new Coverage.Counts(2, 1, 1, 0, 0, 1, 1), // r5 pending, r8 invalid →
																// missing, r6 infant
					new Coverage.Counts(2, 1, 0, 0, 1, 0, 1)); // r9 positive, r10 missing

		Coverage.Report building = this.coverage.report(this.f.worker, this.round.id(),
				String.valueOf(this.f.building1), false);
		assertThat(counts(building)).isEqualTo(new Coverage.Counts(5, 3, 1, 2, 0, 2, 2));
		Coverage.Report unit = this.coverage.report(this.f.worker, this.round.id(), String.valueOf(this.f.unit21),
				false);
		assertThat(counts(unit)).isEqualTo(new Coverage.Counts(2, 1, 0, 0, 1, 0, 1));

		// The street sees the community's round from above; its own breakdown is by
		// community.
		Coverage.Report fromStreet = this.coverage.report(this.f.street, this.round.id(), this.f.tree.streetA().code(),
				true);
		assertThat(counts(fromStreet)).isEqualTo(new Coverage.Counts(7, 4, 1, 2, 1, 2, 3));
		assertThat(fromStreet.breakdown()).extracting(Coverage.Part::label).containsExactly("福乐湾社区");
	}

	@Test
	void anExemptPersonSampledAnywayCountsAsSampled() {
		sample("5", false, "r4");
		assertThat(counts(this.coverage.report(this.f.worker, this.round.id(), null, false)))
			.isEqualTo(new Coverage.Counts(8, 1, 1, 0, 0, 1, 7));
	}

	@Test
	void listsTheMissingForDoorKnockingWithPhonesMaskedUnlessRevealed() {
		sampleTheFixture();
		List<Coverage.MissingPerson> missing = this.coverage.missing(this.f.worker, this.round.id(), null, false);
		assertThat(missing).extracting(Coverage.MissingPerson::residentId)
			.containsExactlyInAnyOrder(this.f.id("r3"), this.f.id("r8"), this.f.id("r10"));
		Coverage.MissingPerson r3 = missing.stream()
			.filter(m -> m.residentId() == this.f.id("r3"))
			.findFirst()
			.orElseThrow();
		assertThat(r3.homeSampling()).isTrue();
		assertThat(r3.phone()).contains("****").doesNotContain(this.f.phones.get("r3"));
		assertThat(r3.address()).contains("1栋").contains("102");
		assertThat(missing.stream().filter(m -> m.residentId() == this.f.id("r8")).findFirst().orElseThrow().resample())
			.isTrue();

		List<Coverage.MissingPerson> revealed = this.coverage.missing(this.f.worker, this.round.id(), null, true);
		assertThat(revealed).extracting(Coverage.MissingPerson::phone).contains(this.f.phones.get("r3"));
		assertThat(this.jdbc
			.sql("select count(*) from audit_event where action = 'TESTING_MISSING_REVEALED' and target_id = :r")
			.param("r", String.valueOf(this.round.id()))
			.query(Long.class)
			.single()).isEqualTo(1);
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> this.coverage.missing(this.f.street, this.round.id(), null, true))
			.as("the street administrator may not reveal")
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	@Test
	void remindsExactlyTheMissingWithAPhoneOnce() {
		sampleTheFixture();
		this.jdbc.sql("update outbox_message set status = 'FAILED' where status in ('PENDING', 'SENDING')").update();
		Reminders.Outcome first = this.reminders.remindMissing(this.f.worker, this.round.id(), null);
		assertThat(first.missing()).isEqualTo(3);
		assertThat(first.queued()).isEqualTo(2);
		assertThat(first.withoutPhone()).isEqualTo(1);
		assertThat(first.batch()).isEqualTo(1);
		Reminders.Outcome again = this.reminders.remindMissing(this.f.street, this.round.id(), null);
		assertThat(again.queued()).as("the same batch never texts anyone twice").isZero();
		assertThat(again.alreadySent()).isEqualTo(2);

		this.dispatcher.dispatchDue();
		String prefix = "testing:round:" + this.round.id() + ":remind:";
		record Sent(String dedupeKey, String phoneMasked, String status, String body) {
		}
		List<Sent> sent = this.jdbc.sql(
				"select dedupe_key, phone_masked, status, body from outbox_message where dedupe_key like :p order by id")
			.param("p", prefix + "%")
			.query(Sent.class)
			.list();
		assertThat(sent).extracting(Sent::dedupeKey)
			.containsExactlyInAnyOrder(prefix + "1:resident:" + this.f.id("r3"),
					prefix + "1:resident:" + this.f.id("r8"));
		assertThat(sent).extracting(Sent::status).as("no gateway configured: logged, not sent").containsOnly("LOGGED");
		assertThat(sent.get(0).body()).startsWith("【福乐湾社区】").contains("就近采样点");
		String r3 = this.f.phones.get("r3");
		assertThat(sent).extracting(Sent::phoneMasked).contains(r3.substring(0, 3) + "****" + r3.substring(7));
	}

	@Test
	void aFamilyOnOnePhoneGetsOneText() {
		this.jdbc.sql(
				"update resident set phone_cipher = (select phone_cipher from resident where id = :a), phone_hash = (select phone_hash from resident where id = :a), phone_masked = (select phone_masked from resident where id = :a) where id = :b")
			.param("a", this.f.id("r1"))
			.param("b", this.f.id("r2"))
			.update();
		Reminders.Outcome outcome = this.reminders.remindMissing(this.f.worker, this.round.id(),
				String.valueOf(this.f.unit11));
		assertThat(outcome.missing()).isEqualTo(3); // r1, r2, r3 (r4 away)
		assertThat(outcome.queued()).isEqualTo(2); // r1 for the family of r1 and r2, r3
	}

	@Test
	void theGateTurnsBackWhoIsOverdueUntilTheRoundEnds() {
		Round past = this.rounds.open(this.f.worker, new Rounds.NewRound(this.f.tree.communityA1().id(), null, "昨日全员",
				10, Instant.now().minus(2, ChronoUnit.DAYS), Instant.now().minus(1, ChronoUnit.HOURS), false, false));
		this.tubes.addSample(this.sampler, past.id(), this.p + "9", this.f.person("r1"));
		Checkpoint east = this.checkpoints.create(this.f.worker,
				new Checkpoints.NewCheckpoint(this.f.tree.communityA1().id(), "东门", null, 1));
		CurrentUser guard = this.data.user(Role.CHECKPOINT_GUARD, this.f.tree.communityA1());
		java.util.function.Function<String, String> scan = person -> this.gate
			.scan(guard, east.id(),
					new GateScans.ScanRequest(null, this.f.idNumbers.get(person), "OUT", 36.5, null,
							UUID.randomUUID().toString(), null))
			.reason();
		assertThat(scan.apply("r2")).isEqualTo("gate.deny.testOverdue");
		assertThat(scan.apply("r1")).as("sampled").isEqualTo("gate.allow");
		assertThat(scan.apply("r4")).as("exempt").isEqualTo("gate.allow");
		this.rounds.close(this.f.worker, past.id());
		assertThat(scan.apply("r2")).as("the round is over").isEqualTo("gate.allow");
	}

	@Test
	void theContractOverHttp() throws Exception {
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.f.tree.communityA1()));
		RestClient http = RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + token)
			.build();
		JsonMapper json = JsonMapper.shared();

		JsonNode tube = json.readTree(http.post()
			.uri("/api/v1/testing/rounds/{r}/tubes/{b}/samples", this.round.id(), this.p + "1")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("idNumber", this.f.idNumbers.get("r1")))
			.retrieve()
			.body(String.class));
		assertThat(tube.get("barcode").asString()).isEqualTo(this.p + "1");
		assertThat(tube.get("people").get(0).get("name").asString()).isEqualTo("王*");

		var bad = http.post()
			.uri("/api/v1/testing/rounds/{r}/tubes/{b}/samples", this.round.id(), this.p + "1")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("idNumber", this.f.idNumbers.get("r7")))
			.exchange((req, res) -> Map.entry(res.getStatusCode(), json.readTree(res.getBody())));
		assertThat(bad.getKey()).isEqualTo(HttpStatusCode.valueOf(400));
		assertThat(bad.getValue().get("errors").get(0).get("field").asString()).isEqualTo("idNumber");
		assertThat(bad.getValue().get("code").asString()).isEqualTo("testing.sample.notInPopulation");

		var unknown = http.post()
			.uri("/api/v1/testing/rounds/{r}/tubes/{b}/close", this.round.id(), this.p + "99")
			.exchange((req, res) -> res.getStatusCode());
		assertThat(unknown).isEqualTo(HttpStatusCode.valueOf(404));
		http.post()
			.uri("/api/v1/testing/rounds/{r}/tubes/{b}/close", this.round.id(), this.p + "1")
			.retrieve()
			.toBodilessEntity();

		LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file",
				new ByteArrayResource(("tube,result,time\n" + this.p + "1,negative,2022-04-12 08:30\nZZZ,x,\n")
					.getBytes(StandardCharsets.UTF_8)) {
					@Override
					public String getFilename() {
						return "lab.csv";
					}
				});
		JsonNode report = json.readTree(http.post()
			.uri("/api/v1/testing/results/imports")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.retrieve()
			.body(String.class));
		assertThat(report.get("accepted").asInt()).isEqualTo(1);
		assertThat(report.get("unchanged").asInt()).isZero();
		assertThat(report.get("rejected").get(0).get("row").asInt()).isEqualTo(3);
		assertThat(report.get("rejected").get(0).get("reason").asString()).isEqualTo("testing.import.barcode");
		assertThat(report.get("positiveTubes").size()).isZero();

		JsonNode counts = json.readTree(http.get()
			.uri("/api/v1/testing/rounds/{r}/coverage?code={c}", this.round.id(), this.f.tree.communityA1().code())
			.retrieve()
			.body(String.class));
		assertThat(counts.get("expected").asInt()).isEqualTo(7);
		assertThat(counts.get("sampled").asInt()).isEqualTo(1);
		assertThat(counts.get("negative").asInt()).isEqualTo(1);
		assertThat(counts.get("pending").asInt()).isZero();
		assertThat(counts.get("positive").asInt()).isZero();
		assertThat(counts.get("exempt").asInt()).isEqualTo(2);
		assertThat(counts.get("missing").asInt()).isEqualTo(6);

		byte[] xlsx = this.tubesExport(http);
		try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
			var rows = workbook.getFirstSheet().read();
			assertThat(rows.get(1).getCellText(0)).isEqualTo("福乐湾社区");
			assertThat(rows.get(1).getCellText(1)).isEqualTo("7");
		}
	}

	@Test
	void theProgressHourByHourCountsRoutineSwabsBelowTheNode() throws Exception {
		sampleTheFixture();
		// Tube 1 (r1 r2, 1栋) was taken two hours ago; the rest this hour. A re-test swab
		// does not count,
		// nor does one in a tube that came back invalid (that person must be sampled
		// again).
		Instant twoHoursAgo = Instant.now().minus(2, ChronoUnit.HOURS);
		this.jdbc.sql("update sample set taken_at = :t where tube_id = (select id from tube where barcode = :b)")
			.param("t", java.sql.Timestamp.from(twoHoursAgo))
			.param("b", this.p + "1")
			.update();
		this.jdbc.sql("""
				insert into sample (round_id, tube_id, resident_id, taken_by, tube_open, retest)
				select :r, t.id, :resident, 0, false, true from tube t where t.barcode = :b""")
			.param("r", this.round.id())
			.param("resident", this.f.id("r9"))
			.param("b", this.p + "3")
			.update();
		Instant earlier = twoHoursAgo.truncatedTo(ChronoUnit.HOURS);

		List<Coverage.Hour> community = this.coverage.timeline(this.f.worker, this.round.id(), null);
		assertThat(community).hasSize(2);
		assertThat(community.get(0)).isEqualTo(new Coverage.Hour(earlier, 2, 2));
		assertThat(community.get(1).swabs()).as("r5 r9 this hour (r8's tube came back invalid)").isEqualTo(2);
		assertThat(community.get(1).cumulative()).as("the sampled of the coverage").isEqualTo(4);

		List<Coverage.Hour> building = this.coverage.timeline(this.f.worker, this.round.id(),
				String.valueOf(this.f.building1));
		assertThat(building).extracting(Coverage.Hour::cumulative).as("1栋: r1 r2, then r5").containsExactly(2L, 3L);

		try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(tubesExport(null)))) {
			var sheet = workbook.getSheets()
				.filter(s -> s.getName().equals("testing.export.progressSheet"))
				.findFirst()
				.orElseThrow();
			var rows = sheet.read();
			assertThat(rows).hasSize(3);
			assertThat(rows.get(1).getCellText(1)).isEqualTo("2");
			assertThat(rows.get(2).getCellText(2)).isEqualTo("4");
			assertThat(rows.get(2).getCellText(3)).as("4 of 7 expected").isEqualTo("57");
		}
	}

	private byte[] tubesExport(RestClient http) throws java.io.IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.coverage.export(this.f.worker, this.round.id(), null, out, key -> key);
		return out.toByteArray();
	}

}
