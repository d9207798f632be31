package org.fangxian.quarantine.internal;

import java.time.Instant;
import java.util.Optional;

import org.fangxian.checkpoint.Direction;
import org.fangxian.checkpoint.EntryRestriction;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.seal.Seals;
import org.fangxian.quarantine.Quarantines;

import org.springframework.stereotype.Component;

/**
 * What containment tells the gate. Quarantine keeps a person home both ways (someone
 * under quarantine coming in was out: the worker must know). A sealed area lets nobody
 * out; coming home is allowed. A controlled area and health monitoring let people out
 * only with the community's say-so, without alarm.
 */
@Component
class ContainmentRestriction implements EntryRestriction {

	private final QuarantineBook quarantines;

	private final Seals seals;

	private final ResidentDirectory directory;

	ContainmentRestriction(QuarantineBook quarantines, Seals seals, ResidentDirectory directory) {
		this.quarantines = quarantines;
		this.seals = seals;
		this.directory = directory;
	}

	@Override
	public Optional<Restriction> check(long residentId, Direction direction, Instant at) {
		return rule(this.quarantines.openFor(residentId, at), direction,
				() -> this.directory.byId(residentId).flatMap(resident -> this.seals.levelAt(resident.path(), at)));
	}

	@Override
	public String factSql(String resident, String path) {
		// "KIND|LEVEL", either side empty; the seal only for scans going out
		return "coalesce(" + QuarantineBook.openKindSql(resident) + ", '') || '|' || coalesce(case when :out then "
				+ Seals.levelAtSql(path) + " end, '')";
	}

	@Override
	public Optional<Restriction> decide(String fact, Direction direction) {
		String[] parts = fact.split("\\|", -1);
		return rule(parts[0].isEmpty() ? Optional.empty() : Optional.of(Quarantines.Kind.valueOf(parts[0])), direction,
				() -> parts[1].isEmpty() ? Optional.empty() : Optional.of(Seals.Level.valueOf(parts[1])));
	}

	private static Optional<Restriction> rule(Optional<Quarantines.Kind> quarantine, Direction direction,
			java.util.function.Supplier<Optional<Seals.Level>> seal) {
		if (quarantine.isPresent()) {
			if (quarantine.get() != Quarantines.Kind.MONITORING) {
				return Optional.of(new Restriction("gate.deny.quarantine", true));
			}
			if (direction == Direction.OUT) {
				return Optional.of(new Restriction("gate.deny.monitoring", false));
			}
		}
		if (direction != Direction.OUT) {
			return Optional.empty();
		}
		return seal.get()
			.map(level -> level == Seals.Level.SEALED ? new Restriction("gate.deny.sealed", true)
					: new Restriction("gate.deny.controlled", false));
	}

}
