package org.fangxian.testing;

import java.time.Instant;
import java.util.List;

/**
 * Where sealed areas are, for a round that tests "sealed units only". Containment
 * implements it; the testing module asks for it optionally, so it works (without that
 * choice) while nobody does.
 */
public interface SealedAreas {

	/**
	 * @param path materialized path of the round's node
	 * @param at the moment the round opens
	 * @return paths of the nodes sealed at that moment inside {@code path} (each a
	 * subtree)
	 */
	List<String> sealedPathsWithin(String path, Instant at);

}
