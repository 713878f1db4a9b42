package io.parley.web;

import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.LogSafe;
import io.parley.shared.NotFoundException;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into an RFC 9457 problem detail with a clear message. Validation problems
 * list each bad field under {@code errors}; nothing ever returns a stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  @ExceptionHandler(NotFoundException.class)
  ProblemDetail notFound(NotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
  }

  @ExceptionHandler(ConflictException.class)
  ProblemDetail conflict(ConflictException e) {
    return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
  }

  @ExceptionHandler(OptimisticLockingFailureException.class)
  ProblemDetail staleWrite(OptimisticLockingFailureException e) {
    return problem(
        HttpStatus.CONFLICT, "Conflict", "Someone else changed this object first; reload it.");
  }

  @ExceptionHandler(DataIntegrityViolationException.class)
  ProblemDetail integrity(DataIntegrityViolationException e) {
    log.info(
        "Rejected a write that breaks a database constraint: {}",
        LogSafe.text(e.getMostSpecificCause()));
    return problem(
        HttpStatus.CONFLICT, "Conflict", "The change collides with existing data (a duplicate?).");
  }

  @ExceptionHandler(InvalidInputException.class)
  ProblemDetail invalid(InvalidInputException e) {
    ProblemDetail problem =
        problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid input", e.getMessage());
    problem.setProperty("errors", e.fieldErrors());
    return problem;
  }

  @ExceptionHandler(ConstraintViolationException.class)
  ProblemDetail constraintViolation(ConstraintViolationException e) {
    Map<String, String> errors = new LinkedHashMap<>();
    e.getConstraintViolations()
        .forEach(v -> errors.put(lastNode(v.getPropertyPath().toString()), v.getMessage()));
    return invalid(new InvalidInputException(errors));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
    ProblemDetail problem =
        problem(
            HttpStatus.BAD_REQUEST,
            "Bad request",
            "Parameter '" + e.getName() + "' has an invalid value");
    problem.setProperty("errors", Map.of(e.getName(), "has an invalid value"));
    return problem;
  }

  // Security exceptions thrown inside controllers/services (method security) land here rather
  // than in the filter chain's entry point.
  @ExceptionHandler(AccessDeniedException.class)
  ProblemDetail accessDenied(AccessDeniedException e) {
    return problem(HttpStatus.FORBIDDEN, "Forbidden", "Your role does not allow this operation.");
  }

  @ExceptionHandler(AuthenticationException.class)
  ProblemDetail unauthenticated(AuthenticationException e) {
    return problem(HttpStatus.UNAUTHORIZED, "Unauthorized", "Sign in first.");
  }

  /**
   * A body that claims to be multipart but cannot be parsed (no boundary, an empty one, garbage).
   * The container parses it before any handler is chosen, on any path, so this is the client's
   * mistake wherever it lands: one line in the debug log, never a stack trace.
   */
  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ProblemDetail> malformedMultipart(MultipartException e) {
    if (e instanceof MaxUploadSizeExceededException) {
      return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
          .body(
              problem(
                  HttpStatus.CONTENT_TOO_LARGE,
                  "Content too large",
                  "The multipart body is larger than this server accepts."));
    }
    log.debug("Refused a malformed multipart body: {}", e.getMostSpecificCause().toString());
    return ResponseEntity.badRequest()
        .body(
            problem(
                HttpStatus.BAD_REQUEST,
                "Malformed request body",
                "The body is declared multipart but cannot be read as such (check the"
                    + " boundary); the API takes application/json."));
  }

  /**
   * Query or form parameters the container cannot decode (a stray {@code %}, an invalid escape):
   * Tomcat throws when they are first read. The client's mistake: one debug line.
   */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ProblemDetail> undecodableParameters(InvalidParameterException e) {
    log.debug("Refused undecodable parameters: {}", LogSafe.text(e.getMessage()));
    return ResponseEntity.badRequest()
        .body(
            problem(
                HttpStatus.BAD_REQUEST,
                "Bad request",
                "The query or form parameters cannot be decoded (a stray % or an invalid"
                    + " escape)."));
  }

  /**
   * Spring Security's firewall refuses what it reads lazily (a parameter name with control
   * characters in a form body, say) when a controller or interceptor first reads it.
   */
  @ExceptionHandler(RequestRejectedException.class)
  ResponseEntity<ProblemDetail> firewall(RequestRejectedException e) {
    log.debug("The firewall refused a request: {}", LogSafe.text(e.getMessage()));
    return ResponseEntity.badRequest()
        .body(
            problem(
                HttpStatus.BAD_REQUEST,
                "Bad request",
                "The request is malformed (check the path, headers and body)."));
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("Unexpected failure", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "Internal error",
        "Something went wrong on our side; it has been logged.");
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Map<String, String> errors = new LinkedHashMap<>();
    e.getBindingResult()
        .getFieldErrors()
        .forEach(error -> errors.putIfAbsent(error.getField(), error.getDefaultMessage()));
    e.getBindingResult()
        .getGlobalErrors()
        .forEach(error -> errors.putIfAbsent(error.getObjectName(), error.getDefaultMessage()));
    return ResponseEntity.unprocessableContent().body(invalid(new InvalidInputException(errors)));
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Map<String, String> errors = new LinkedHashMap<>();
    e.getParameterValidationResults()
        .forEach(
            result ->
                result
                    .getResolvableErrors()
                    .forEach(
                        error ->
                            errors.putIfAbsent(
                                result.getMethodParameter().getParameterName(),
                                error.getDefaultMessage())));
    return ResponseEntity.unprocessableContent().body(invalid(new InvalidInputException(errors)));
  }

  /**
   * A body that is not JSON, or not the JSON object expected, is 400. Well-formed JSON with a field
   * of the wrong type, an unknown field or a wrong enum value is 422 naming the field, like every
   * other rule: types are strict ({@link io.parley.shared.StrictJson}).
   */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
        String field = jsonPath(mismatch.getPath());
        return ResponseEntity.unprocessableContent()
            .body(invalid(new InvalidInputException(field, wrongValueMessage(mismatch))));
      }
    }
    return ResponseEntity.badRequest()
        .body(
            problem(
                HttpStatus.BAD_REQUEST,
                "Malformed request body",
                "The request body is missing or is not valid JSON of the expected shape."));
  }

  private static String wrongValueMessage(MismatchedInputException mismatch) {
    if (mismatch instanceof UnrecognizedPropertyException) {
      return "is not a known field";
    }
    Class<?> target = mismatch.getTargetType();
    if (target != null && target.isEnum()) {
      return "must be one of "
          + Arrays.stream(target.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    return target == null ? "has an invalid value" : "must be " + expected(target);
  }

  /** The JSON a field of this type takes, in words. */
  private static String expected(Class<?> target) {
    if (target == String.class) {
      return "text";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    if (target == Integer.class
        || target == int.class
        || target == Long.class
        || target == long.class
        || target == Short.class
        || target == short.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
      return "a number";
    }
    if (target == java.util.UUID.class) {
      return "an id (UUID)";
    }
    if (java.util.Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(target) || target.isRecord()) {
      return "an object";
    }
    return "a " + target.getSimpleName();
  }

  private static String jsonPath(List<JacksonException.Reference> path) {
    StringBuilder text = new StringBuilder();
    for (JacksonException.Reference reference : path) {
      if (reference.getPropertyName() != null) {
        text.append(text.isEmpty() ? "" : ".").append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        text.append('[').append(reference.getIndex()).append(']');
      }
    }
    return text.toString();
  }

  private static String lastNode(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }

  static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("about:blank"));
    return problem;
  }
}
