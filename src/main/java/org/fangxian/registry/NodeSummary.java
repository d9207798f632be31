package org.fangxian.registry;

/**
 * A node with the number of households and living, present-or-away residents in its
 * subtree.
 */
public record NodeSummary(Node node, long households, long residents) {
}
