package org.fangxian.checkpoint.internal;

import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.EntryRestriction;
import org.fangxian.checkpoint.Passes;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate's reads shared by several scans (issue 17, {@link ScanReads}): a batch finds
 * for each scan exactly what the scan's own read finds, whatever mix of passes, typed ID
 * numbers, directions, times and misses it holds.
 */
class ScanReadsTest extends IntegrationTest {

	@Autowired
	Passes passes;

	@Autowired
	ResidentService residents;

	@Autowired
	ResidentDirectory directory;

	@Autowired
	JdbcTemplate template;

	@Autowired
	List<EntryRestriction> restrictions;

	CurrentUser worker;

	long first;

	long second;

	String firstId;

	String secondId;

	@BeforeEach
	void setUp() {
		TestData.Tree tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		this.firstId = TestIdNumbers.next();
		this.secondId = TestIdNumbers.next();
		this.first = this.residents.create(this.worker, new ResidentService.ResidentForm("赵丽华", null, this.firstId,
				"13800000002", tree.communityA1().id(), "201", "户主", null, "常住", null));
		this.second = this.residents.create(this.worker, new ResidentService.ResidentForm("钱志强", null, this.secondId,
				"13800000003", tree.communityA1().id(), "202", "户主", null, "常住", null));
	}

	private long passOf(long resident) {
		return this.passes.signed(this.passes.current(this.worker, resident).qr()).passId();
	}

	private static ScanReads.Ask ask(Long pass, byte[] hash, Instant at, boolean out) {
		LocalDate today = LocalDate.ofInstant(at, ZoneId.of("Asia/Shanghai"));
		return new ScanReads.Ask(pass, hash, new SqlParameterValue(Types.OTHER, at.toString()),
				new SqlParameterValue(Types.OTHER, today.toString()), out);
	}

	private List<ScanReads.Ask> asks() {
		long firstPass = passOf(this.first);
		long secondPass = passOf(this.second);
		this.passes.revoke(this.worker, this.second);
		Instant now = Instant.parse("2026-12-01T15:59:59.123456Z");
		List<ScanReads.Ask> asks = new ArrayList<>();
		asks.add(ask(firstPass, null, now, true));
		asks.add(ask(secondPass, null, now.plusSeconds(1), false));
		asks.add(ask(Long.MAX_VALUE, null, now, true));
		asks.add(ask(null, this.directory.idNumberHash(this.secondId), now.minusSeconds(86_400), true));
		asks.add(ask(null, this.directory.idNumberHash(TestIdNumbers.next()), now, false));
		asks.add(ask(firstPass, null, now.plusSeconds(3_600), false));
		asks.add(ask(null, this.directory.idNumberHash(this.firstId), now, false));
		return asks;
	}

	/** Every field of a read, facts included, comparable with equals. */
	private static List<Object> seen(Optional<ScanReads.Read> read) {
		return read.map(r -> List.<Object>of(r.passFound(), String.valueOf(r.passResident()), r.passRevoked(),
				r.resident(), String.valueOf(r.identity()), Arrays.asList(r.facts())))
			.orElse(List.of("nothing"));
	}

	@Test
	void aBatchFindsWhatEachScanFindsAloneWithPerScanParameters() {
		// Facts that show each scan's own direction, time and day, and a rule without
		// facts between them: a batch that mixed them up would be seen.
		List<String> facts = Arrays.asList("case when :out then 'OUT' else 'IN' end",
				"to_char(:at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')", null, "cast(:today as text)",
				"gate_resident.path || '|' || gate_resident.id");
		try (ScanReads reads = new ScanReads(this.jdbc, this.template, this.directory, facts, 1, 64)) {
			List<ScanReads.Ask> asks = asks();
			List<Optional<ScanReads.Read>> together = reads.readAll(asks);
			assertThat(together).hasSameSizeAs(asks);
			for (int i = 0; i < asks.size(); i++) {
				assertThat(seen(together.get(i))).as("scan %d", i).isEqualTo(seen(reads.readAlone(asks.get(i))));
			}
			// And what each found is what the scan asked.
			assertThat(together.get(0).orElseThrow().facts()).containsExactly("OUT", "2026-12-01 15:59:59.123456", null,
					"2026-12-01", together.get(0).orElseThrow().resident().orElseThrow().path() + "|" + this.first);
			assertThat(together.get(5).orElseThrow().facts()[0]).isEqualTo("IN");
			assertThat(together.get(5).orElseThrow().facts()[3]).isEqualTo("2026-12-02");
			assertThat(together.get(1).orElseThrow().passRevoked()).isTrue();
			assertThat(together.get(2)).isEmpty();
			assertThat(together.get(4)).isEmpty();
			assertThat(together.get(3).orElseThrow().resident().orElseThrow().id()).isEqualTo(this.second);
			assertThat(together.get(6).orElseThrow().identity().name()).isEqualTo("赵丽华");
		}
	}

	@Test
	void theApplicationsOwnRestrictionsReadTheSameTogether() {
		List<String> facts = this.restrictions.stream()
			.map(r -> r.factSql("gate_resident.id", "gate_resident.path"))
			.toList();
		assertThat(facts).filteredOn(f -> f != null).hasSizeGreaterThanOrEqualTo(4);
		try (ScanReads reads = new ScanReads(this.jdbc, this.template, this.directory, facts, 1, 64)) {
			List<ScanReads.Ask> asks = asks();
			List<Optional<ScanReads.Read>> together = reads.readAll(asks);
			for (int i = 0; i < asks.size(); i++) {
				assertThat(seen(together.get(i))).as("scan %d", i).isEqualTo(seen(reads.readAlone(asks.get(i))));
			}
		}
	}

}
