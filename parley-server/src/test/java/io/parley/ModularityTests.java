package io.parley;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Keeps the module boundaries of docs/architecture.md true. */
class ModularityTests {

  private final ApplicationModules modules = ApplicationModules.of(ParleyApplication.class);

  @Test
  void modulesRespectTheirDeclaredDependencies() {
    modules.verify();
  }

  @Test
  void writesModuleDocumentation() {
    new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
  }
}
