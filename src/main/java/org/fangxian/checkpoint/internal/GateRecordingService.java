package org.fangxian.checkpoint.internal;

import org.fangxian.checkpoint.GateRecording;
import org.fangxian.security.CurrentUser;

import org.springframework.stereotype.Service;

/** {@link GateRecording} over the guard's own services. */
@Service
class GateRecordingService implements GateRecording {

	private final GateScans scans;

	private final GateVisits visits;

	GateRecordingService(GateScans scans, GateVisits visits) {
		this.scans = scans;
		this.visits = visits;
	}

	@Override
	public void scan(CurrentUser guard, long checkpointId, Passage passage) {
		this.scans.scan(guard, checkpointId, new GateScans.ScanRequest(passage.qr(), null, passage.direction().name(),
				passage.temperature(), null, passage.idempotencyKey(), passage.at()));
	}

	@Override
	public long register(CurrentUser guard, long checkpointId, Visit visit) {
		return this.visits.register(guard, checkpointId, new GateVisits.VisitRequest(visit.kind(), visit.name(), null,
				visit.purpose(), visit.visiting(), null, visit.reason(), visit.idempotencyKey(), visit.at()));
	}

}
