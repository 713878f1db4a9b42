package io.parley.shared;

/**
 * The request collides with the current state (a stale edit, a duplicate key); answered with 409.
 */
public class ConflictException extends RuntimeException {

  public ConflictException(String message) {
    super(message);
  }
}
