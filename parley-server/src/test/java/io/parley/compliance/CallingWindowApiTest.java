package io.parley.compliance;

import static io.parley.compliance.DncApiTest.as;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.Callees;
import io.parley.support.DbTest;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The endpoint runs on the real clock, so each test picks a fixed-offset zone (Etc/GMT±N) where it
 * is now mid-day or the middle of the night, well away from the window's edges.
 */
@DbTest
class CallingWindowApiTest {

  private static final String FREEPHONE = "+80012345678";

  @Autowired MockMvc mvc;

  @Test
  void allowsWhenItIsMidDayInTheNamedZone() throws Exception {
    // An international freephone number has no zone of its own: the named one decides.
    String zone = zoneWhereTheHourIsBetween(11, 17);
    mvc.perform(
            get("/api/calling-window/check")
                .param("phoneNumber", FREEPHONE)
                .param("timeZone", zone)
                .with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.allowed").value(true))
        .andExpect(jsonPath("$.verdict").value("allowed"))
        .andExpect(jsonPath("$.zoneSource").value("request"))
        .andExpect(jsonPath("$.zone").value(zone))
        .andExpect(jsonPath("$.window").value("08:00-21:00"))
        .andExpect(jsonPath("$.localTime").exists())
        .andExpect(jsonPath("$.nextAllowedAt").exists());
  }

  @Test
  void refusesAtNightAndSaysWhenToTryAgain() throws Exception {
    String zone = zoneWhereTheHourIsBetween(1, 5);
    mvc.perform(
            get("/api/calling-window/check")
                .param("phoneNumber", FREEPHONE)
                .param("timeZone", zone)
                .with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.allowed").value(false))
        .andExpect(jsonPath("$.verdict").value("outside_window"))
        .andExpect(jsonPath("$.nextAllowedAt").exists());
  }

  @Test
  void aNamedZoneCannotWidenTheWindowOfTheNumbersOwn() throws Exception {
    mvc.perform(
            get("/api/calling-window/check")
                .param("phoneNumber", Callees.atNight(23))
                .param("timeZone", zoneWhereTheHourIsBetween(11, 17))
                .with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.allowed").value(false))
        .andExpect(jsonPath("$.verdict").value("outside_window"))
        .andExpect(jsonPath("$.zoneSource").value("phone_number_and_request"))
        .andExpect(jsonPath("$.zonesChecked.length()").value(2));
  }

  @Test
  void aNumberWithoutAZoneNeedsOneNamed() throws Exception {
    mvc.perform(
            get("/api/calling-window/check")
                .param("phoneNumber", "+80012345678")
                .with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.allowed").value(false))
        .andExpect(jsonPath("$.verdict").value("zone_unknown"))
        .andExpect(jsonPath("$.zone").doesNotExist())
        .andExpect(jsonPath("$.nextAllowedAt").doesNotExist());
  }

  @Test
  void refusesBadInputNamingTheField() throws Exception {
    mvc.perform(get("/api/calling-window/check").with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").exists());
    mvc.perform(
            get("/api/calling-window/check").param("phoneNumber", "555-0123").with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.phoneNumber").exists());
    mvc.perform(
            get("/api/calling-window/check")
                .param("phoneNumber", "+14155550123")
                .param("timeZone", "EST5")
                .with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.timeZone").exists());
  }

  @Test
  void needsTheOperatorRole() throws Exception {
    mvc.perform(
            get("/api/calling-window/check")
                .param("phoneNumber", "+14155550123")
                .with(as("VIEWER")))
        .andExpect(status().isForbidden());
    mvc.perform(get("/api/calling-window/check").param("phoneNumber", "+14155550123"))
        .andExpect(status().isUnauthorized());
  }

  @Test
  void theApiDocumentDescribesTheCsvImportAndTheChecks() throws Exception {
    mvc.perform(get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(
            jsonPath("$.paths['/api/dnc/import'].post.requestBody.content['text/csv']").exists())
        .andExpect(jsonPath("$.paths['/api/dnc/check'].get").exists())
        .andExpect(jsonPath("$.paths['/api/calling-window/check'].get").exists());
  }

  private static String zoneWhereTheHourIsBetween(int from, int to) {
    Instant now = Instant.now();
    for (int offset = -12; offset <= 14; offset++) {
      // Etc/GMT+5 is UTC-5: the sign is inverted (POSIX style).
      String name =
          offset == 0 ? "Etc/GMT" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
      int hour = LocalTime.ofInstant(now, ZoneId.of(name)).getHour();
      if (hour >= from && hour <= to) {
        return name;
      }
    }
    throw new IllegalStateException("every hour of the day exists in some Etc/GMT zone");
  }
}
