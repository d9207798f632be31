package org.fangxian.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of {@link GateScanBenchmark} (or any server) and prints where the
 * request threads' CPU and allocation go: samples by whose code was running (self), the
 * methods on the stack (inclusive), Fangxian's own frames, and allocation by class and
 * allocating frame. Shares, not times, so the machine's other load does not change them.
 * No Spring, only the JDK: run it as a single source file.
 *
 * <pre>
 * java src/test/java/org/fangxian/bench/JfrTop.java /tmp/gate.jfr [threadPrefix] [--all] [--top=N]
 * </pre>
 *
 * By default only the samples of threads named {@code http-nio…} (Tomcat's request
 * threads) after their last pause of 20 s or more are counted: in the benchmark that is
 * its last measured HTTP phase (the raw baseline before it sends no requests).
 * {@code --all} counts the whole recording.
 */
public final class JfrTop {

	/** Who owns a frame, by package, first match wins. */
	private static final String[][] OWNERS = { { "org.fangxian.", "Fangxian" },
			{ "org.springframework.security.", "Spring Security" },
			{ "org.springframework.web.servlet.", "Spring MVC" }, { "org.springframework.web.", "Spring Web" },
			{ "org.springframework.jdbc.", "Spring JDBC" }, { "org.springframework.transaction.", "Spring tx" },
			{ "org.springframework.http.", "Spring Web" }, { "org.springframework.boot.", "Spring Boot" },
			{ "org.springframework.context.", "Spring context/messages" }, { "org.springframework.", "Spring core" },
			{ "tools.jackson.", "Jackson" }, { "com.fasterxml.jackson.", "Jackson" }, { "org.postgresql.", "pgjdbc" },
			{ "com.zaxxer.hikari.", "Hikari" }, { "org.apache.catalina.", "Tomcat" },
			{ "org.apache.coyote.", "Tomcat" }, { "org.apache.tomcat.", "Tomcat" }, { "io.micrometer.", "Micrometer" },
			{ "com.github.benmanes.caffeine.", "Caffeine" }, { "ch.qos.logback.", "Logback" },
			{ "org.slf4j.", "Logback" }, { "org.thymeleaf.", "Thymeleaf" }, { "java.util.regex.", "JDK regex" },
			{ "sun.security.", "JDK crypto" }, { "com.sun.crypto.", "JDK crypto" }, { "javax.crypto.", "JDK crypto" },
			{ "java.security.", "JDK crypto" }, { "sun.nio.", "JDK nio" }, { "java.nio.", "JDK nio" },
			{ "java.lang.invoke.", "JDK reflection" }, { "java.lang.reflect.", "JDK reflection" },
			{ "jdk.internal.reflect.", "JDK reflection" }, { "java.util.concurrent.", "JDK concurrent" },
			{ "java.time.", "JDK time" }, { "java.math.", "JDK math" }, { "java.", "JDK other" },
			{ "jdk.", "JDK other" }, { "sun.", "JDK other" } };

