/**
 * Seals (封控/管控): sealed and closed-loop areas with their timeline and texts to the people
 * inside. Feeds the gate (through quarantine's restriction) and testing's "sealed areas
 * only" rounds.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Seal")
package org.fangxian.seal;
