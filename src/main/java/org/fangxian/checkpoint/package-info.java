/**
 * Community gate checkpoints (卡点): residents' signed passes, scans with an immediate
 * allow/deny decision, visitors and turn-backs (劝返), live counters and alerts; works
 * offline at the gate.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Checkpoint")
package org.fangxian.checkpoint;
