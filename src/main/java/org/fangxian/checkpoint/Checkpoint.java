package org.fangxian.checkpoint;

/** A gate checkpoint guarding the compound or community it is attached to. */
public record Checkpoint(long id, long nodeId, String path, String name, String openingHours, int posts) {
}
