package org.fangxian.tracing;

/**
 * Why someone is a contact candidate: what the records show they shared with the person
 * traced.
 */
public enum ReasonKind {

	/** 同住: the same household. */
	HOUSEHOLD,
	/** 同管: swabs in the same pooled tube. */
	SAME_TUBE,
	/** 同卡点: the same gate within minutes, either way through. */
	GATE_WINDOW,
	/** 同采样点: sampled at the same point within minutes (the same queue). */
	SAMPLING_WINDOW,
	/** 同单元/同楼栋: the same unit (楼组) or building. */
	SAME_UNIT,
	/** 入户: a door-to-door visit answered at the household. */
	DOOR_VISIT,
	/** 同车: the same vehicle, at a gate or a road check. */
	ROAD_CHECK,
	/** 手工添加: added by the tracer. */
	MANUAL

}
