package org.fangxian.registry.internal;

/**
 * Where a resident lives: the deepest node named, with its path and district, the
 * household (room) if any, and the address text.
 *
 * @param districtId the node's district when known (a roster import knows its
 * community's); null lets the database fill it in, with the path (V128)
 */
public record Placement(long nodeId, String nodePath, Long districtId, Long householdId, String address) {
}
