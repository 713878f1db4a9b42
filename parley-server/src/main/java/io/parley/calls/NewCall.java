package io.parley.calls;

import io.parley.shared.Actor;
import io.parley.shared.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An attempt to record before anything is dialled (outbound) or answered (inbound). Built with
 * {@link #builder}; the shape is checked here and every problem is reported by field name, so the
 * API that creates calls can pass the errors straight back as 422.
 *
 * @param organisationId whose call this is
 * @param direction inbound or outbound
 * @param fromNumber the calling party as Twilio names it (E.164, {@code client:…}, {@code
 *     anonymous})
 * @param toNumber the called party
 * @param agentId the agent handling the call; null when no agent answers the number
 * @param agentSnapshotJson the agent's configuration frozen for this call (JSON object), or null
 * @param promptId the prompt the agent speaks, or null
 * @param promptVersion the concrete prompt version used, or null
 * @param initialStatus a status that is not terminal; {@code queued} for outbound attempts
 * @param twilioCallSid known for inbound calls; outbound calls attach it once Twilio answers
 * @param leadVariablesJson the lead's variables (JSON object), or null
 * @param idempotencyKey a client's key: creating with a key already used returns that call
 * @param createdBy the operator who placed the call, or null for inbound and system calls
 * @param campaignId the campaign this attempt dials for, or null
 * @param leadId the campaign's lead this attempt calls, or null
 * @param safeHarbourMessage what the agent says to a live answer it cannot speak to within 2 s (a
 *     campaign's message, naming the seller, a call-back number and how to opt out), or null
 * @param voicemailMessage what the agent leaves on an answering machine after its beep (outbound
 *     calls whose machine detection waits for the end of the greeting), or null; with a recording,
 *     the text spoken only if the recording is gone when the machine beeps
 * @param voicemailRecording the name of the campaign's voicemail recording the call plays after the
 *     beep instead of any text (campaign attempts only), or null
 */
public record NewCall(
    UUID organisationId,
    CallDirection direction,
    String fromNumber,
    String toNumber,
    UUID agentId,
    String agentSnapshotJson,
    UUID promptId,
    Integer promptVersion,
    CallStatus initialStatus,
    String twilioCallSid,
    String leadVariablesJson,
    String idempotencyKey,
    Actor createdBy,
    UUID campaignId,
    UUID leadId,
    String safeHarbourMessage,
    String voicemailMessage,
    String voicemailRecording) {

  static final Pattern CALL_SID = Pattern.compile("[A-Za-z0-9]{1,64}");
  private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x21-\\x7e]{1,255}");

  public NewCall {
    Map<String, String> errors = new LinkedHashMap<>();
    if (organisationId == null) {
      errors.put("organisationId", "is required");
    }
    if (direction == null) {
      errors.put("direction", "is required: inbound or outbound");
    }
    party("from", fromNumber, errors);
    party("to", toNumber, errors);
    if (agentSnapshotJson != null && agentId == null) {
      errors.put("agentId", "is required with an agent snapshot");
    }
    if (promptVersion != null && promptVersion < 1) {
      errors.put("promptVersion", "must be 1 or more");
    }
    if (promptVersion != null && promptId == null) {
      errors.put("promptId", "is required with a prompt version");
    }
    if (initialStatus == null) {
      initialStatus = CallStatus.QUEUED;
    } else if (initialStatus.terminal()) {
      errors.put("status", "must not be final when the call is created");
    }
    if (twilioCallSid != null && !CALL_SID.matcher(twilioCallSid).matches()) {
      errors.put("callSid", "must be 1 to 64 letters and digits");
    }
    if (idempotencyKey != null && !PRINTABLE_ASCII.matcher(idempotencyKey).matches()) {
      errors.put("idempotencyKey", "must be 1 to 255 printable ASCII characters without spaces");
    }
    if ((campaignId == null) != (leadId == null)) {
      errors.put("leadId", "a campaign attempt names both its campaign and its lead");
    }
    if (voicemailMessage != null
        && (voicemailMessage.isBlank() || voicemailMessage.length() > 1000)) {
      errors.put("voicemailMessage", "must be 1 to 1000 characters to speak");
    }
    if (voicemailRecording != null
        && (campaignId == null
            || voicemailRecording.isBlank()
            || voicemailRecording.length() > 200)) {
      errors.put(
          "voicemailRecording", "must be 1 to 200 characters, naming a campaign's recording");
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private static void party(String field, String number, Map<String, String> errors) {
    if (number == null || number.isBlank()) {
      errors.put(field, "is required");
    } else if (number.length() > 64) {
      errors.put(field, "must be at most 64 characters");
    }
  }

  public static Builder builder(CallDirection direction, String fromNumber, String toNumber) {
    return new Builder(direction, fromNumber, toNumber);
  }

  /** Collects the optional parts of a new call; {@link #build} validates the whole. */
  public static final class Builder {
    private final CallDirection direction;
    private final String fromNumber;
    private final String toNumber;
    private UUID organisationId = io.parley.shared.Organisations.DEFAULT_ID;
    private UUID agentId;
    private String agentSnapshotJson;
    private UUID promptId;
    private Integer promptVersion;
    private CallStatus initialStatus = CallStatus.QUEUED;
    private String twilioCallSid;
    private String leadVariablesJson;
    private String idempotencyKey;
    private Actor createdBy;
    private UUID campaignId;
    private UUID leadId;
    private String safeHarbourMessage;
    private String voicemailMessage;
    private String voicemailRecording;

    private Builder(CallDirection direction, String fromNumber, String toNumber) {
      this.direction = direction;
      this.fromNumber = fromNumber;
      this.toNumber = toNumber;
    }

    public Builder organisation(UUID organisationId) {
      this.organisationId = organisationId;
      return this;
    }

    /** The agent and the snapshot of its configuration the call uses. */
    public Builder agent(UUID agentId, String agentSnapshotJson) {
      this.agentId = agentId;
      this.agentSnapshotJson = agentSnapshotJson;
      return this;
    }

    public Builder prompt(UUID promptId, Integer promptVersion) {
      this.promptId = promptId;
      this.promptVersion = promptVersion;
      return this;
    }

    public Builder status(CallStatus initialStatus) {
      this.initialStatus = initialStatus;
      return this;
    }

    public Builder callSid(String twilioCallSid) {
      this.twilioCallSid = twilioCallSid;
      return this;
    }

    public Builder leadVariables(String leadVariablesJson) {
      this.leadVariablesJson = leadVariablesJson;
      return this;
    }

    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    public Builder createdBy(Actor createdBy) {
      this.createdBy = createdBy;
      return this;
    }

    /** The campaign and lead this attempt dials for. */
    public Builder lead(UUID campaignId, UUID leadId) {
      this.campaignId = campaignId;
      this.leadId = leadId;
      return this;
    }

    /** The message a drop hears (campaign attempts only). */
    public Builder safeHarbour(String message) {
      this.safeHarbourMessage = message;
      return this;
    }

    /** The message left on an answering machine after its beep, or null to hang up silently. */
    public Builder voicemail(String message) {
      this.voicemailMessage = message;
      return this;
    }

    /** The campaign's voicemail recording left after the beep, by name, or null for none. */
    public Builder voicemailRecording(String name) {
      this.voicemailRecording = name;
      return this;
    }

    public NewCall build() {
      return new NewCall(
          organisationId,
          direction,
          fromNumber,
          toNumber,
          agentId,
          agentSnapshotJson,
          promptId,
          promptVersion,
          initialStatus,
          twilioCallSid,
          leadVariablesJson,
          idempotencyKey,
          createdBy,
          campaignId,
          leadId,
          safeHarbourMessage,
          voicemailMessage,
          voicemailRecording);
    }
  }
}
