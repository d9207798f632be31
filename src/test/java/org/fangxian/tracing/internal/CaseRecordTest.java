package org.fangxian.tracing.internal;

import java.time.Instant;

import org.fangxian.shared.InvalidInput;
import org.fangxian.tracing.CaseKind;
import org.fangxian.tracing.CaseStatus;
import org.fangxian.tracing.FoundBy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A case's status moves one way only: isolated at home → transferred → discharged. */
class CaseRecordTest {

	static final Instant REPORTED = Instant.parse("2022-04-12T02:00:00Z");

	static CaseRecord fresh(Instant onset, Instant sampled) {
		return new CaseRecord(1, 2, "/1/", CaseKind.CONFIRMED, FoundBy.FEVER_CLINIC, REPORTED, onset, sampled, null,
				null, CaseStatus.HOME_ISOLATED, null, null, null);
	}

	@Test
	void movesFromHomeIsolationToTransferredToDischarged() {
		CaseRecord transferred = fresh(null, null).transfer(" 市传染病医院 ", REPORTED.plusSeconds(3600));
		assertThat(transferred.status()).isEqualTo(CaseStatus.TRANSFERRED);
		assertThat(transferred.transferredTo()).isEqualTo("市传染病医院");
		CaseRecord discharged = transferred.discharge(REPORTED.plusSeconds(14 * 86_400));
		assertThat(discharged.status()).isEqualTo(CaseStatus.DISCHARGED);
		assertThat(discharged.open()).isFalse();
	}

	@Test
	void refusesEveryOtherMove() {
		assertThatThrownBy(() -> fresh(null, null).discharge(REPORTED.plusSeconds(60))).isInstanceOfSatisfying(
				InvalidInput.class, ex -> assertThat(ex.messageKey()).isEqualTo("tracing.case.transition"));
		CaseRecord transferred = fresh(null, null).transfer("方舱医院", REPORTED.plusSeconds(60));
		assertThatThrownBy(() -> transferred.transfer("另一家医院", REPORTED.plusSeconds(120)))
			.isInstanceOf(InvalidInput.class);
		assertThatThrownBy(() -> transferred.discharge(REPORTED)).as("discharged before the transfer")
			.isInstanceOfSatisfying(InvalidInput.class,
					ex -> assertThat(ex.messageKey()).isEqualTo("tracing.case.dischargeAt"));
		assertThatThrownBy(() -> fresh(null, null).transfer(" ", REPORTED)).isInstanceOf(InvalidInput.class);
	}

	@Test
	void looksBackFromOnsetElseThePositiveSampleElseTheReport() {
		Instant onset = REPORTED.minusSeconds(86_400);
		Instant sampled = REPORTED.minusSeconds(3600);
		assertThat(fresh(onset, sampled).anchor()).isEqualTo(onset);
		assertThat(fresh(null, sampled).anchor()).isEqualTo(sampled);
		assertThat(fresh(null, null).anchor()).isEqualTo(REPORTED);
		assertThat(fresh(null, REPORTED.plusSeconds(60)).exposureEnd()).isEqualTo(REPORTED.plusSeconds(60));
	}

}
