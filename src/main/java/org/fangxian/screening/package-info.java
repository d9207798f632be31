/**
 * Door-to-door screening (敲门行动): campaigns over a subtree, each door's visits, the
 * newcomers found and registered. Tells tracing who knocked on a door
 * ({@link DoorVisits}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Screening")
package org.fangxian.screening;
