package org.fangxian.security.internal;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Live bearer tokens and their accounts in memory, so an API call (a gate scan) costs no
 * round trip for them (issue 17). Keyed by the token's hash, never the token; the cached
 * account carries no password hash.
 *
 * <p>
 * Every change that can end a token's right is pushed by the database itself: triggers on
 * {@code api_token}, {@code account} and {@code division_node} send
 * {@code NOTIFY fangxian_auth} on commit (V91), whichever node or tool made the change,
 * and every node listens on a connection of its own and drops what changed. While that
 * connection is down the cache is bypassed and it is emptied when the connection is back,
 * so a missed notice never keeps a revoked token alive. A load that raced a notice is not
 * kept (generation check).
 */
@Component
class TokenCache implements SmartLifecycle {

	static final String CHANNEL = "fangxian_auth";

	private static final Logger log = LoggerFactory.getLogger(TokenCache.class);

	/** A cached token: its account (no password hash) and when the token expires. */
	record Entry(Accounts.AccountRow account, Instant expiresAt) {
	}

	private final Cache<ByteBuffer, Entry> cache = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterWrite(Duration.ofMinutes(5))
		.build();

	private final AtomicLong generation = new AtomicLong();

	private final DataSource dataSource;

	private final boolean enabled;

	private volatile boolean listening;

	private volatile boolean running;

	private Thread listener;

	TokenCache(DataSource dataSource, @Value("${fangxian.security.token-cache:true}") boolean enabled) {
		this.dataSource = dataSource;
		this.enabled = enabled && dataSource instanceof HikariDataSource;
	}

	/**
	 * The live account of a token hash: from memory when the listener is up, else (and on
	 * a miss) from {@code load}, which gives the account and the token's expiry.
	 */
	Optional<Accounts.AccountRow> get(byte[] tokenHash, Instant now, Supplier<Optional<Entry>> load) {
		if (!this.listening) {
			return load.get().filter(entry -> entry.expiresAt().isAfter(now)).map(Entry::account);
		}
		ByteBuffer key = ByteBuffer.wrap(tokenHash.clone());
		Entry cached = this.cache.getIfPresent(key);
		if (cached != null && cached.expiresAt().isAfter(now)) {
			return Optional.of(cached.account());
		}
		long before = this.generation.get();
		Optional<Entry> loaded = load.get();
		loaded.ifPresent(entry -> {
			if (this.listening && this.generation.get() == before) {
				this.cache.put(key, new Entry(withoutPassword(entry.account()), entry.expiresAt()));
			}
		});
		return loaded.filter(entry -> entry.expiresAt().isAfter(now)).map(Entry::account);
	}

	/** Whether answers come from memory now (the listener is connected). */
	boolean listening() {
		return this.listening;
	}

	/** What memory holds for a token hash (tests). */
	Optional<Entry> peek(byte[] tokenHash) {
		return Optional.ofNullable(this.cache.getIfPresent(ByteBuffer.wrap(tokenHash)));
	}

	/** A notice: {@code token:<hex hash>}, {@code account:<id>} or {@code *}. */
	void changed(String payload) {
		this.generation.incrementAndGet();
		if (payload != null && payload.startsWith("token:")) {
			this.cache.invalidate(ByteBuffer.wrap(HexFormat.of().parseHex(payload.substring(6))));
		}
		else if (payload != null && payload.startsWith("account:")) {
			long id = Long.parseLong(payload.substring(8));
			this.cache.asMap().values().removeIf(entry -> entry.account().id() == id);
		}
		else {
			this.cache.invalidateAll();
		}
	}

	private static Accounts.AccountRow withoutPassword(Accounts.AccountRow a) {
		return new Accounts.AccountRow(a.id(), a.username(), a.displayName(), null, a.role(), a.nodeId(), a.scopePath(),
				a.nodeName(), a.enabled(), a.mustChangePassword(), a.phoneMasked());
	}

	private void listen() {
		HikariDataSource pool = (HikariDataSource) this.dataSource;
		while (this.running) {
			try (Connection connection = DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(),
					pool.getPassword())) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("listen " + CHANNEL);
				}
				this.generation.incrementAndGet();
				this.cache.invalidateAll();
				this.listening = true;
				PGConnection pg = connection.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] notices = pg.getNotifications(1000);
					if (notices != null) {
						for (PGNotification notice : notices) {
							changed(notice.getParameter());
						}
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (this.running) {
					log.warn("Token cache: listening connection lost ({}); reading tokens from the database",
							ex.getClass().getSimpleName());
				}
			}
			finally {
				this.listening = false;
				this.generation.incrementAndGet();
				this.cache.invalidateAll();
			}
			sleepQuietly();
		}
	}

	private void sleepQuietly() {
		try {
			Thread.sleep(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	@Override
	public void start() {
		if (!this.enabled || this.running) {
			return;
		}
		this.running = true;
		this.listener = new Thread(this::listen, "token-cache-listener");
		this.listener.setDaemon(true);
		this.listener.start();
	}

	@Override
	public void stop() {
		this.running = false;
		this.listening = false;
		if (this.listener != null) {
			this.listener.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
