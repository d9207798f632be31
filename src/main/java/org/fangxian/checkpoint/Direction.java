package org.fangxian.checkpoint;

/** Way through the gate. */
public enum Direction {

	IN, OUT

}
