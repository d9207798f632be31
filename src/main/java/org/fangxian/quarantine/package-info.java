/**
 * Home quarantine (居家隔离) and health monitoring with daily check-ins, the containment
 * board and its figures. Feeds the checkpoints through
 * {@link org.fangxian.checkpoint.EntryRestriction} (quarantine and seals).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Quarantine")
package org.fangxian.quarantine;
