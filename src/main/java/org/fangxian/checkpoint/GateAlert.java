package org.fangxian.checkpoint;

import java.time.OffsetDateTime;

/**
 * A gate alert waiting for a community worker (a fever, a red code): where, when, and
 * whom it names (surname only) with their building.
 */
public record GateAlert(long id, long checkpointId, String checkpointName, long scanId, String kind,
		OffsetDateTime createdAt, String person, String address) {
}