	private JfrTop() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length == 0) {
			System.err.println("usage: java JfrTop.java <recording.jfr> [threadPrefix] [--all] [--top=N]");
			System.exit(2);
		}
		Path file = Path.of(args[0]);
		String prefix = "http-nio";
		boolean all = false;
		int top = 30;
		for (int i = 1; i < args.length; i++) {
			if (args[i].equals("--all")) {
				all = true;
			}
			else if (args[i].startsWith("--top=")) {
				top = Integer.parseInt(args[i].substring(6));
			}
			else {
				prefix = args[i];
			}
		}
		List<RecordedEvent> samples = new ArrayList<>();
		List<RecordedEvent> allocations = new ArrayList<>();
		List<RecordedEvent> cpu = new ArrayList<>();
		try (RecordingFile recording = new RecordingFile(file)) {
			while (recording.hasMoreEvents()) {
				RecordedEvent event = recording.readEvent();
				String type = event.getEventType().getName();
				if (type.equals("jdk.CPULoad")) {
					cpu.add(event);
					continue;
				}
				boolean sample = type.equals("jdk.ExecutionSample");
				boolean allocation = type.equals("jdk.ObjectAllocationSample");
				if (!sample && !allocation) {
					continue;
				}
				var thread = event.getThread(sample ? "sampledThread" : "eventThread");
				if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith(prefix)) {
					continue;
				}
				(sample ? samples : allocations).add(event);
			}
		}
		samples.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
		Instant from = samples.isEmpty() ? Instant.MIN : samples.get(0).getStartTime();
		Instant to = samples.isEmpty() ? Instant.MAX : samples.get(samples.size() - 1).getStartTime();
		if (!all) {
			for (int i = 1; i < samples.size(); i++) {
				if (Duration.between(samples.get(i - 1).getStartTime(), samples.get(i).getStartTime())
					.compareTo(Duration.ofSeconds(20)) >= 0) {
					from = samples.get(i).getStartTime();
				}
			}
		}
		Instant windowFrom = from;
		Instant windowTo = to;
		samples.removeIf(e -> e.getStartTime().isBefore(windowFrom));
		allocations.removeIf(e -> e.getStartTime().isBefore(windowFrom) || e.getStartTime().isAfter(windowTo));
		int n = samples.size();
		System.out.printf(Locale.ROOT, "%s: %,d execution samples of threads %s… from %s to %s (%d s)%n", file, n,
				prefix, windowFrom, windowTo, Duration.between(windowFrom, windowTo).toSeconds());
		double jvm = cpu.stream()
			.filter(e -> !e.getStartTime().isBefore(windowFrom) && !e.getStartTime().isAfter(windowTo))
			.mapToDouble(e -> e.getFloat("jvmUser") + e.getFloat("jvmSystem"))
			.average()
			.orElse(Double.NaN);
		double machine = cpu.stream()
			.filter(e -> !e.getStartTime().isBefore(windowFrom) && !e.getStartTime().isAfter(windowTo))
			.mapToDouble(e -> e.getFloat("machineTotal"))
			.average()
			.orElse(Double.NaN);
		System.out.printf(Locale.ROOT, "jdk.CPULoad in the window: JVM %.0f %%, machine %.0f %% (of all cores)%n%n",
				100 * jvm, 100 * machine);
		if (n == 0) {
			return;
		}

		Map<String, Integer> selfOwner = new HashMap<>();
		Map<String, Integer> selfMethod = new HashMap<>();
		Map<String, Integer> inclusiveOwner = new HashMap<>();
		Map<String, Integer> inclusiveMethod = new HashMap<>();
		Map<String, Integer> ownTop = new HashMap<>();
		for (RecordedEvent e : samples) {
			List<RecordedFrame> frames = frames(e.getStackTrace());
			if (frames.isEmpty()) {
				continue;
			}
			String first = name(frames.get(0));
			count(selfMethod, first);
			count(selfOwner, owner(first));
			Set<String> methods = new HashSet<>();
			Set<String> owners = new HashSet<>();
			String ownFirst = null;
			for (RecordedFrame frame : frames) {
				String method = name(frame);
				methods.add(method);
				owners.add(owner(method));
				if (ownFirst == null && method.startsWith("org.fangxian.")) {
					ownFirst = method;
				}
			}
			methods.forEach(m -> count(inclusiveMethod, m));
			owners.forEach(o -> count(inclusiveOwner, o));
			count(ownTop, ownFirst == null ? "(no Fangxian frame on the stack)" : ownFirst);
		}
		print("Self, by whose code was running", selfOwner, n, top);
		print("Self, top methods", selfMethod, n, top);
		print("Inclusive, by owner (a sample counts once per owner on its stack)", inclusiveOwner, n, top);
		print("Inclusive, methods on the stack", inclusiveMethod, n, 3 * top);
		print("Fangxian's innermost frame on the stack (where our code called out from)", ownTop, n, top);

		if (!allocations.isEmpty()) {
			Map<String, Integer> byClass = new HashMap<>();
			Map<String, Integer> bySite = new HashMap<>();
			Map<String, Integer> byOwnSite = new HashMap<>();
			long total = 0;
			Map<String, Long> weightClass = new HashMap<>();
			Map<String, Long> weightSite = new HashMap<>();
			Map<String, Long> weightOwn = new HashMap<>();
			for (RecordedEvent e : allocations) {
				long weight = e.getLong("weight");
				total += weight;
				String type = e.getClass("objectClass").getName();
				weightClass.merge(type, weight, Long::sum);
				List<RecordedFrame> frames = frames(e.getStackTrace());
				String site = frames.isEmpty() ? "?" : name(frames.get(0));
				weightSite.merge(site, weight, Long::sum);
				String own = frames.stream()
					.map(JfrTop::name)
					.filter(m -> m.startsWith("org.fangxian."))
					.findFirst()
					.orElse("(no Fangxian frame)");
				weightOwn.merge(own, weight, Long::sum);
			}
			System.out.printf(Locale.ROOT, "Allocation (jdk.ObjectAllocationSample, %,d samples, %,.0f MB weight)%n",
					allocations.size(), total / 1e6);
			printWeights("  by class", weightClass, total, top);
			printWeights("  by allocating method", weightSite, total, top);
			printWeights("  by Fangxian's innermost frame", weightOwn, total, top);
		}
	}

	private static List<RecordedFrame> frames(RecordedStackTrace stack) {
		if (stack == null) {
			return List.of();
		}
		return stack.getFrames().stream().filter(RecordedFrame::isJavaFrame).toList();
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static String owner(String method) {
		for (String[] owner : OWNERS) {
			if (method.startsWith(owner[0])) {
				return owner[1];
			}
		}
		return "other (" + method.substring(0, Math.max(0, method.lastIndexOf('.', method.lastIndexOf('.') - 1))) + ")";
	}

	private static void count(Map<String, Integer> counts, String key) {
		counts.merge(key, 1, Integer::sum);
	}

	private static void print(String title, Map<String, Integer> counts, int n, int top) {
		System.out.println(title);
		sorted(counts).entrySet()
			.stream()
			.limit(top)
			.forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f %%  %6d  %s%n", 100.0 * e.getValue() / n,
					e.getValue(), e.getKey()));
		System.out.println();
	}

	private static void printWeights(String title, Map<String, Long> weights, long total, int top) {
		System.out.println(title);
		weights.entrySet()
			.stream()
			.sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
			.limit(top)
			.forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
		System.out.println();
	}

	private static Map<String, Integer> sorted(Map<String, Integer> counts) {
		Map<String, Integer> sorted = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
			.forEach(e -> sorted.put(e.getKey(), e.getValue()));
		return sorted;
	}

}
