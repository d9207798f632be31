package org.fangxian.registry;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The resident search keys (V127) read back as "district:pair", so a test says which
 * pairs it expects: a key is the district (modulo 2^21) in bits 42-62 and the pair's two
 * code points in bits 21-41 and 0-20.
 */
final class SearchKeys {

	private static final long CODE_POINT = (1L << 21) - 1;

	private SearchKeys() {
	}

	static List<String> read(Array keys) throws SQLException {
		List<String> pairs = new ArrayList<>();
		for (Long key : (Long[]) keys.getArray()) {
			pairs.add((key >>> 42) + ":" + Character.toString((int) ((key >>> 21) & CODE_POINT))
					+ Character.toString((int) (key & CODE_POINT)));
		}
		return pairs;
	}

}
