package org.fangxian.reporting.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The figures of one node for one day (China Standard Time), over its whole subtree, with
 * the same figures for each child (the streets of a district, the communities of a
 * street).
 *
 * @param more figures beyond the contract, by section: {@code visits} (visitors,
 * vehicles) and every {@link FigureSource}
 */
public record Dashboard(String code, String name, String kind, LocalDate date, Gate gate, Testing testing,
		Containment containment, Map<String, Map<String, Long>> more, List<Child> children) {

	/**
	 * Allowed passages in and out, denied scans (a fever is also a fever alert),
	 * turn-backs registered.
	 */
	public record Gate(long in, long out, long denied, long turnBacks, long feverAlerts) {

		public static final Gate NONE = new Gate(0, 0, 0, 0, 0);

		public Gate plus(Gate other) {
			return new Gate(this.in + other.in, this.out + other.out, this.denied + other.denied,
					this.turnBacks + other.turnBacks, this.feverAlerts + other.feverAlerts);
		}

	}

	/** People expected, sampled and positive in the testing rounds running that day. */
	public record Testing(long expected, long sampled, long positive) {

		public static final Testing NONE = new Testing(0, 0, 0);

		public Testing plus(Testing other) {
			return new Testing(this.expected + other.expected, this.sampled + other.sampled,
					this.positive + other.positive);
		}

	}

	/**
	 * Areas sealed or controlled that day and the people living in them; quarantines and
	 * missed check-ins.
	 */
	public record Containment(long sealedAreas, long peopleSealed, long quarantined, long overdueCheckIns) {

		public static final Containment NONE = new Containment(0, 0, 0, 0);

		public Containment plus(Containment other) {
			return new Containment(this.sealedAreas + other.sealedAreas, this.peopleSealed + other.peopleSealed,
					this.quarantined + other.quarantined, this.overdueCheckIns + other.overdueCheckIns);
		}

	}

	/** A child node's figures; {@code code} is null below the community. */
	public record Child(long id, String code, String name, Gate gate, Testing testing, Containment containment,
			Map<String, Map<String, Long>> more) {
	}

	/** One day of the 14-day trends. */
	public record Trend(LocalDate date, Gate gate, long quarantined) {
	}

}
