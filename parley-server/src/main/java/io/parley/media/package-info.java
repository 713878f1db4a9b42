/**
 * The media plane's event loops: one loop per core, each carrying every socket and timer of the
 * calls bound to it (Twilio's media socket, the speech-to-text and text-to-speech sockets, the
 * outbound audio clock). Work that may block (the database, the model stream, tools) stays off the
 * loops and posts its results to them.
 */
package io.parley.media;
