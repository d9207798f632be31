package org.fangxian.testing.internal;

import java.time.Instant;

/**
 * A testing round (一轮核酸): the population of a subtree, fixed when it opens, to be sampled
 * between {@code startsAt} and {@code endsAt} in tubes of {@code poolSize} swabs.
 */
public record Round(long id, long nodeId, String nodeName, String path, String name, int poolSize, Instant startsAt,
		Instant endsAt, boolean includeAway, boolean sealedOnly, String status, int memberCount) {

	public boolean open() {
		return "OPEN".equals(this.status);
	}

}
