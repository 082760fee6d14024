package io.pontoon.discovery.mdns;

import io.pontoon.discovery.InvalidAnnouncementException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The character-strings of TXT RDATA (each prefixed by its length), as jmdns hands it over. */
final class TxtBytes {
  private TxtBytes() {}

  static List<byte[]> split(byte[] rdata) {
    List<byte[]> strings = new ArrayList<>();
    if (rdata == null) return strings;
    int i = 0;
    while (i < rdata.length) {
      int len = rdata[i] & 0xff;
      if (i + 1 + len > rdata.length) {
        throw new InvalidAnnouncementException("TXT data is cut off: a string of " + len + " bytes at offset " + i
            + " runs past the end (" + rdata.length + " bytes)");
      }
      strings.add(Arrays.copyOfRange(rdata, i + 1, i + 1 + len));
      i += 1 + len;
    }
    return strings;
  }

  /** True for no TXT at all, or the single empty string jmdns uses for "no TXT yet". */
  static boolean isEmpty(byte[] rdata) {
    return rdata == null || rdata.length == 0 || (rdata.length == 1 && rdata[0] == 0);
  }
}
