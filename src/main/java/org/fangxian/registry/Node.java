package org.fangxian.registry;

/**
 * One node of the jurisdiction tree.
 *
 * @param code the 12-digit official division code for district, street and community;
 * null below
 * @param path ids from the root, "/1/7/42/": a node's subtree is every path that starts
 * with it
 */
public record Node(long id, Long parentId, NodeKind kind, String code, String name, String path) {

	/**
	 * The first path after this subtree: descendants are
	 * {@code path ~>=~ path() and path ~<~
	 * subtreeEnd()} (byte order, '0' follows '/'). Unlike {@code like :prefix}, a
	 * prepared statement's generic plan can use the prefix index for this range.
	 */
	public String subtreeEnd() {
		return subtreeEnd(this.path);
	}

	/** {@link #subtreeEnd()} of a subtree known by its path only. */
	public static String subtreeEnd(String path) {
		return path.substring(0, path.length() - 1) + '0';
	}

	public int depth() {
		return (int) this.path.chars().filter(c -> c == '/').count() - 1;
	}

}
