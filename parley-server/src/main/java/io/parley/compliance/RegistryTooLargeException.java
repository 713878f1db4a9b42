package io.parley.compliance;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A registry upload over {@link RegistryImporter#MAX_BYTES}: 413, nothing switched. */
final class RegistryTooLargeException extends ResponseStatusException {

  RegistryTooLargeException(String message) {
    super(HttpStatus.CONTENT_TOO_LARGE, message);
  }
}
