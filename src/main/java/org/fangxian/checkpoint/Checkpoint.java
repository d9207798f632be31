package org.fangxian.checkpoint;

/**
 * A checkpoint: a {@code GATE} guards the compound or community it is attached to; a
 * {@code ROAD} checkpoint checks inbound vehicles on a district or street boundary.
 */
public record Checkpoint(long id, long nodeId, String path, String name, String openingHours, int posts, String kind) {

	public boolean road() {
		return "ROAD".equals(this.kind);
	}

}
