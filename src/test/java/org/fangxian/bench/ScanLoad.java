package org.fangxian.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * The load generator of {@link GateScanBenchmark}, run as a separate JVM so that the
 * client's CPU and garbage are not the server's. Two modes, same thread model (one thread
 * per connection, one request in flight per connection, fixed warm-up then a fixed
 * measured window, so it always stops by itself):
 * <ul>
 * <li>{@code http}: POSTs gate scans over plain HTTP/1.1 keep-alive sockets to 127.0.0.1,
 * each with a fresh idempotency key, a QR or ID number picked at random from the inputs
 * file;</li>
 * <li>{@code jdbc}: autocommit single-row INSERTs, as wide as a gate scan, into a scratch
 * table, one connection per thread: the raw PostgreSQL baseline.</li>
 * </ul>
 * Usage:
 * {@code java -cp ... org.fangxian.bench.ScanLoad <params.properties> <result.properties>}.
 */
public final class ScanLoad {

	private ScanLoad() {
	}

	/** What one connection did. */
	static final class Tally {

		final Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

		final Histogram qr = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

		final Histogram id = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

		long measuredOk;

		long totalOk;

		long non2xx;

		long errors;

		long allow;

		long deny;

		long fever;

		long replayed;

		long reconnects;

		String firstProblem;

		void add(Tally other) {
			this.all.add(other.all);
			this.qr.add(other.qr);
			this.id.add(other.id);
			this.measuredOk += other.measuredOk;
			this.totalOk += other.totalOk;
			this.non2xx += other.non2xx;
			this.errors += other.errors;
			this.allow += other.allow;
			this.deny += other.deny;
			this.fever += other.fever;
			this.replayed += other.replayed;
			this.reconnects += other.reconnects;
			if (this.firstProblem == null) {
				this.firstProblem = other.firstProblem;
			}
		}

	}

