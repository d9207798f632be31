/**
 * Containment (管控): sealed and closed-loop areas (封控/闭环管理), home quarantine (居家隔离) with
 * daily check-ins, returnees' self-reports (主动报备) and door-to-door screening campaigns
 * (敲门行动). Feeds the checkpoints through {@link org.fangxian.checkpoint.EntryRestriction}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Containment")
package org.fangxian.containment;
