package org.fangxian.tracing;

/**
 * Where a case is: isolated at home (居家隔离) until transferred (转运), then cured and
 * discharged (治愈出院).
 */
public enum CaseStatus {

	HOME_ISOLATED, TRANSFERRED, DISCHARGED;

	public boolean open() {
		return this != DISCHARGED;
	}

}
