package io.parley.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.parley.shared.AuditEvent;
import io.parley.shared.Organisations;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

@DbTest
@RecordApplicationEvents
class PromptApiTest {

  private static final UUID USER = UUID.fromString("11111111-2222-3333-4444-555555555555");
  private static final String HINDI =
      "नमस्ते {{naam}}! मैं {{agent_name}} बोल रही हूँ। आपका ऑर्डर {{shahar}} पहुँच गया है।";

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired ApplicationEvents events;
  @Autowired PromptCatalog catalog;

  @BeforeEach
  void clean() {
    DatabaseCleaner.clean(dataSource);
  }

  private static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "op@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_" + role));
  }

  private static MockHttpServletRequestBuilder json(
      MockHttpServletRequestBuilder request, String body) {
    return request.contentType(MediaType.APPLICATION_JSON).characterEncoding("UTF-8").content(body);
  }

  private String create(String body) throws Exception {
    String response =
        mvc.perform(json(post("/api/prompts"), body).with(as("OPERATOR")))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    return JsonPath.read(response, "$.id");
  }

  private String createSimple() throws Exception {
    return create(
        """
        {"name": "Renewal", "content": "Hello {{first_name}}\\nline two\\n",
         "variables": [{"name": "first_name", "required": true}], "note": "first"}
        """);
  }

  private String edit(String id, int base, String content) throws Exception {
    return mvc.perform(
            json(
                    put("/api/prompts/" + id),
                    "{\"baseVersion\": " + base + ", \"content\": \"" + content + "\"}")
                .with(as("OPERATOR")))
        .andReturn()
        .getResponse()
        .getContentAsString(StandardCharsets.UTF_8);
  }

  @Test
  void createsAPromptAtVersionOneAndReadsItBack() throws Exception {
    String response =
        mvc.perform(
                json(
                        post("/api/prompts"),
                        """
                        {"name": " Renewal call ", "description": "Yearly renewal",
                         "content": "Hi {{first_name}}, this is {{agent_name}}.",
                         "variables": [{"name": "first_name", "required": true,
                                        "description": "Lead's first name"}],
                         "note": "first draft"}
                        """)
                    .with(as("OPERATOR")))
            .andExpect(status().isCreated())
            .andExpect(header().string("Location", startsWith("/api/prompts/")))
            .andExpect(jsonPath("$.name").value("Renewal call"))
            .andExpect(jsonPath("$.version").value(1))
            .andExpect(jsonPath("$.versionNote").value("first draft"))
            .andExpect(jsonPath("$.createdById").value(USER.toString()))
            .andExpect(jsonPath("$.createdByEmail").value("op@example.com"))
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    String id = JsonPath.read(response, "$.id");

    mvc.perform(get("/api/prompts/" + id).with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.content").value("Hi {{first_name}}, this is {{agent_name}}."))
        .andExpect(jsonPath("$.variables[0].name").value("first_name"))
        .andExpect(jsonPath("$.variables[0].required").value(true))
        .andExpect(jsonPath("$.variables[0].description").value("Lead's first name"))
        .andExpect(jsonPath("$.description").value("Yearly renewal"));
    mvc.perform(get("/api/prompts").with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].id").value(id))
        .andExpect(jsonPath("$.items[0].version").value(1))
        .andExpect(jsonPath("$.items[0].content").doesNotExist());
    assertThat(catalog.exists(Organisations.DEFAULT_ID, UUID.fromString(id))).isTrue();
    assertThat(catalog.currentVersion(Organisations.DEFAULT_ID, UUID.fromString(id))).contains(1);
  }

  @Test
  void listsPagesAndSearchesByNameOrDescription() throws Exception {
    create("{\"name\": \"Alpha 100%\", \"content\": \"a\"}");
    create("{\"name\": \"Beta\", \"description\": \"Collections ALPHA\", \"content\": \"b\"}");
    create("{\"name\": \"Gamma\", \"content\": \"c\"}");
    create("{\"name\": \"वसूली\", \"content\": \"d\"}");

    mvc.perform(get("/api/prompts").param("q", "alpha").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(2));
    mvc.perform(get("/api/prompts").param("q", "100%").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].name").value("Alpha 100%"));
    mvc.perform(get("/api/prompts").param("q", "_").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(0));
    mvc.perform(get("/api/prompts").param("q", "वसू").with(as("VIEWER")))
        .andExpect(jsonPath("$.items[0].name").value("वसूली"));
    mvc.perform(get("/api/prompts").param("size", "3").param("page", "1").with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(4))
        .andExpect(jsonPath("$.page").value(1))
        .andExpect(jsonPath("$.items.length()").value(1));
  }

  @Test
  void everyEditMakesAnImmutableVersionAndStaleEditsConflict() throws Exception {
    String id = createSimple();

    mvc.perform(
            json(
                    put("/api/prompts/" + id),
                    """
                    {"baseVersion": 1, "name": "Renewal v2", "content": "Hello {{first_name}} {{plan}}\\nline two\\n",
                     "variables": [{"name": "first_name", "required": true},
                                   {"name": "plan", "required": false, "defaultValue": "gold"}],
                     "note": "mention the plan"}
                    """)
                .with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.version").value(2))
        .andExpect(jsonPath("$.name").value("Renewal v2"))
        .andExpect(jsonPath("$.variables.length()").value(2));

    mvc.perform(
            json(put("/api/prompts/" + id), "{\"baseVersion\": 1, \"content\": \"late\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail", containsString("current version is 2")));

    // Omitted variables carry over from the current version.
    mvc.perform(
            json(
                    put("/api/prompts/" + id),
                    "{\"baseVersion\": 2, \"content\": \"Bye {{first_name}} {{plan}}\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.version").value(3))
        .andExpect(jsonPath("$.name").value("Renewal v2"))
        .andExpect(jsonPath("$.variables[1].defaultValue").value("gold"));

    mvc.perform(get("/api/prompts/" + id + "/versions").with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.total").value(3))
        .andExpect(jsonPath("$.items[0].number").value(3))
        .andExpect(jsonPath("$.items[1].note").value("mention the plan"))
        .andExpect(jsonPath("$.items[2].number").value(1))
        .andExpect(jsonPath("$.items[2].authorEmail").value("op@example.com"));
    mvc.perform(
            get("/api/prompts/" + id + "/versions")
                .param("size", "1")
                .param("page", "2")
                .with(as("VIEWER")))
        .andExpect(jsonPath("$.items[0].number").value(1));
    mvc.perform(get("/api/prompts/" + id + "/versions/1").with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.number").value(1))
        .andExpect(jsonPath("$.content").value("Hello {{first_name}}\nline two\n"))
        .andExpect(jsonPath("$.note").value("first"))
        .andExpect(jsonPath("$.variables.length()").value(1));
    assertThat(catalog.hasVersion(Organisations.DEFAULT_ID, UUID.fromString(id), 3)).isTrue();
    assertThat(catalog.hasVersion(Organisations.DEFAULT_ID, UUID.fromString(id), 4)).isFalse();
  }

  @Test
  void diffsTwoVersions() throws Exception {
    String id = createSimple();
    edit(id, 1, "Hello {{first_name}}\\nline 2\\nline three\\n");

    mvc.perform(
            get("/api/prompts/" + id + "/diff")
                .param("from", "1")
                .param("to", "2")
                .with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.from").value(1))
        .andExpect(jsonPath("$.to").value(2))
        .andExpect(jsonPath("$.added").value(2))
        .andExpect(jsonPath("$.removed").value(1))
        .andExpect(jsonPath("$.variablesChanged").value(false))
        .andExpect(
            jsonPath("$.unified")
                .value(
                    "--- version 1\n+++ version 2\n@@ -1,2 +1,3 @@\n Hello {{first_name}}\n"
                        + "-line two\n+line 2\n+line three\n"))
        .andExpect(jsonPath("$.hunks[0].lines[1].type").value("removed"))
        .andExpect(jsonPath("$.hunks[0].lines[1].fromLine").value(2))
        .andExpect(jsonPath("$.hunks[0].lines[1].toLine").doesNotExist());
    mvc.perform(
            get("/api/prompts/" + id + "/diff")
                .param("from", "2")
                .param("to", "2")
                .with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.unified").value(""))
        .andExpect(jsonPath("$.hunks.length()").value(0));
  }

  @Test
  void rendersAVersionWithLeadDataDefaultsAndBuiltIns() throws Exception {
    String id =
        create(
            """
            {"name": "Greeting", "content": "Hi {{first_name}} from {{city}}, {{agent_name}} here on {{today}}.",
             "variables": [{"name": "first_name", "required": true},
                           {"name": "city", "required": false, "defaultValue": "your city"}]}
            """);

    mvc.perform(
            json(
                    post("/api/prompts/" + id + "/versions/1/render"),
                    """
                    {"variables": {"first_name": "Asha {{city}}", "unused_column": "x"},
                     "agentName": "Maya", "timeZone": "Asia/Kolkata"}
                    """)
                .with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.version").value(1))
        .andExpect(jsonPath("$.timeZone").value("Asia/Kolkata"))
        .andExpect(jsonPath("$.timeZoneSource").value("request"))
        .andExpect(
            jsonPath("$.text", startsWith("Hi Asha { {city}} from your city, Maya here on ")))
        .andExpect(jsonPath("$.text", not(containsString("{{"))));

    mvc.perform(
            json(post("/api/prompts/" + id + "/versions/1/render"), "{\"variables\": {}}")
                .with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors['variables.first_name']").value("is required"))
        .andExpect(
            jsonPath("$.errors.agentName").value("is required: the prompt uses {{agent_name}}"));

    mvc.perform(
            json(
                    post("/api/prompts/" + id + "/versions/1/render"),
                    """
                    {"variables": {"first_name": "A"}, "agentName": "M", "timeZone": "Asia/Bombay2",
                     "calleePhone": "98123"}
                    """)
                .with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.timeZone").exists())
        .andExpect(jsonPath("$.errors.calleePhone").exists());

    mvc.perform(
            json(
                    post("/api/prompts/" + id + "/versions/1/render"),
                    """
                    {"variables": {"first_name": "A"}, "agentName": "M",
                     "calleePhone": "+919812345678", "agentTimeZone": "Europe/Berlin"}
                    """)
                .with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.timeZoneSource").value("callee_phone"));
  }

  @Test
  void hindiContentAndValuesRoundTripExactly() throws Exception {
    String id =
        create(
            """
            {"name": "हिंदी अभिवादन", "description": "ग्राहक से बात",
             "content": "%s",
             "variables": [{"name": "naam", "required": true, "description": "ग्राहक का नाम"},
                           {"name": "shahar", "required": false, "defaultValue": "आपके शहर"}],
             "note": "पहला संस्करण"}
            """
                .formatted(HINDI));

    mvc.perform(get("/api/prompts/" + id).with(as("VIEWER")))
        .andExpect(jsonPath("$.name").value("हिंदी अभिवादन"))
        .andExpect(jsonPath("$.description").value("ग्राहक से बात"))
        .andExpect(jsonPath("$.content").value(HINDI))
        .andExpect(jsonPath("$.versionNote").value("पहला संस्करण"))
        .andExpect(jsonPath("$.variables[0].description").value("ग्राहक का नाम"))
        .andExpect(jsonPath("$.variables[1].defaultValue").value("आपके शहर"));
    assertThat(
            catalog
                .findVersion(Organisations.DEFAULT_ID, UUID.fromString(id), 1)
                .orElseThrow()
                .content())
        .isEqualTo(HINDI);

    mvc.perform(
            json(
                    post("/api/prompts/" + id + "/versions/1/render"),
                    """
                    {"variables": {"naam": "प्रिया 🙏", "shahar": "वाराणसी"}, "agentName": "सीमा"}
                    """)
                .with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(
            jsonPath("$.text")
                .value("नमस्ते प्रिया 🙏! मैं सीमा बोल रही हूँ। आपका ऑर्डर वाराणसी पहुँच गया है।"));
  }

  @Test
  void softDeleteHidesThePromptButKeepsItsVersions() throws Exception {
    String id = createSimple();
    edit(id, 1, "second");

    mvc.perform(delete("/api/prompts/" + id).with(as("OPERATOR")))
        .andExpect(status().isForbidden());
    mvc.perform(delete("/api/prompts/" + id).with(as("SUPERVISOR")))
        .andExpect(status().isNoContent());

    mvc.perform(get("/api/prompts/" + id).with(as("VIEWER"))).andExpect(status().isNotFound());
    mvc.perform(delete("/api/prompts/" + id).with(as("SUPERVISOR")))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/prompts/" + id + "/versions").with(as("VIEWER")))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/prompts/" + id + "/versions/1").with(as("VIEWER")))
        .andExpect(status().isNotFound());
    mvc.perform(json(post("/api/prompts/" + id + "/versions/1/render"), "{}").with(as("VIEWER")))
        .andExpect(status().isNotFound());
    mvc.perform(
            json(put("/api/prompts/" + id), "{\"baseVersion\": 2, \"content\": \"x\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/prompts").with(as("VIEWER"))).andExpect(jsonPath("$.total").value(0));

    UUID promptId = UUID.fromString(id);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM prompt_version WHERE prompt_id = ?")
                .param(promptId)
                .query(Long.class)
                .single())
        .isEqualTo(2);
    assertThat(catalog.exists(Organisations.DEFAULT_ID, promptId)).isFalse();
    assertThat(catalog.hasVersion(Organisations.DEFAULT_ID, promptId, 1)).isFalse();
    assertThat(catalog.findVersion(Organisations.DEFAULT_ID, promptId, 2))
        .hasValueSatisfying(v -> assertThat(v.content()).isEqualTo("second"));
  }

  @Test
  void namesAreUniqueAmongLivePromptsIgnoringCase() throws Exception {
    String first = create("{\"name\": \"Renewal\", \"content\": \"a\"}");
    String other = create("{\"name\": \"Collections\", \"content\": \"b\"}");

    mvc.perform(
            json(post("/api/prompts"), "{\"name\": \"renewal \", \"content\": \"c\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail", containsString("renewal")));
    mvc.perform(
            json(
                    put("/api/prompts/" + other),
                    "{\"baseVersion\": 1, \"name\": \"RENEWAL\", \"content\": \"b\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isConflict());
    // Keeping one's own name (in another case) is fine.
    mvc.perform(
            json(
                    put("/api/prompts/" + first),
                    "{\"baseVersion\": 1, \"name\": \"RENEWAL\", \"content\": \"a2\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isOk());

    mvc.perform(delete("/api/prompts/" + first).with(as("SUPERVISOR")))
        .andExpect(status().isNoContent());
    create("{\"name\": \"Renewal\", \"content\": \"again\"}");
  }

  @Test
  void publishesAuditEventsWithVersionNumbers() throws Exception {
    String id = createSimple();
    edit(id, 1, "v2");
    mvc.perform(delete("/api/prompts/" + id).with(as("SUPERVISOR")))
        .andExpect(status().isNoContent());

    List<AuditEvent> audit = events.stream(AuditEvent.class).toList();
    assertThat(audit)
        .extracting(AuditEvent::action)
        .containsExactly("prompt.created", "prompt.updated", "prompt.deleted");
    assertThat(audit)
        .allSatisfy(
            e -> {
              assertThat(e.actorId()).isEqualTo(USER);
              assertThat(e.actorEmail()).isEqualTo("op@example.com");
              assertThat(e.targetType()).isEqualTo("prompt");
              assertThat(e.targetId()).isEqualTo(id);
            });
    assertThat(audit.get(0).details()).containsEntry("version", 1);
    assertThat(audit.get(1).details()).containsEntry("fromVersion", 1).containsEntry("version", 2);
    assertThat(audit.get(2).details()).containsEntry("version", 2);
  }

  @Test
  void failedWritesPublishNothingAndChangeNothing() throws Exception {
    String id = createSimple();
    events.clear();

    mvc.perform(
            json(put("/api/prompts/" + id), "{\"baseVersion\": 1, \"content\": \"{{oops}}\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent());
    mvc.perform(
            json(put("/api/prompts/" + id), "{\"baseVersion\": 7, \"content\": \"x\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isConflict());

    assertThat(events.stream(AuditEvent.class)).isEmpty();
    mvc.perform(get("/api/prompts/" + id).with(as("VIEWER")))
        .andExpect(jsonPath("$.version").value(1));
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM prompt_version WHERE prompt_id = ?")
                .param(UUID.fromString(id))
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void rejectsBadInputOnCreate() throws Exception {
    mvc.perform(
            json(post("/api/prompts"), "{\"name\": \"\", \"content\": \" \"}").with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.name").value("must not be blank"))
        .andExpect(jsonPath("$.errors.content").value("must not be blank"));
    mvc.perform(
            json(post("/api/prompts"), "{\"name\": \"n\", \"content\": \"Hi {{first_name}}\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors.content", startsWith("uses undeclared variables: first_name")));
    mvc.perform(
            json(post("/api/prompts"), "{\"name\": \"n\", \"content\": \"Hi {{first_name\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.content", containsString("without a closing")));
    mvc.perform(
            json(
                    post("/api/prompts"),
                    """
                    {"name": "n", "content": "x",
                     "variables": [{"name": "today"}, {"name": "plan", "required": true, "defaultValue": "g"}]}
                    """)
                .with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors['variables[0].name']", containsString("built in")))
        .andExpect(jsonPath("$.errors['variables[1].defaultValue']").exists());
    mvc.perform(json(post("/api/prompts"), "{\"name\": ").with(as("OPERATOR")))
        .andExpect(status().isBadRequest());
    mvc.perform(
            json(post("/api/prompts"), "{\"name\": \"n\", \"content\": \"x\"}").with(as("VIEWER")))
        .andExpect(status().isForbidden());
    mvc.perform(json(post("/api/prompts"), "{\"name\": \"n\", \"content\": \"x\"}"))
        .andExpect(status().isUnauthorized());
    mvc.perform(get("/api/prompts").with(as("VIEWER"))).andExpect(jsonPath("$.total").value(0));
  }

  @Test
  void rejectsBadInputOnReadsEditsDiffsAndRenders() throws Exception {
    String id = createSimple();
    String unknown = UUID.randomUUID().toString();

    mvc.perform(get("/api/prompts").param("size", "0").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.size").exists());
    mvc.perform(get("/api/prompts").param("page", "x").with(as("VIEWER")))
        .andExpect(status().isBadRequest());
    mvc.perform(get("/api/prompts/not-a-uuid").with(as("VIEWER")))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors.id").exists());
    mvc.perform(get("/api/prompts/" + unknown).with(as("VIEWER"))).andExpect(status().isNotFound());

    mvc.perform(json(put("/api/prompts/" + id), "{\"content\": \"x\"}").with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.baseVersion").exists());
    mvc.perform(
            json(put("/api/prompts/" + id), "{\"baseVersion\": 1, \"name\": \" \"}")
                .with(as("OPERATOR")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.name").exists())
        .andExpect(jsonPath("$.errors.content").exists());
    mvc.perform(json(put("/api/prompts/" + id), "[]").with(as("OPERATOR")))
        .andExpect(status().isBadRequest());
    mvc.perform(
            json(put("/api/prompts/" + unknown), "{\"baseVersion\": 1, \"content\": \"x\"}")
                .with(as("OPERATOR")))
        .andExpect(status().isNotFound());
    mvc.perform(
            json(put("/api/prompts/" + id), "{\"baseVersion\": 1, \"content\": \"x\"}")
                .with(as("VIEWER")))
        .andExpect(status().isForbidden());

    mvc.perform(get("/api/prompts/" + id + "/versions").param("page", "-1").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.page").exists());
    mvc.perform(get("/api/prompts/" + id + "/versions/2").with(as("VIEWER")))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/prompts/" + id + "/versions/two").with(as("VIEWER")))
        .andExpect(status().isBadRequest());

    mvc.perform(get("/api/prompts/" + id + "/diff").param("from", "1").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.to").value("is required"));
    mvc.perform(
            get("/api/prompts/" + id + "/diff")
                .param("from", "0")
                .param("to", "9")
                .with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.from").exists())
        .andExpect(jsonPath("$.errors.to").exists());
    mvc.perform(
            get("/api/prompts/" + id + "/diff")
                .param("from", "a")
                .param("to", "1")
                .with(as("VIEWER")))
        .andExpect(status().isBadRequest());
    mvc.perform(
            get("/api/prompts/" + unknown + "/diff")
                .param("from", "1")
                .param("to", "1")
                .with(as("VIEWER")))
        .andExpect(status().isNotFound());

    mvc.perform(json(post("/api/prompts/" + id + "/versions/5/render"), "{}").with(as("VIEWER")))
        .andExpect(status().isNotFound());
    mvc.perform(
            json(post("/api/prompts/" + id + "/versions/1/render"), "{\"variables\": [1]}")
                .with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.variables").value("must be an object"));
    mvc.perform(json(post("/api/prompts/" + id + "/versions/1/render"), "{\"variables\": {}}"))
        .andExpect(status().isUnauthorized());
  }

  @Test
  void concurrentEditsFromTheSameVersionLetExactlyOneWin(@Autowired PromptService service)
      throws Exception {
    UUID id = UUID.fromString(createSimple());
    io.parley.shared.Actor actor = new io.parley.shared.Actor(USER, "op@example.com");
    int writers = 6;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<String>> outcomes = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(writers)) {
      for (int i = 0; i < writers; i++) {
        String content = "edit " + i;
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    service.update(
                        Organisations.DEFAULT_ID,
                        actor,
                        id,
                        new PromptService.PromptEdit(1, null, null, content, null, null));
                    return "won";
                  } catch (io.parley.shared.ConflictException e) {
                    // The loser must be told the version that actually won.
                    return e.getMessage().contains("current version is 2")
                        ? "conflict"
                        : e.getMessage();
                  }
                }));
      }
      start.countDown();
      List<String> results = new java.util.ArrayList<>();
      for (var outcome : outcomes) {
        results.add(outcome.get());
      }
      assertThat(results).containsOnlyOnce("won").hasSize(writers);
      assertThat(results).filteredOn("conflict"::equals).hasSize(writers - 1);
    }
    assertThat(catalog.currentVersion(Organisations.DEFAULT_ID, id)).contains(2);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM prompt_version WHERE prompt_id = ?")
                .param(id)
                .query(Long.class)
                .single())
        .isEqualTo(2);
  }

  @Test
  void catalogRendersForCalls() throws Exception {
    UUID id = UUID.fromString(createSimple());

    RenderedPrompt rendered =
        catalog.render(
            Organisations.DEFAULT_ID, id, 1, RenderInput.of(Map.of("first_name", "Ira")));

    assertThat(rendered.text()).isEqualTo("Hello Ira\nline two\n");
    assertThat(rendered.promptId()).isEqualTo(id);
  }
}
