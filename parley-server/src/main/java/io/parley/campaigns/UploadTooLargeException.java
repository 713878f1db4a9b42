package io.parley.campaigns;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** An upload over a size or row limit; answered with 413 (a problem) and nothing imported. */
final class UploadTooLargeException extends ResponseStatusException {

  UploadTooLargeException(String message) {
    super(HttpStatus.CONTENT_TOO_LARGE, message);
  }
}
