package org.fangxian.seal.internal;

import java.time.Instant;
import java.util.List;

import org.fangxian.testing.SealedAreas;
import org.fangxian.seal.Seals;

import org.springframework.stereotype.Component;

/**
 * Lets a testing round take "sealed areas only" as its population: what is sealed when it
 * opens.
 */
@Component
class SealedAreasForTesting implements SealedAreas {

	private final Seals seals;

	SealedAreasForTesting(Seals seals) {
		this.seals = seals;
	}

	@Override
	public List<String> sealedPathsWithin(String path, Instant at) {
		return this.seals.pathsWithin(path, at);
	}

}
