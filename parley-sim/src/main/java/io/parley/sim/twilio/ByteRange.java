package io.parley.sim.twilio;

import io.parley.sim.http.Exchange;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Single byte ranges on a media download, as Twilio's recording media URLs serve them: {@code
 * bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} gives 206 with {@code Content-Range}; a range
 * that starts past the end gives 416 with {@code Content-Range: bytes *}{@code /<length>}; a header
 * that is not one byte range is ignored (RFC 9110 lets a server do so) and the whole file is sent.
 */
final class ByteRange {

  private static final Pattern RANGE =
      Pattern.compile("bytes=(?:(\\d{1,18})-(\\d{0,18})|-(\\d{1,18}))");

  private ByteRange() {}

  static void send(Exchange ex, String contentType, byte[] body) {
    ex.header("Accept-Ranges", "bytes");
    String header = ex.header("Range");
    Matcher m = header == null ? null : RANGE.matcher(header.strip());
    if (m == null || !m.matches()) {
      ex.send(200, contentType, body);
      return;
    }
    long length = body.length;
    long first;
    long last;
    if (m.group(3) != null) {
      long suffix = Long.parseLong(m.group(3));
      if (suffix == 0) {
        unsatisfiable(ex, length);
        return;
      }
      first = Math.max(0, length - suffix);
      last = length - 1;
    } else {
      first = Long.parseLong(m.group(1));
      last = m.group(2).isEmpty() ? length - 1 : Math.min(length - 1, Long.parseLong(m.group(2)));
      if (last < first && first < length) {
        // bytes=5-2: not a valid range, so it is ignored
        ex.send(200, contentType, body);
        return;
      }
    }
    if (first >= length) {
      unsatisfiable(ex, length);
      return;
    }
    ex.header("Content-Range", "bytes " + first + "-" + last + "/" + length);
    ex.send(206, contentType, Arrays.copyOfRange(body, (int) first, (int) last + 1));
  }

  private static void unsatisfiable(Exchange ex, long length) {
    ex.header("Content-Range", "bytes */" + length);
    ex.send(416, "text/plain", "Requested range not satisfiable");
  }
}
