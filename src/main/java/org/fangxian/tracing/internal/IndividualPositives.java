package org.fangxian.tracing.internal;

import org.fangxian.quarantine.Quarantines;
import org.fangxian.testing.LabResultsRecorded;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * An individual (1-in-1) positive in a lab import makes a case at once, in the import's
 * transaction: the person is denied at the gate from the moment the result is recorded.
 */
@Component
class IndividualPositives {

	private final CaseBook cases;

	private final Quarantines quarantines;

	IndividualPositives(CaseBook cases, Quarantines quarantines) {
		this.cases = cases;
		this.quarantines = quarantines;
	}

	@EventListener
	void on(LabResultsRecorded recorded) {
		for (LabResultsRecorded.PersonResult result : recorded.results()) {
			if (result.positive() && result.individual()) {
				boolean inQuarantine = this.quarantines.openFor(result.residentId(), result.sampledAt()).isPresent();
				this.cases.openFromLab(result.residentId(), result.barcode(), result.sampledAt(), result.resultAt(),
						inQuarantine, recorded.accountId(), recorded.username());
			}
		}
	}

}
