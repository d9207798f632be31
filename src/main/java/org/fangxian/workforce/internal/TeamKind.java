package org.fangxian.workforce.internal;

/** Kinds of team people are organised in. */
public enum TeamKind {

	/** 突击队 */
	SHOCK_TEAM,
	/** 工作队 */
	WORK_TEAM,
	/** 机动队 */
	MOBILE_BRIGADE,
	/** 临时党支部 */
	PARTY_BRANCH

}
