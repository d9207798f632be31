package org.fangxian.tracing;

import java.util.Optional;

/** What other modules may ask of tracing. */
public interface Cases {

	/** The open (not discharged) case of a resident, if any. */
	Optional<Long> openCaseOf(long residentId);

}
