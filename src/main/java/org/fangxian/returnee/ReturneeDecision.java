package org.fangxian.returnee;

/** What a community worker decides for a returnee after reading the self-report. */
public enum ReturneeDecision {

	/** Nothing beyond the usual rules. */
	NO_ACTION,
	/** Home health monitoring (居家健康监测): daily temperature, may go out. */
	HEALTH_MONITORING,
	/** Home quarantine (居家隔离): stays home, door checks. */
	HOME_QUARANTINE;

	public String messageKey() {
		return "returnee.decision." + name();
	}

}
