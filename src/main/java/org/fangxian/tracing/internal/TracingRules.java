package org.fangxian.tracing.internal;

import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The tracing and quarantine rules, which changed between editions of the national
 * protocol: here as configuration (application.properties), with the 9th edition (June
 * 2022) as defaults.
 */
@Component
public class TracingRules {

	private final Duration lookBack;

	private final Duration gateWindow;

	private final Duration samplingWindow;

	private final int closeIsolationDays;

	private final int closeMonitoringDays;

	private final List<Integer> closeTestDays;

	private final int secondaryIsolationDays;

	private final List<Integer> secondaryTestDays;

	TracingRules(@Value("${fangxian.tracing.look-back-days:4}") int lookBackDays,
			@Value("${fangxian.tracing.gate-window-minutes:10}") int gateMinutes,
			@Value("${fangxian.tracing.sampling-window-minutes:10}") int samplingMinutes,
			@Value("${fangxian.tracing.close.isolation-days:7}") int closeIsolationDays,
			@Value("${fangxian.tracing.close.monitoring-days:3}") int closeMonitoringDays,
			@Value("${fangxian.tracing.close.test-days:1,2,3,5,7}") List<Integer> closeTestDays,
			@Value("${fangxian.tracing.secondary.isolation-days:7}") int secondaryIsolationDays,
			@Value("${fangxian.tracing.secondary.test-days:1,4,7}") List<Integer> secondaryTestDays) {
		this.lookBack = Duration.ofDays(lookBackDays);
		this.gateWindow = Duration.ofMinutes(gateMinutes);
		this.samplingWindow = Duration.ofMinutes(samplingMinutes);
		this.closeIsolationDays = closeIsolationDays;
		this.closeMonitoringDays = closeMonitoringDays;
		this.closeTestDays = List.copyOf(closeTestDays);
		this.secondaryIsolationDays = secondaryIsolationDays;
		this.secondaryTestDays = List.copyOf(secondaryTestDays);
	}

	/**
	 * How far before onset (or the positive sample, or the report) contacts are looked
	 * for.
	 */
	public Duration lookBack() {
		return this.lookBack;
	}

	/** ± around a passage at the same gate. */
	public Duration gateWindow() {
		return this.gateWindow;
	}

	/** ± around a swab at the same sampling point. */
	public Duration samplingWindow() {
		return this.samplingWindow;
	}

	public int closeIsolationDays() {
		return this.closeIsolationDays;
	}

	/** Home health monitoring (居家健康监测) after a close contact's isolation. */
	public int closeMonitoringDays() {
		return this.closeMonitoringDays;
	}

	public List<Integer> closeTestDays() {
		return this.closeTestDays;
	}

	public int secondaryIsolationDays() {
		return this.secondaryIsolationDays;
	}

	public List<Integer> secondaryTestDays() {
		return this.secondaryTestDays;
	}

}
