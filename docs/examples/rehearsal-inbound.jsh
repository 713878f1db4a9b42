// Inbound rehearsal (docs/rehearsal.md): runs the simulators in jshell instead of the standalone jar
// (which cannot place inbound calls yet) and rings the agent's number with a caller script.
// Run from the repository root, with the standalone parley-sim stopped (same ports):
//   $JAVA_HOME/bin/jshell --class-path parley-sim/target/parley-sim.jar docs/examples/rehearsal-inbound.jsh
import io.parley.sim.*;
import java.nio.file.*;
import java.time.Duration;

var sim = Sim.start(SimConfig.load(Path.of("docs/examples/rehearsal-sim.yml")));
// the caller's number, the agent's number (its voiceUrl in the config points at Parley), the script
var call = sim.placeCall("+14155550188", "+14155550123",
    SimConfig.script(Files.readString(Path.of("docs/examples/rehearsal-caller.yml"))));
System.out.println("ringing " + call.sid());
System.out.println("ended: " + call.awaitEnd(Duration.ofSeconds(120)) + ", status " + call.status());
System.out.println("caller heard: " + call.heardText());
System.out.println("caller said: " + call.said().stream().map(s -> s.utterance().text()).toList());
System.out.println("errors: " + call.errors());
sim.close();
/exit
