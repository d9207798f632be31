package org.fangxian.checkpoint;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.fangxian.security.MatrixRows;
import org.fangxian.security.Role;
import org.junit.jupiter.api.DynamicTest;

import static org.fangxian.security.Permission.MANAGE_CHECKPOINTS;
import static org.fangxian.security.Permission.SCAN_AT_CHECKPOINT;

/**
 * Checkpoint's rows of the authorization matrix: checkpoints, the gate, alerts, passes
 * and family links (whose page and QR are public: the signed link is the key).
 */
class CheckpointMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(
				// Passes: issued and revoked by whoever manages checkpoints, for
				// residents of their jurisdiction.
				api("GET", "/api/v1/residents/{id}/pass", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents/" + p.residentId() + "/pass"), p -> "FXP1."),
				api("POST", "/api/v1/residents/{id}/pass/revoke", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/residents/" + p.residentId() + "/pass/revoke", null),
						null),
				api("POST", "/api/v1/households/{id}/family-link", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/households/" + p.householdId() + "/family-link", null),
						p -> "/f/" + p.householdId() + "."),
				// trust-scope: family links are revocable by whoever may send them, for
				// households inside the jurisdiction.
				api("DELETE", "/api/v1/households/{id}/family-link", needs(MANAGE_CHECKPOINTS), SCOPED, 204,
						(c, p) -> new Call("DELETE", "/api/v1/households/" + p.householdId() + "/family-link", null,
								null, null, null),
						null),
				api("GET", "/api/v1/checkpoints", needs(), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/checkpoints"),
						null),
				api("POST", "/api/v1/checkpoints", needs(MANAGE_CHECKPOINTS), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/checkpoints",
								Map.of("nodeId", String.valueOf(p.compoundId()), "name", unique("Gate"))),
						null),
				// The gate: the place's own resident at the place's checkpoint, so an
				// allowed call is an ALLOW.
				api("POST", "/api/v1/checkpoints/{id}/scans", needs(SCAN_AT_CHECKPOINT), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/checkpoints/" + p.checkpointId() + "/scans",
								scan(p.idNumber(), "36.5")),
						p -> "\"ALLOW\""),
				api("POST", "/api/v1/checkpoints/{id}/visits", needs(SCAN_AT_CHECKPOINT), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/checkpoints/" + p.checkpointId() + "/visits", visit()),
						null),
				api("GET", "/api/v1/checkpoints/{id}/counters", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/checkpoints/" + p.checkpointId() + "/counters"),
						p -> "\"turnedBack\""),
				api("GET", "/api/v1/checkpoint-alerts", needs(MANAGE_CHECKPOINTS), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/checkpoint-alerts"), null),
				// Each call acknowledges an alert of its own, raised just before.
				api("POST", "/api/v1/checkpoint-alerts/{id}/acknowledge", needs(MANAGE_CHECKPOINTS), SCOPED, 204,
						(c, p) -> Call.json("POST", "/api/v1/checkpoint-alerts/" + alert(p) + "/acknowledge", null),
						null));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(page("GET", "/checkpoints", needs(), UNSCOPED, 200, (c, p) -> Call.get("/checkpoints"), null),
				page("POST", "/checkpoints", needs(MANAGE_CHECKPOINTS), SCOPED, 302,
						(c, p) -> Call.form("/checkpoints",
								Map.of("nodeId", String.valueOf(p.compoundId()), "name", unique("Gate"))),
						null),
				page("POST", "/checkpoint-alerts/{id}/acknowledge", needs(MANAGE_CHECKPOINTS), SCOPED, 302,
						(c, p) -> Call.form("/checkpoint-alerts/" + alert(p) + "/acknowledge", Map.of()), null),
				page("GET", "/checkpoints/{id}/scan", needs(SCAN_AT_CHECKPOINT), SCOPED, 200,
						(c, p) -> Call.get("/checkpoints/" + p.checkpointId() + "/scan"), Place::checkpointName),
				page("GET", "/residents/{id}/pass", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.get("/residents/" + p.residentId() + "/pass"), p -> "FXP1."),
				page("GET", "/households/{id}/passes", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.get("/households/" + p.householdId() + "/passes"), Place::residentName),
				// The family link (家庭码): texted by whoever manages checkpoints for the
				// household; the link itself
				// opens without an account (see anonymous), for members of its household
				// only.
				page("POST", "/households/{id}/family-link", needs(MANAGE_CHECKPOINTS), SCOPED, 302,
						(c, p) -> Call.form("/households/" + p.householdId() + "/family-link", Map.of()), null),
				// trust-scope: the worker's button that stops the household's links.
				page("POST", "/households/{id}/family-link/revoke", needs(MANAGE_CHECKPOINTS), SCOPED, 302,
						(c, p) -> Call.form("/households/" + p.householdId() + "/family-link/revoke", Map.of()), null),
				page("GET", "/f/{token}", needs(), UNSCOPED, 200, (c, p) -> Call
					.get(URI.create(json(expect(200,
							api("POST", "/api/v1/households/" + livePass(p) + "/family-link", p.hqToken(), null)))
						.get("url")
						.asString()).getPath()), p -> "/" + p.residentId() + ".png"),
				page("GET", "/f/{token}/{residentId}.png", needs(), UNSCOPED, 200,
						(c, p) -> Call
							.image(URI
								.create(json(expect(200,
										api("POST", "/api/v1/households/" + livePass(p) + "/family-link", p.hqToken(),
												null)))
									.get("url")
									.asString())
								.getPath() + "/" + p.residentId() + ".png"),
						p -> PNG),
				page("GET", "/residents/{id}/pass.png", needs(MANAGE_CHECKPOINTS), SCOPED, 200,
						(c, p) -> Call.image("/residents/" + p.residentId() + "/pass.png?h=" + livePass(p)), p -> PNG));
	}

	@Override
	protected Set<String> publicPages() {
		return Set.of("/f/{token}", "/f/{token}/{residentId}.png");
	}

	@Override
	protected List<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			Role role = caller.role();
			boolean scanner = SPEC.get(role).contains(SCAN_AT_CHECKPOINT);
			boolean manager = SPEC.get(role).contains(MANAGE_CHECKPOINTS);
			// Checkpoints, passes and alerts: the permission is checked before the
			// lookup, as for residents.
			tests.add(special("POST /api/v1/checkpoints/{id}/scans at a missing checkpoint", caller, false,
					scanner ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200, () -> Call.json("POST",
							"/api/v1/checkpoints/" + MISSING_ID + "/scans", scan(caller.inside().idNumber(), "36.5"))));
			tests.add(special("POST /api/v1/checkpoints/{id}/visits at a missing checkpoint", caller, false,
					scanner ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 201,
					() -> Call.json("POST", "/api/v1/checkpoints/" + MISSING_ID + "/visits", visit())));
			tests.add(special("GET /api/v1/checkpoints/{id}/counters of a missing checkpoint", caller, false,
					Outcome.NOT_FOUND, 200, () -> Call.get("/api/v1/checkpoints/" + MISSING_ID + "/counters")));
			tests.add(special("GET /checkpoints/{id}/scan of a missing checkpoint", caller, true,
					scanner ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/checkpoints/" + MISSING_ID + "/scan")));
			tests.add(special("GET /api/v1/residents/{id}/pass of a missing resident", caller, false,
					manager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/residents/" + MISSING_ID + "/pass")));
			tests.add(special("GET /residents/{id}/pass of a missing resident", caller, true,
					manager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/residents/" + MISSING_ID + "/pass")));
			tests.add(special("POST /api/v1/checkpoint-alerts/{id}/acknowledge of a missing alert", caller, false,
					manager ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 204,
					() -> Call.json("POST", "/api/v1/checkpoint-alerts/" + MISSING_ID + "/acknowledge", null)));
		}
		return tests;
	}

	/** A delivery registered at the gate; a fresh idempotency key each time. */
	static Map<String, String> visit() {
		return Map.of("kind", "DELIVERY", "idempotencyKey", UUID.randomUUID().toString());
	}

	/**
	 * Makes sure the place's resident holds a live pass (other rows revoke it; a revoked
	 * pass is replaced only by a worker issuing one on purpose) and answers the
	 * household's id.
	 */
	private long livePass(Place place) {
		expect(200, api("GET", "/api/v1/residents/" + place.residentId() + "/pass", place.hqToken(), null));
		return place.householdId();
	}

}
