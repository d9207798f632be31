package org.fangxian.audit;

import java.util.List;

import org.fangxian.security.MatrixRows;

import static org.fangxian.security.Permission.VIEW_AUDIT;

/** Audit's rows of the authorization matrix: the trail, as JSON and as a page. */
class AuditMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(api("GET", "/api/v1/audit", needs(VIEW_AUDIT), UNSCOPED, 200,
				(c, p) -> Call.get("/api/v1/audit"), null));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(page("GET", "/audit", needs(VIEW_AUDIT), UNSCOPED, 200, (c, p) -> Call.get("/audit"), null));
	}

}
