package io.parley.compliance;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code PARLEY_CALLING_WINDOW} (default {@code 08:00-21:00}, the federal TCPA hours): when
 * outbound calls may ring, in the callee's local time. Parsed while the application starts, so a
 * typo stops the start with a message instead of silently allowing calls at night.
 */
@ConfigurationProperties("parley")
record CallingWindowProperties(String callingWindow) {

  static final String DEFAULT = "08:00-21:00";

  CallingWindowProperties {
    callingWindow = callingWindow == null ? DEFAULT : callingWindow;
    WindowHours.parse(callingWindow);
  }

  WindowHours hours() {
    return WindowHours.parse(callingWindow);
  }
}
