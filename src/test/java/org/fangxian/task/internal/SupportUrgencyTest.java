package org.fangxian.task.internal;

import java.util.List;

import org.fangxian.task.Urgency;
import org.fangxian.task.internal.SupportUrgency.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SupportUrgencyTest {

	@Test
	void medicineComesFirst() {
		assertThat(SupportUrgency.assess(Kind.MEDICINE, null, List.of()).urgency()).isEqualTo(Urgency.HIGH);
		assertThat(SupportUrgency.assess(Kind.GROCERIES, null, List.of()).urgency()).isEqualTo(Urgency.NORMAL);
	}

	@Test
	void medicineForSomeoneSealedInIsUrgent() {
		var assessment = SupportUrgency.assess(Kind.MEDICINE, "SEALED", List.of());
		assertThat(assessment.urgency()).isEqualTo(Urgency.URGENT);
		assertThat(assessment.reasons()).containsExactly("MEDICINE", "SEALED");
	}

	@Test
	void whoTheyAreRaisesIt() {
		assertThat(SupportUrgency.assess(Kind.GROCERIES, "QUARANTINED", List.of("ELDERLY_ALONE")).urgency())
			.isEqualTo(Urgency.HIGH);
		assertThat(SupportUrgency.assess(Kind.MEDICAL, null, List.of("PREGNANT")).urgency()).isEqualTo(Urgency.URGENT);
		assertThat(SupportUrgency.assess(Kind.GAS, null, List.of("DISABLED")).urgency()).isEqualTo(Urgency.HIGH);
		assertThat(SupportUrgency.assess(Kind.GROCERIES, null, List.of("PARTY_MEMBER")).urgency())
			.isEqualTo(Urgency.NORMAL);
	}

	@Test
	void chronicIllnessIsReadFromTheRostersWords() {
		var assessment = SupportUrgency.assess(Kind.MEDICINE, null, List.of("慢性病"));
		assertThat(assessment.urgency()).isEqualTo(Urgency.URGENT);
		assertThat(assessment.reasons()).contains("CHRONIC_ILLNESS");
	}

}
