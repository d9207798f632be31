package org.fangxian.shared;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The shared kernel of jurisdiction: a node's subtree path ({@code /1/7/42/}) names the
 * node and every ancestor by id, top first. Modules copy it into their rows and filter by
 * it; reading the ids from it spares them registry's table.
 */
public final class SubtreePath {

	private SubtreePath() {
	}

	/** The ids on the path, from the top of the tree down to the node itself. */
	public static List<Long> ids(String path) {
		return Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).map(Long::valueOf).toList();
	}

	/**
	 * The parent node's path ({@code /1/7/} of {@code /1/7/42/}); none for a top node.
	 */
	public static Optional<String> parent(String path) {
		int end = path.lastIndexOf('/', path.length() - 2);
		return end <= 0 ? Optional.empty() : Optional.of(path.substring(0, end + 1));
	}

}
