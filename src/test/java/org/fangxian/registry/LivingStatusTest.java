package org.fangxian.registry;

import java.util.List;

import org.fangxian.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who counts as living in an area: the SQL functions and ResidentStatus say the same, and
 * cost no index.
 */
class LivingStatusTest extends IntegrationTest {

	@Test
	void theSqlRuleIsTheJavaRule() {
		for (ResidentStatus status : ResidentStatus.values()) {
			assertThat(this.jdbc.sql("select resident_lives_here(:s)")
				.param("s", status.name())
				.query(Boolean.class)
				.single()).as("lives here: %s", status).isEqualTo(status.livesHere());
			assertThat(this.jdbc.sql("select resident_is_present(:s)")
				.param("s", status.name())
				.query(Boolean.class)
				.single()).as("present: %s", status).isEqualTo(status.present());
		}
	}

	@Test
	void thePlannerSeesThroughTheFunction() {
		List<String> plan = this.jdbc.sql("explain (verbose) select id from resident where resident_lives_here(status)")
			.query(String.class)
			.list();
		assertThat(String.join("\n", plan)).contains("'{RESIDENT,RENTING}'").doesNotContain("resident_lives_here");
	}

}
