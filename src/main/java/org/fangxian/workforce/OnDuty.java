package org.fangxian.workforce;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.fangxian.shared.PhoneNumber;

/**
 * Who is on duty (在岗) by the roster in force: for modules that hand work to the people at
 * a post now (a supply request to a volunteer at a delivery post) or tell the team's
 * leader.
 */
public interface OnDuty {

	/**
	 * A person whose shift at a post covers the moment asked about.
	 *
	 * @param accountId their account, null for someone without one
	 * @param postPath the post's place in the tree
	 * @param until when the shift ends
	 */
	record Person(long volunteerId, Long accountId, String name, long postId, String postPath, Instant until) {
	}

	/**
	 * The people on duty at {@code at} on posts of {@code kind} whose node covers
	 * {@code path} (the place's community, street...), the nearest post first, then
	 * whoever stays longest.
	 */
	List<Person> at(PostKind kind, String path, Instant at);

	/**
	 * When the account holder's last shift begun before {@code at} ended, if it has and
	 * no shift of theirs covers {@code at}; empty for someone on duty or never rostered.
	 */
	Optional<Instant> offDutySince(long accountId, Instant at);

	/**
	 * Whether the account holder is an enrolled volunteer, with a page of their own
	 * shifts ({@code /workforce/mine}): where such a volunteer lands after signing in.
	 */
	boolean enrolled(long accountId);

	/** A team's leader and the place of the post their team holds. */
	record Leader(String postPath, PhoneNumber phone) {
	}

	/**
	 * The leader of the team holding the nearest post of {@code kind} that covers
	 * {@code path} (a post at the place's community before one at its street).
	 */
	Optional<Leader> leader(PostKind kind, String path);

}
