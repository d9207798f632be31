package org.fangxian.tracing;

/** 确诊病例 or 无症状感染者. */
public enum CaseKind {

	CONFIRMED, ASYMPTOMATIC

}
