package io.parley.shared;

/** The addressed object does not exist (or is deleted); answered with 404. */
public class NotFoundException extends RuntimeException {

  public NotFoundException(String message) {
    super(message);
  }
}
