package org.fangxian.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.fangxian.security.CurrentUser;
import org.fangxian.testing.internal.LabResults;
import org.fangxian.testing.internal.Rounds;
import org.fangxian.testing.internal.Tubes;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Mass testing as another module drives it (the lived-in demo, a script): open a round,
 * put swabs in tubes, seal them, record the lab's results; the same rules and checks as
 * the sampling page and the lab import.
 */
@Component
public class Sampling {

	private final Rounds rounds;

	private final Tubes tubes;

	private final LabResults results;

	Sampling(Rounds rounds, Tubes tubes, LabResults results) {
		this.rounds = rounds;
		this.tubes = tubes;
		this.results = results;
	}

	/** Opens a round over the subtree of {@code nodeId}; @return its id */
	@Transactional
	public long openRound(CurrentUser user, long nodeId, String name, int poolSize, Instant startsAt, Instant endsAt) {
		return this.rounds.open(user, new Rounds.NewRound(nodeId, null, name, poolSize, startsAt, endsAt, false, false))
			.id();
	}

	/** A swab of the resident whose pass reads {@code qr}, into the tube. */
	@Transactional
	public void sample(CurrentUser user, long roundId, String barcode, String qr, Instant takenAt) {
		this.tubes.addSample(user, roundId, barcode,
				new Tubes.SampleRequest(qr, null, null, UUID.randomUUID().toString(), takenAt));
	}

	/** Seals the tube (封管) for the lab. */
	@Transactional
	public void closeTube(CurrentUser user, long roundId, String barcode) {
		this.tubes.close(user, roundId, barcode);
	}

	/**
	 * Records results as the lab's CSV has them ({@code barcode,阴性,} per line);
	 * @return the tubes accepted
	 */
	@Transactional
	public int recordResults(CurrentUser user, String csv) {
		return this.results.importFile(user, "results.csv", csv.getBytes(StandardCharsets.UTF_8)).accepted();
	}

}
