package org.fangxian.registry;

import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fangxian.TestIdNumbers;
import org.fangxian.security.MatrixRows;
import org.fangxian.security.Role;
import org.junit.jupiter.api.DynamicTest;

import static org.fangxian.security.Permission.EDIT_REGISTRY;
import static org.fangxian.security.Permission.EDIT_RESIDENTS;
import static org.fangxian.security.Permission.EXPORT_RESIDENTS;
import static org.fangxian.security.Permission.IMPORT_DIVISIONS;
import static org.fangxian.security.Permission.IMPORT_RESIDENTS;
import static org.fangxian.security.Permission.REVEAL_PERSONAL_DATA;
import static org.fangxian.security.Permission.VIEW_RESIDENTS;

/**
 * Registry's rows of the authorization matrix: the division tree, residents, roster
 * imports and the official division list.
 */
class RegistryMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(api("POST", "/api/v1/id-numbers/check", needs(), UNSCOPED, 200,
				(c, p) -> Call.json("POST", "/api/v1/id-numbers/check", Map.of("number", TestIdNumbers.next())), null),
				api("GET", "/api/v1/nodes", needs(), UNSCOPED, 200, (c, p) -> Call.get("/api/v1/nodes"), null),
				api("GET", "/api/v1/nodes/{id}", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/nodes/" + p.community().id()), p -> p.compoundName()),
				api("GET", "/api/v1/nodes/by-code/{code}", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/nodes/by-code/" + p.community().code()), p -> p.community().path()),
				api("POST", "/api/v1/nodes/{id}/children", needs(EDIT_REGISTRY), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/nodes/" + p.compoundId() + "/children",
								Map.of("name", unique("Building"))),
						null),
				api("PATCH", "/api/v1/nodes/{id}", needs(EDIT_REGISTRY), SCOPED, 200,
						(c, p) -> Call.json("PATCH", "/api/v1/nodes/" + p.compoundId(),
								Map.of("name", p.compoundName())),
						p -> p.community().path()),
				api("GET", "/api/v1/nodes/{id}/establishments", needs(), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/nodes/" + p.compoundId() + "/establishments"), null),
				api("POST", "/api/v1/nodes/{id}/establishments", needs(EDIT_REGISTRY), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/nodes/" + p.compoundId() + "/establishments",
								Map.of("kind", "SHOP", "name", unique("Shop"))),
						null),
				api("POST", "/api/v1/divisions/imports", needs(IMPORT_DIVISIONS), EnumSet.of(Where.OUTSIDE), 200,
						(c, p) -> Call.json("POST", "/api/v1/divisions/imports", Map.of("code", REAL_DIVISION)), null),
				api("GET", "/api/v1/residents", needs(VIEW_RESIDENTS), UNSCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents?size=100"), null),
				api("GET", "/api/v1/residents?node={id}", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents?size=100&node=" + p.community().id()),
						Place::residentName),
				api("GET", "/api/v1/residents/{id}", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents/" + p.residentId()), Place::residentName),
				api("POST", "/api/v1/residents/{id}/reveal", needs(VIEW_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/residents/" + p.residentId() + "/reveal", null),
						Place::idNumber),
				api("GET", "/api/v1/households/{id}/residents", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/households/" + p.householdId() + "/residents"),
						Place::residentName),
				api("POST", "/api/v1/residents", needs(EDIT_RESIDENTS), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/residents",
								residentForm(unique("New"), TestIdNumbers.next(), p.compoundId())),
						null),
				api("PUT", "/api/v1/residents/{id}", needs(EDIT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.json("PUT", "/api/v1/residents/" + p.residentId(),
								residentForm(p.residentName(), p.idNumber(), p.compoundId())),
						null),
				api("POST", "/api/v1/residents/imports", needs(IMPORT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.multipart("/api/v1/residents/imports",
								Map.of("communityCode", p.community().code(), "dryRun", "true"),
								new FilePart("roster.csv", p.roster())),
						null),
				api("GET", "/api/v1/residents/export?node={id}", needs(EXPORT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents/export?node=" + p.community().id()), null),
				api("GET", "/api/v1/residents/export?node={id}&unmasked=true",
						needs(EXPORT_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/residents/export?unmasked=true&node=" + p.community().id()), null));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(page("GET", "/", needs(), UNSCOPED, 302, (c, p) -> Call.get("/"), null),
				page("GET", "/nodes/{id}", needs(), SCOPED, 200, (c, p) -> Call.get("/nodes/" + p.community().id()),
						Place::compoundName),
				page("POST", "/nodes/{id}/children", needs(EDIT_REGISTRY), SCOPED, 302,
						(c, p) -> Call.form("/nodes/" + p.compoundId() + "/children",
								Map.of("name", unique("Building"))),
						null),
				page("POST", "/nodes/{id}/establishments", needs(EDIT_REGISTRY), SCOPED, 302,
						(c, p) -> Call.form("/nodes/" + p.compoundId() + "/establishments",
								Map.of("kind", "SHOP", "name", unique("Shop"))),
						null),
				page("POST", "/nodes/{id}/rename", needs(EDIT_REGISTRY), SCOPED, 302,
						(c, p) -> Call.form("/nodes/" + p.compoundId() + "/rename", Map.of("name", p.compoundName())),
						null),
				page("GET", "/divisions", needs(IMPORT_DIVISIONS), UNSCOPED, 200, (c, p) -> Call.get("/divisions"),
						null),
				page("POST", "/divisions", needs(IMPORT_DIVISIONS), EnumSet.of(Where.OUTSIDE), 200,
						(c, p) -> Call.form("/divisions", Map.of("code", REAL_DIVISION)), null),
				page("GET", "/residents", needs(VIEW_RESIDENTS), UNSCOPED, 200, (c, p) -> Call.get("/residents"), null),
				page("GET", "/residents?node={id}", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/residents?node=" + p.community().id()), Place::residentName),
				page("GET", "/residents/{id}", needs(VIEW_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/residents/" + p.residentId()), Place::residentName),
				page("POST", "/residents/{id}/reveal", needs(VIEW_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.form("/residents/" + p.residentId() + "/reveal", Map.of()), Place::idNumber),
				page("GET", "/residents/new?node={id}", needs(EDIT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/residents/new?node=" + p.compoundId()), Place::compoundName),
				page("POST", "/residents/new", needs(EDIT_RESIDENTS), SCOPED, 302,
						(c, p) -> Call.form("/residents/new",
								residentForm(unique("New"), TestIdNumbers.next(), p.compoundId())),
						null),
				// The edit form is filled with the full ID number, so it needs the reveal
				// right as well.
				page("GET", "/residents/{id}/edit", needs(EDIT_RESIDENTS, REVEAL_PERSONAL_DATA), SCOPED, 200,
						(c, p) -> Call.get("/residents/" + p.residentId() + "/edit"), Place::idNumber),
				page("POST", "/residents/{id}/edit", needs(EDIT_RESIDENTS), SCOPED, 302,
						(c, p) -> Call.form("/residents/" + p.residentId() + "/edit",
								residentForm(p.residentName(), p.idNumber(), p.compoundId())),
						null),
				page("GET", "/imports/new", needs(IMPORT_RESIDENTS), UNSCOPED, 200, (c, p) -> Call.get("/imports/new"),
						null),
				page("POST", "/imports", needs(IMPORT_RESIDENTS), SCOPED, 302,
						(c, p) -> Call.multipart("/imports", Map.of("community", String.valueOf(p.community().id())),
								new FilePart("roster.csv", p.roster())),
						null),
				page("GET", "/imports/{id}", needs(IMPORT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.get("/imports/" + upload(c, p)), null),
				page("POST", "/imports/{id}", needs(IMPORT_RESIDENTS), SCOPED, 200,
						(c, p) -> Call.form("/imports/" + upload(c, p), Map.of("action", "commit")), null));
	}

	@Override
	protected List<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Caller caller : this.callers.values()) {
			Role role = caller.role();
			boolean viewer = SPEC.get(role).contains(VIEW_RESIDENTS);
			boolean editor = SPEC.get(role).contains(EDIT_RESIDENTS);
			tests.add(special("GET /api/v1/nodes/{id} of a missing node", caller, false, Outcome.NOT_FOUND, 200,
					() -> Call.get("/api/v1/nodes/" + MISSING_ID)));
			tests.add(special("GET /nodes/{id} of a missing node", caller, true, Outcome.NOT_FOUND, 200,
					() -> Call.get("/nodes/" + MISSING_ID)));
			// The permission is checked before the lookup: who may not view residents
			// learns nothing about ids.
			tests.add(special("GET /api/v1/residents/{id} of a missing resident", caller, false,
					viewer ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200,
					() -> Call.get("/api/v1/residents/" + MISSING_ID)));
			tests.add(special("GET /residents/{id} of a missing resident", caller, true,
					viewer ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 200, () -> Call.get("/residents/" + MISSING_ID)));
			// Uploads are private to whoever uploaded them, even within one community.
			tests.add(special("GET /imports/{id} of someone else's upload", caller, true, Outcome.NOT_FOUND, 200,
					() -> Call.get("/imports/" + upload(
							this.callers.get(Role.HQ_ADMIN) == caller ? this.otherHq : this.callers.get(Role.HQ_ADMIN),
							this.a1))));
			tests.add(
					special("POST /imports/{id} of someone else's upload", caller, true, Outcome.NOT_FOUND, 200,
							() -> Call.form("/imports/" + upload(this.callers.get(Role.HQ_ADMIN) == caller
									? this.otherHq : this.callers.get(Role.HQ_ADMIN), this.a1),
									Map.of("action", "commit"))));
			// Editing an inside resident must not move them out of the jurisdiction.
			tests.add(special("PUT /api/v1/residents/{id} moving an inside resident outside", caller, false,
					Outcome.FORBIDDEN, 200,
					() -> Call.json("PUT", "/api/v1/residents/" + caller.inside().residentId(),
							residentForm(caller.inside().residentName(), caller.inside().idNumber(),
									caller.outside().compoundId()))));
			tests.add(special("POST /residents/{id}/edit moving an inside resident outside", caller, true,
					Outcome.FORBIDDEN, 302,
					() -> Call.form("/residents/" + caller.inside().residentId() + "/edit",
							residentForm(caller.inside().residentName(), caller.inside().idNumber(),
									caller.outside().compoundId()))));
			tests.add(special("POST /api/v1/residents placed at a missing node", caller, false,
					editor ? Outcome.NOT_FOUND : Outcome.FORBIDDEN, 201, () -> Call.json("POST", "/api/v1/residents",
							residentForm(unique("New"), TestIdNumbers.next(), MISSING_ID))));
		}
		// Loading the official list is an installation-wide act: allowed to the unbound
		// HQ account only.
		tests
			.add(special("POST /api/v1/divisions/imports " + REAL_DIVISION, this.installationHq, false, Outcome.ALLOWED,
					200, () -> Call.json("POST", "/api/v1/divisions/imports", Map.of("code", REAL_DIVISION))));
		tests.add(special("GET /api/v1/nodes/by-code/" + REAL_DIVISION + " after loading it", this.installationHq,
				false, Outcome.ALLOWED, 200, () -> Call.get("/api/v1/nodes/by-code/" + REAL_DIVISION)));
		tests.add(special("GET /api/v1/nodes/by-code/" + REAL_DIVISION + " (loaded, outside the district)",
				this.callers.get(Role.HQ_ADMIN), false, Outcome.FORBIDDEN, 200,
				() -> Call.get("/api/v1/nodes/by-code/" + REAL_DIVISION)));
		return tests;
	}

	/**
	 * An upload waiting for confirmation, owned by {@code owner}, for the place's
	 * community. Written straight to the table: it lets the matrix ask whether the
	 * preview itself re-checks permission and jurisdiction, even for an upload its owner
	 * could not have made through the form.
	 */
	private String upload(Caller owner, Place place) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into roster_upload (id, account_id, community_id, filename, content)
				values (:id, :account, :community, 'roster.csv', :content)""")
			.param("id", id)
			.param("account", owner.accountId())
			.param("community", place.community().id())
			.param("content", this.protection.encrypt(Base64.getEncoder().encodeToString(place.roster())))
			.update();
		return id.toString();
	}

}
