package org.fangxian;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Keeps the feature modules honest: no cycles, no reaching into another module's
 * internals. Tagged {@code architecture}: reading every class takes a while, so the fast
 * loop leaves it to {@code verify}.
 */
@Tag("architecture")
class ModularityTest {

	private final ApplicationModules modules = ApplicationModules.of(FangxianApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		this.modules.verify();
	}

	@Test
	void writesModuleDocumentation() {
		// Committed under docs/modules (docs/architecture.md says how to refresh them).
		new Documenter(this.modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml().writeModuleCanvases();
	}

}