	public static void main(String[] args) throws Exception {
		Properties p = new Properties();
		try (var in = Files.newBufferedReader(Path.of(args[0]))) {
			p.load(in);
		}
		String mode = p.getProperty("mode");
		int concurrency = Integer.parseInt(p.getProperty("concurrency"));
		long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(p.getProperty("warmupSeconds")));
		long durationNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(p.getProperty("durationSeconds")));
		List<String[]> inputs = new ArrayList<>();
		if (p.getProperty("inputs") != null) {
			for (String line : Files.readAllLines(Path.of(p.getProperty("inputs")))) {
				int tab = line.indexOf('\t');
				inputs.add(new String[] { line.substring(0, tab), line.substring(tab + 1) });
			}
		}
		long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
		long measureFrom = start + warmupNanos;
		long end = measureFrom + durationNanos;
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		List<Future<Tally>> futures = new ArrayList<>();
		for (int t = 0; t < concurrency; t++) {
			long seed = Long.parseLong(p.getProperty("seed", "42")) * 1000 + t;
			futures.add(pool.submit(() -> switch (mode) {
				case "http" -> http(p, inputs, seed, start, measureFrom, end);
				case "jdbc" -> jdbc(p, seed, start, measureFrom, end);
				default -> throw new IllegalArgumentException(mode);
			}));
		}
		Tally total = new Tally();
		for (Future<Tally> future : futures) {
			total.add(future.get(durationNanos + warmupNanos + TimeUnit.SECONDS.toNanos(120), TimeUnit.NANOSECONDS));
		}
		pool.shutdownNow();
		double seconds = durationNanos / 1e9;
		Properties out = new Properties();
		out.setProperty("mode", mode);
		out.setProperty("concurrency", String.valueOf(concurrency));
		out.setProperty("seconds", String.valueOf(seconds));
		out.setProperty("measuredOk", String.valueOf(total.measuredOk));
		out.setProperty("perSecond", String.format(Locale.ROOT, "%.1f", total.measuredOk / seconds));
		out.setProperty("totalOk", String.valueOf(total.totalOk));
		out.setProperty("non2xx", String.valueOf(total.non2xx));
		out.setProperty("errors", String.valueOf(total.errors));
		out.setProperty("allow", String.valueOf(total.allow));
		out.setProperty("deny", String.valueOf(total.deny));
		out.setProperty("fever", String.valueOf(total.fever));
		out.setProperty("replayed", String.valueOf(total.replayed));
		out.setProperty("reconnects", String.valueOf(total.reconnects));
		out.setProperty("firstProblem", String.valueOf(total.firstProblem));
		// This JVM's CPU over the whole phase (warm-up included), for telling its share
		// of the machine.
		long cpuNanos = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
		out.setProperty("cpuSeconds", String.format(Locale.ROOT, "%.2f", cpuNanos / 1e9));
		percentiles(out, "all", total.all);
		percentiles(out, "qr", total.qr);
		percentiles(out, "id", total.id);
		try (var writer = Files.newBufferedWriter(Path.of(args[1]))) {
			out.store(writer, "ScanLoad " + mode);
		}
		System.out.println("ScanLoad " + mode + " c=" + concurrency + ": " + out);
		System.exit(0);
	}

	private static void percentiles(Properties out, String name, Histogram h) {
		out.setProperty(name + ".count", String.valueOf(h.getTotalCount()));
		out.setProperty(name + ".p50ms", ms(h.getValueAtPercentile(50)));
		out.setProperty(name + ".p99ms", ms(h.getValueAtPercentile(99)));
		out.setProperty(name + ".p999ms", ms(h.getValueAtPercentile(99.9)));
		out.setProperty(name + ".maxms", ms(h.getMaxValue()));
		out.setProperty(name + ".meanms", String.format(Locale.ROOT, "%.2f", h.getMean() / 1e6));
	}

	private static String ms(long nanos) {
		return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
	}

	private static void waitUntil(long nanoTime) throws InterruptedException {
		long left;
		while ((left = nanoTime - System.nanoTime()) > 0) {
			Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
		}
	}

	private static String temperature(SplittableRandom random, boolean[] fever) {
		fever[0] = random.nextInt(200) == 0;
		if (fever[0]) {
			return "38." + random.nextInt(10);
		}
		return "36." + random.nextInt(10);
	}

	// ---- HTTP ----

	private static Tally http(Properties p, List<String[]> inputs, long seed, long start, long measureFrom, long end)
			throws Exception {
		String host = "127.0.0.1";
		int port = Integer.parseInt(p.getProperty("port"));
		String path = "/api/v1/checkpoints/" + p.getProperty("checkpointId") + "/scans";
		String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer "
				+ p.getProperty("token") + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
				+ "Accept-Language: zh-CN\r\nContent-Length: ";
		SplittableRandom random = new SplittableRandom(seed);
		Tally tally = new Tally();
		boolean[] fever = new boolean[1];
		waitUntil(start);
		Socket socket = null;
		InputStream in = null;
		OutputStream out = null;
		while (System.nanoTime() < end) {
			String[] input = inputs.get(random.nextInt(inputs.size()));
			boolean qr = input[0].equals("Q");
			String temperature = temperature(random, fever);
			String body = "{\"" + (qr ? "qr" : "idNumber") + "\":\"" + input[1] + "\",\"direction\":\""
					+ (random.nextBoolean() ? "IN" : "OUT") + "\",\"temperature\":" + temperature
					+ ",\"plate\":null,\"idempotencyKey\":\"" + UUID.randomUUID()
					// with its own time, as the scan page sends it (a retry keeps it:
					// V102)
					+ "\",\"scannedAt\":\"" + java.time.Instant.now() + "\"}";
			byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
			byte[] request = (head + bodyBytes.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
			try {
				if (socket == null) {
					socket = new Socket();
					socket.setTcpNoDelay(true);
					socket.connect(new InetSocketAddress(host, port), 5000);
					socket.setSoTimeout(60_000);
					in = new BufferedInputStream(socket.getInputStream(), 16384);
					out = socket.getOutputStream();
				}
				long sent = System.nanoTime();
				out.write(request);
				out.flush();
				Response response = Response.read(in);
				long done = System.nanoTime();
				if (response.status / 100 == 2) {
					tally.totalOk++;
					String answer = response.body;
					if (answer.contains("\"replayed\":true")) {
						tally.replayed++;
					}
					if (answer.contains("\"decision\":\"ALLOW\"")) {
						tally.allow++;
					}
					else {
						tally.deny++;
						if (fever[0] && answer.contains("gate.deny.fever")) {
							tally.fever++;
						}
					}
					if (sent >= measureFrom && done <= end) {
						tally.measuredOk++;
						long latency = done - sent;
						tally.all.recordValue(Math.min(latency, tally.all.getHighestTrackableValue()));
						(qr ? tally.qr : tally.id).recordValue(Math.min(latency, tally.all.getHighestTrackableValue()));
					}
				}
				else {
					tally.non2xx++;
					if (tally.firstProblem == null) {
						tally.firstProblem = response.status + " " + response.body.replace('\n', ' ');
					}
				}
				if (response.close) {
					socket.close();
					socket = null;
					tally.reconnects++;
				}
			}
			catch (IOException ex) {
				tally.errors++;
				if (tally.firstProblem == null) {
					tally.firstProblem = ex.toString();
				}
				if (socket != null) {
					socket.close();
				}
				socket = null;
				tally.reconnects++;
				Thread.sleep(10);
			}
		}
		if (socket != null) {
			socket.close();
		}
		return tally;
	}

	/**
	 * Just enough HTTP/1.1 to read Tomcat's answers: Content-Length or chunked bodies.
	 */
	record Response(int status, String body, boolean close) {

		static Response read(InputStream in) throws IOException {
			String statusLine = line(in);
			int status = Integer.parseInt(statusLine.substring(9, 12));
			long length = -1;
			boolean chunked = false;
			boolean close = false;
			String header;
			while (!(header = line(in)).isEmpty()) {
				String lower = header.toLowerCase(Locale.ROOT);
				if (lower.startsWith("content-length:")) {
					length = Long.parseLong(lower.substring(15).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
				else if (lower.startsWith("connection:") && lower.contains("close")) {
					close = true;
				}
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream(256);
			if (chunked) {
				while (true) {
					String size = line(in);
					int semicolon = size.indexOf(';');
					int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
					if (n == 0) {
						while (!line(in).isEmpty()) {
							// trailers
						}
						break;
					}
					body.write(in.readNBytes(n));
					line(in);
				}
			}
			else if (length > 0) {
				byte[] bytes = in.readNBytes((int) length);
				if (bytes.length < length) {
					throw new IOException("connection closed in the body");
				}
				body.write(bytes);
			}
			return new Response(status, body.toString(StandardCharsets.UTF_8), close);
		}

		private static String line(InputStream in) throws IOException {
			StringBuilder line = new StringBuilder(64);
			int c;
			while ((c = in.read()) != '\n') {
				if (c < 0) {
					throw new IOException("connection closed");
				}
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}

	}

	// ---- raw PostgreSQL ----

	private static Tally jdbc(Properties p, long seed, long start, long measureFrom, long end) throws Exception {
		SplittableRandom random = new SplittableRandom(seed);
		Tally tally = new Tally();
		boolean[] fever = new boolean[1];
		long checkpoint = Long.parseLong(p.getProperty("checkpointId"));
		long account = Long.parseLong(p.getProperty("accountId"));
		long firstResident = Long.parseLong(p.getProperty("firstResidentId"));
		int residents = Integer.parseInt(p.getProperty("residents"));
		try (Connection connection = DriverManager.getConnection(p.getProperty("jdbcUrl"))) {
			connection.setAutoCommit(true);
			try (PreparedStatement insert = connection.prepareStatement(
					"""
							insert into bench_raw_scan (checkpoint_id, idempotency_key, scanned_at, direction, method, resident_id,
							    temperature, plate, decision, reason, account_id)
							values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
				waitUntil(start);
				while (System.nanoTime() < end) {
					String temperature = temperature(random, fever);
					long sent = System.nanoTime();
					insert.setLong(1, checkpoint);
					insert.setString(2, UUID.randomUUID().toString());
					insert.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
					insert.setString(4, random.nextBoolean() ? "IN" : "OUT");
					insert.setString(5, random.nextInt(5) == 0 ? "ID" : "QR");
					insert.setLong(6, firstResident + random.nextInt(residents));
					insert.setBigDecimal(7, new BigDecimal(temperature));
					insert.setNull(8, Types.VARCHAR);
					insert.setString(9, fever[0] ? "DENY" : "ALLOW");
					insert.setString(10, fever[0] ? "gate.deny.fever" : "gate.allow");
					insert.setLong(11, account);
					insert.executeUpdate();
					long done = System.nanoTime();
					tally.totalOk++;
					if (sent >= measureFrom && done <= end) {
						tally.measuredOk++;
						tally.all.recordValue(Math.min(done - sent, tally.all.getHighestTrackableValue()));
					}
				}
			}
		}
		return tally;
	}

}
