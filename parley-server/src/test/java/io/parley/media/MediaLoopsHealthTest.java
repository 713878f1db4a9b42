package io.parley.media;

import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Readiness reports an overloaded node as DEGRADED with HTTP 200, liveness never mentions it; the
 * load comes from a stand-in {@link MediaLoad}, as a real overload would on this shared machine
 * only by chance.
 */
@DbTest
class MediaLoopsHealthTest {

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @MockitoBean MediaLoad load;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    given(load.loops())
        .willReturn(
            List.of(
                new MediaLoad.LoopLoad(0, Duration.ofMillis(3), 0.25),
                new MediaLoad.LoopLoad(1, Duration.ofMillis(140), Double.NaN)));
  }

  @Test
  void aNodeKeepingTimeIsReady() throws Exception {
    mvc.perform(get("/actuator/health/readiness"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"));
  }

  @Test
  void anOverloadedNodeIsDegradedWithStatus200AndStillLive() throws Exception {
    given(load.overloaded()).willReturn(true);

    mvc.perform(get("/actuator/health/readiness"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("DEGRADED"));
    mvc.perform(get("/actuator/health/liveness"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"));
    mvc.perform(get("/actuator/health"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("DEGRADED"));
  }

  @Test
  void administratorsSeeEachLoopsLagAndBusyShare() throws Exception {
    given(load.overloaded()).willReturn(true);
    Accounts.Session admin = new Accounts(mvc).firstAdmin();

    mvc.perform(get("/actuator/health/readiness").with(admin.bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.components.mediaLoops.status").value("DEGRADED"))
        .andExpect(jsonPath("$.components.mediaLoops.details['loop-0'].lagMillis").value(3.0))
        .andExpect(jsonPath("$.components.mediaLoops.details['loop-0'].busy").value(0.25))
        .andExpect(jsonPath("$.components.mediaLoops.details['loop-1'].lagMillis").value(140.0))
        .andExpect(jsonPath("$.components.mediaLoops.details['loop-1'].busy").doesNotExist())
        .andExpect(jsonPath("$.components.readinessState.status").value("UP"))
        // the database is part of readiness (docs/operations.md#health)
        .andExpect(jsonPath("$.components.db.status").value("UP"));
    mvc.perform(get("/actuator/health/liveness").with(admin.bearer()))
        .andExpect(jsonPath("$.components.mediaLoops").doesNotExist())
        .andExpect(jsonPath("$.components.db").doesNotExist())
        .andExpect(jsonPath("$.components.livenessState.status").value("UP"));
  }
}
