/**
 * The Twilio edge: signed webhooks, TwiML, call control and the Media Streams socket. It knows
 * nothing about AI; it hands calls and streams to interfaces it defines.
 */
@ApplicationModule(allowedDependencies = "shared")
package io.parley.telephony;

import org.springframework.modulith.ApplicationModule;
