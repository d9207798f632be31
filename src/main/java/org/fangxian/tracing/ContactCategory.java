package org.fangxian.tracing;

/**
 * The tracer's decision on a person: close contact (密接), secondary contact (次密接) or not a
 * contact.
 */
public enum ContactCategory {

	CLOSE, SECONDARY, NONE

}
