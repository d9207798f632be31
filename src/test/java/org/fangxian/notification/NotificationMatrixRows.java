package org.fangxian.notification;

import java.util.List;

import org.fangxian.security.MatrixRows;

import static org.fangxian.security.Permission.VIEW_RESIDENTS;

/** Notification's rows of the authorization matrix: the outbox. */
class NotificationMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(api("GET", "/api/v1/outbox", needs(VIEW_RESIDENTS), UNSCOPED, 200,
				(c, p) -> Call.get("/api/v1/outbox"), null));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List
			.of(page("GET", "/outbox", needs(VIEW_RESIDENTS), UNSCOPED, 200, (c, p) -> Call.get("/outbox"), null));
	}

}
