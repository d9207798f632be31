package org.fangxian.registry;

/**
 * Where a resident lives: the deepest node named, the household (room) if any, and the
 * address text.
 */
record Placement(long nodeId, Long householdId, String address) {
}
