package org.fangxian.platform;

import java.time.Clock;
import java.time.ZoneId;
import java.util.TimeZone;

import org.fangxian.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Days and deadlines follow China Standard Time, whatever zone the server runs in (the
 * build machines run in UTC).
 */
class TimeZoneTest extends IntegrationTest {

	@Autowired
	Clock clock;

	@Test
	void theApplicationsClockRunsInChinaStandardTimeByDefault() {
		assertThat(this.clock.getZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
	}

	@Test
	void pagesAndTheDatabaseSessionFollowTheSameZone() {
		assertThat(TimeZone.getDefault().toZoneId()).isEqualTo(this.clock.getZone());
		assertThat(this.jdbc.sql("show timezone").query(String.class).single()).isEqualTo("Asia/Shanghai");
	}

}
