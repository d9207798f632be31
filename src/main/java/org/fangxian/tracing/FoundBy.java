package org.fangxian.tracing;

/**
 * Where a case was found: community sampling, a fever clinic (发热门诊), a road check, in
 * quarantine.
 */
public enum FoundBy {

	COMMUNITY_SAMPLING, FEVER_CLINIC, ROAD_CHECK, QUARANTINE, OTHER

}
