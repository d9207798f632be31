package org.fangxian.checkpoint;

import java.util.List;

import org.fangxian.security.CurrentUser;

/**
 * The open gate alerts in the caller's jurisdiction, newest first, for other modules'
 * pages.
 */
public interface GateAlerts {

	List<GateAlert> openAlerts(CurrentUser user);

}
