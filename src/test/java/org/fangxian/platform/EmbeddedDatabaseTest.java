package org.fangxian.platform;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedDatabaseTest {

	@Test
	void refusesADataFolderOfAnotherPostgresMajorAndLeavesItAlone(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("PG_VERSION"), "15\n");
		Files.writeString(dir.resolve("precious"), "community records");

		assertThatThrownBy(() -> EmbeddedDatabaseConfiguration.EmbeddedPostgresInstances.refuseForeignMajorVersion(dir))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("PostgreSQL 15")
			.hasMessageContaining("has not been touched");
		assertThat(Files.readString(dir.resolve("precious"))).isEqualTo("community records");
	}

	@Test
	void acceptsItsOwnMajorAndAnEmptyFolder(@TempDir Path dir) throws Exception {
		EmbeddedDatabaseConfiguration.EmbeddedPostgresInstances.refuseForeignMajorVersion(dir);
		Files.writeString(dir.resolve("PG_VERSION"), EmbeddedDatabaseConfiguration.SUPPORTED_MAJOR + "\n");
		EmbeddedDatabaseConfiguration.EmbeddedPostgresInstances.refuseForeignMajorVersion(dir);
	}

}
