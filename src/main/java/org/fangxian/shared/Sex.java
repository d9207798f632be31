package org.fangxian.shared;

/**
 * Sex as recorded on identity documents; the resident ID number only distinguishes these
 * two.
 */
public enum Sex {

	MALE, FEMALE

}
