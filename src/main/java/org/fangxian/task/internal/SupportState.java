package org.fangxian.task.internal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.fangxian.task.TaskType;
import org.fangxian.task.Urgency;

import org.springframework.stereotype.Component;

/**
 * The states of a supply request (生活保障): new → assigned → bought → delivered; failed
 * (with a reason) from any open state; cancelled by whoever asked, while open.
 */
public enum SupportState {

	NEW, ASSIGNED, BOUGHT, DELIVERED, FAILED, CANCELLED;

	/** The one step forward from here, if any. */
	SupportState next() {
		return switch (this) {
			case NEW -> ASSIGNED;
			case ASSIGNED -> BOUGHT;
			case BOUGHT -> DELIVERED;
			default -> null;
		};
	}

	public boolean open() {
		return this == NEW || this == ASSIGNED || this == BOUGHT;
	}

	/**
	 * Whether {@code to} may follow this state: the next step, or failed/cancelled while
	 * open.
	 */
	public boolean allows(SupportState to) {
		if (!open()) {
			return false;
		}
		return to == next() || to == FAILED || to == CANCELLED;
	}

	static SupportState parse(String raw) {
		if (raw == null || raw.isBlank()) {
			return null;
		}
		try {
			return valueOf(raw.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** The supply request as a {@link TaskType} of the engine. */
	@Component
	static class Type implements TaskType {

		static final String CODE = "SUPPORT";

		private static final Set<SupportState> ALL = EnumSet.allOf(SupportState.class);

		@Override
		public String code() {
			return CODE;
		}

		@Override
		public String initialState() {
			return NEW.name();
		}

		@Override
		public boolean allows(String from, String to) {
			SupportState a = parse(from);
			SupportState b = parse(to);
			return a != null && b != null && ALL.contains(a) && a.allows(b);
		}

		@Override
		public boolean isOpen(String state) {
			SupportState s = parse(state);
			return s != null && s.open();
		}

		/**
		 * Medicine for a sealed pensioner within 2 hours; a normal request within a day.
		 */
		@Override
		public Duration deadline(Urgency urgency) {
			return switch (urgency) {
				case URGENT -> Duration.ofHours(2);
				case HIGH -> Duration.ofHours(6);
				case NORMAL -> Duration.ofHours(24);
			};
		}

	}

}
