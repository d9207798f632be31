package org.fangxian.task;

/** How soon a task must be done (紧急, 较急, 一般), most urgent first. */
public enum Urgency {

	URGENT, HIGH, NORMAL

}
