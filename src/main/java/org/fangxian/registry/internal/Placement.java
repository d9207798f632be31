package org.fangxian.registry.internal;

/**
 * Where a resident lives: the deepest node named, the household (room) if any, and the
 * address text.
 */
public record Placement(long nodeId, Long householdId, String address) {
}
