/**
 * Reporting (指挥调度): the dashboard of any node for a day in China Standard Time, the daily
 * report (日报) that goes up from streets to the district HQ, and the public notices page.
 * It types no figure: each comes from the module that recorded it (checkpoint's
 * {@code GateFigures}, testing's {@code TestingFigures}, containment's
 * {@code ContainmentFigures}), and later modules add theirs by implementing
 * {@link org.fangxian.reporting.FigureSource}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Reporting")
package org.fangxian.reporting;
