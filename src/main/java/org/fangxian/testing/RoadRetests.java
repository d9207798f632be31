package org.fangxian.testing;

import java.time.LocalDate;

import org.springframework.stereotype.Component;

/**
 * For the road checkpoint's page: how many people sent to re-test (补做核酸) at a road
 * checkpoint were actually swabbed on a day, counted from the swabs (one per person and
 * day), not from the checkpoint's RETEST decisions. The caller has checked that the
 * checkpoint is in the user's jurisdiction.
 */
@Component
public class RoadRetests {

	private final Subjects subjects;

	RoadRetests(Subjects subjects) {
		this.subjects = subjects;
	}

	/** Re-tests taken for the checkpoint on the day (in the application's time zone). */
	public long taken(long checkpointId, LocalDate day) {
		return this.subjects.roadRetestsTaken(checkpointId, day);
	}

}
