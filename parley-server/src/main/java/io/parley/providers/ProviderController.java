package io.parley.providers;

import io.parley.shared.Page;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Lets operators see which providers exist and which have credentials; keys never leave. */
@RestController
@RequestMapping("/api/providers")
class ProviderController {

  private final ProviderRegistry registry;

  ProviderController(ProviderRegistry registry) {
    this.registry = registry;
  }

  /** The whole (short, fixed) list as a single page, like every other list in the API. */
  @GetMapping
  @PreAuthorize("hasRole('OPERATOR')")
  Page<ProviderInfo> list() {
    List<ProviderInfo> providers = registry.list();
    return new Page<>(providers, 0, providers.size(), providers.size());
  }
}
