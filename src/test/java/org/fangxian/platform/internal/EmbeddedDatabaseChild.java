package org.fangxian.platform.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A separate JVM for EmbeddedDatabaseTest to kill -9: starts the embedded database on the
 * given folder, writes a row, says READY and waits to be killed.
 */
public final class EmbeddedDatabaseChild {

	private EmbeddedDatabaseChild() {
	}

	public static void main(String[] args) throws Exception {
		EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), Path.of(args[1]), false, 0);
		try (Connection connection = database.connect(database.app()); Statement sql = connection.createStatement()) {
			sql.execute("create table if not exists survivor (note text)");
			sql.execute("insert into survivor values ('written before kill -9')");
		}
		System.out.println("READY");
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
