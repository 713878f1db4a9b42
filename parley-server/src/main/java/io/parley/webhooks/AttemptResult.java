package io.parley.webhooks;

/**
 * How one delivery attempt went.
 *
 * @param statusCode the endpoint's HTTP status, or null when none came
 * @param error why it failed, or null when it succeeded (a 2xx)
 */
record AttemptResult(Integer statusCode, String error, long durationMs) {

  static final int MAX_ERROR = 500;

  AttemptResult {
    if (error != null && error.length() > MAX_ERROR) {
      error = error.substring(0, MAX_ERROR);
    }
  }

  boolean succeeded() {
    return error == null;
  }
}
