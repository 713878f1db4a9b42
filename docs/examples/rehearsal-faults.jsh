// A bad-day inbound rehearsal (docs/rehearsal.md): the simulators run in jshell, where the runtime
// faults of the embedding API are available (the standalone jar has no admin API for them yet).
// Run from the repository root, with the standalone parley-sim stopped (same ports):
//   $JAVA_HOME/bin/jshell --class-path parley-sim/target/parley-sim.jar docs/examples/rehearsal-faults.jsh
// With ELEVENLABS_DOWN=1 in the environment every ElevenLabs request also fails with a 500.
import io.parley.sim.*;
import java.nio.file.*;
import java.time.Duration;

var sim = Sim.start(SimConfig.load(Path.of("docs/examples/rehearsal-sim.yml")));
// The model refuses the first request with a 429 (Retry-After 1 s): Parley retries once.
sim.faults().next(Faults.Target.LLM, 1, new Fault.ErrorStatus(429, Duration.ofSeconds(1)));
// The speech-to-text socket drops after 260 audio chunks: Parley reconnects and replays audio.
sim.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.DropMidStream(260));
if (System.getenv("ELEVENLABS_DOWN") != null) {
  // ElevenLabs answers every request with a 500: only a fallbackVoice on another provider speaks.
  sim.faults().set(Faults.Target.ELEVENLABS, new Fault.ErrorStatus(500));
}
var call = sim.placeCall("+14155550188", "+14155550123",
    SimConfig.script(Files.readString(Path.of("docs/examples/rehearsal-caller.yml"))));
System.out.println("ringing " + call.sid());
System.out.println("ended: " + call.awaitEnd(Duration.ofSeconds(120)) + ", status " + call.status());
System.out.println("caller heard: " + call.heardText());
System.out.println("caller said: " + call.said().stream().map(s -> s.utterance().text()).toList());
System.out.println("faults injected: LLM " + sim.faults().injectedCount(Faults.Target.LLM)
    + ", Deepgram " + sim.faults().injectedCount(Faults.Target.DEEPGRAM)
    + ", ElevenLabs " + sim.faults().injectedCount(Faults.Target.ELEVENLABS));
System.out.println("errors: " + call.errors());
sim.close();
/exit
