package io.parley.shared;

import java.util.Map;

/**
 * A validated page request: {@code page} from 0, {@code size} from 1 to {@link #MAX_SIZE}.
 *
 * @param page zero-based page number
 * @param size rows per page
 */
public record PageRequest(int page, int size) {

  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = 200;

  public PageRequest {
    if (page < 0) {
      throw new InvalidInputException(Map.of("page", "must be 0 or more"));
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new InvalidInputException(Map.of("size", "must be between 1 and " + MAX_SIZE));
    }
  }

  /** Builds a request from optional query parameters, applying the defaults. */
  public static PageRequest of(Integer page, Integer size) {
    return new PageRequest(page == null ? 0 : page, size == null ? DEFAULT_SIZE : size);
  }

  public long offset() {
    return (long) page * size;
  }
}
