/**
 * Returnees (返乡人员报备): a returnee's self-report from a public link, and the community
 * worker's decision, which starts home quarantine or health monitoring through
 * quarantine's API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Returnee")
package org.fangxian.returnee;
