/**
 * The lived-in demo: with {@code --demo}, after the demo district's people are imported,
 * a day of work in 福乐湾社区 (a gate's passages and turn-backs, a testing round part-way with
 * one positive tube, a sealed unit, quarantines with check-ins, a returnee's report, a
 * door-to-door campaign) and one demo account per role, all made through the modules' own
 * APIs.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo")
package org.fangxian.demo;
