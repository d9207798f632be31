package org.fangxian.registry;

import java.util.Optional;

/** Levels of the jurisdiction tree, top down. */
public enum NodeKind {

	PROVINCE, CITY, DISTRICT, STREET, COMMUNITY, COMPOUND, BUILDING, UNIT;

	/** The kind of node created beneath this one; units hold households, not nodes. */
	public Optional<NodeKind> childKind() {
		return ordinal() + 1 < values().length ? Optional.of(values()[ordinal() + 1]) : Optional.empty();
	}

	/** Official levels carry a 12-digit statistical division code. */
	public boolean official() {
		return ordinal() <= COMMUNITY.ordinal();
	}

	/**
	 * Levels under which households may be registered (a compound without buildings is
	 * common in villages).
	 */
	public boolean holdsHouseholds() {
		return ordinal() >= COMMUNITY.ordinal();
	}

	/**
	 * A district or a level above it: its subtree is whole districts, so the districts'
	 * ids alone say what lies under it.
	 */
	public boolean wholeDistricts() {
		return ordinal() <= DISTRICT.ordinal();
	}

	public String messageKey() {
		return "node.kind." + name();
	}

}
