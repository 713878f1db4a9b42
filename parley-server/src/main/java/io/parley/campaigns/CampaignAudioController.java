package io.parley.campaigns;

import io.parley.shared.Actor;
import io.parley.shared.InvalidInputException;
import io.parley.shared.LimitedInputStream;
import io.parley.shared.Organisations;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A campaign's recordings (a WAV file, 8 kHz mono, μ-law or 16-bit PCM, at most 60 s): {@code
 * /api/campaigns/{id}/safe-harbour-audio}, played to a drop instead of the safe-harbour message
 * spoken in the agent's voice, and {@code /api/campaigns/{id}/voicemail-audio}, left on a machine
 * after its beep instead of the voicemail text. The two behave alike; see {@link
 * CampaignRecording}.
 */
@RestController
@RequestMapping("/api/campaigns/{id}/{recording:safe-harbour-audio|voicemail-audio}")
class CampaignAudioController {

  private final CampaignAudioStore store;

  CampaignAudioController(CampaignAudioStore store) {
    this.store = store;
  }

  @PutMapping(consumes = {"audio/wav", "audio/x-wav", "audio/wave", "application/octet-stream"})
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Sets the campaign's safe-harbour-audio or voicemail-audio recording (WAV, 8 kHz mono,"
              + " μ-law or 16-bit PCM, at most 60 s); audited")
  CampaignAudioStore.Description upload(
      @PathVariable UUID id,
      @PathVariable String recording,
      @RequestParam(required = false) String fileName,
      HttpServletRequest request)
      throws IOException {
    if (request.getContentLengthLong() > CampaignAudioStore.MAX_UPLOAD_BYTES) {
      throw new UploadTooLargeException("The file is larger than 2 MiB.");
    }
    byte[] wav;
    try (InputStream body =
        new LimitedInputStream(
            request.getInputStream(),
            CampaignAudioStore.MAX_UPLOAD_BYTES,
            () -> new UploadTooLargeException("The file is larger than 2 MiB."))) {
      wav = body.readAllBytes();
    }
    if (wav.length == 0) {
      throw new InvalidInputException("body", "is required: a WAV file");
    }
    return store.upload(
        CampaignRecording.ofPath(recording),
        Organisations.DEFAULT_ID,
        id,
        wav,
        fileName,
        Actor.current());
  }

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(summary = "The campaign's recording: its length, file and uploader")
  ResponseEntity<CampaignAudioStore.Description> describe(
      @PathVariable UUID id, @PathVariable String recording) {
    return ResponseEntity.of(
        store.describe(CampaignRecording.ofPath(recording), Organisations.DEFAULT_ID, id));
  }

  @DeleteMapping
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Removes the campaign's recording; audited")
  ResponseEntity<Void> remove(@PathVariable UUID id, @PathVariable String recording) {
    return store.remove(
            CampaignRecording.ofPath(recording), Organisations.DEFAULT_ID, id, Actor.current())
        ? ResponseEntity.noContent().build()
        : ResponseEntity.notFound().build();
  }
}
