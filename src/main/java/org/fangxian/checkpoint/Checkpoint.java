package org.fangxian.checkpoint;

/**
 * A checkpoint: a {@code GATE} guards the compound or community it is attached to; a
 * {@code ROAD} checkpoint checks inbound vehicles on a district or street boundary.
 * {@code districtId} is the district its records belong to (V90, docs/scaling.md).
 */
public record Checkpoint(long id, long nodeId, String path, String name, String openingHours, int posts, String kind,
		long districtId) {

	public boolean road() {
		return "ROAD".equals(this.kind);
	}

}
