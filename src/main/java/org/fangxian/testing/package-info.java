/**
 * Mass nucleic-acid testing (核酸检测): rounds over a subtree, sites and sampling points,
 * pooled tubes, lab results traced back to people, coverage (应检尽检) and reminders to those
 * not yet sampled.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Testing")
package org.fangxian.testing;
