package io.parley.web;

import io.parley.shared.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses text holding the NUL character (U+0000) anywhere in a request, with 422 naming each field
 * or parameter. PostgreSQL cannot store NUL in text or JSON (the write failed with a database
 * error); MariaDB stores it, and no caller ever means it. Checked once at the edge, for every JSON
 * body ({@link BodyGuard}) and every query or form parameter ({@link ParameterGuard}), so both
 * databases behave alike.
 */
final class NulCharacters {

  static final String MESSAGE = "must not contain NUL characters";

  private NulCharacters() {}

  /** Each path in {@code tree} (such as {@code tools[0].schema.title}) whose text holds a NUL. */
  static Map<String, String> find(JsonNode tree) {
    Map<String, String> errors = new LinkedHashMap<>();
    walk(tree, "", errors);
    return errors;
  }

  private static void walk(JsonNode node, String path, Map<String, String> errors) {
    if (node.isString()) {
      if (hasNul(node.asString())) {
        errors.put(path.isEmpty() ? "body" : path, MESSAGE);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String child = (path.isEmpty() ? "" : path + ".") + printable(field.getKey());
        if (hasNul(field.getKey())) {
          errors.put(child, MESSAGE);
        }
        walk(field.getValue(), child, errors);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  static boolean hasNul(String text) {
    return text != null && text.indexOf('\0') >= 0;
  }

  /** A name as it can be shown in a problem detail: the NUL spelled out. */
  static String printable(String name) {
    return name.replace("\0", "\\u0000");
  }

  /** Checks every JSON request body once it is read, whatever it was read into. */
  @ControllerAdvice
  static final class BodyGuard extends RequestBodyAdviceAdapter {

    private final JsonMapper json;

    BodyGuard(JsonMapper json) {
      this.json = json;
    }

    @Override
    public boolean supports(
        MethodParameter parameter,
        Type targetType,
        Class<? extends HttpMessageConverter<?>> converterType) {
      return JacksonJsonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public Object afterBodyRead(
        Object body,
        HttpInputMessage inputMessage,
        MethodParameter parameter,
        Type targetType,
        Class<? extends HttpMessageConverter<?>> converterType) {
      JsonNode tree;
      try {
        tree = body instanceof JsonNode node ? node : json.valueToTree(body);
      } catch (JacksonException unwritable) {
        return body;
      }
      Map<String, String> errors = find(tree);
      if (!errors.isEmpty()) {
        throw new InvalidInputException(errors);
      }
      return body;
    }
  }

  /** Checks the query and form parameters of every request that reaches a controller. */
  static final class ParameterGuard implements HandlerInterceptor {

    @Override
    public boolean preHandle(
        HttpServletRequest request, HttpServletResponse response, Object handler) {
      Map<String, String> errors = new LinkedHashMap<>();
      request
          .getParameterMap()
          .forEach(
              (name, values) -> {
                boolean bad = hasNul(name);
                for (String value : values) {
                  bad |= hasNul(value);
                }
                if (bad) {
                  errors.put(printable(name), MESSAGE);
                }
              });
      if (!errors.isEmpty()) {
        throw new InvalidInputException(errors);
      }
      return true;
    }
  }
}
