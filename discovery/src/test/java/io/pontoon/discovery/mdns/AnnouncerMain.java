package io.pontoon.discovery.mdns;

import io.pontoon.discovery.Announcement;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * A child process that announces one cluster (run inside a network namespace by the tests):
 * {@code AnnouncerMain ADDRESS ID NAME PORT FINGERPRINT}; stdin {@code port N} re-announces on
 * another port, {@code stop} says goodbye and exits. Prints {@code READY} once announced.
 */
public final class AnnouncerMain {
  private AnnouncerMain() {}

  public static void main(String[] args) throws Exception {
    InetAddress address = InetAddress.getByName(args[0]);
    Announcement a = Announcement.of(args[1], args[2], args[0], Integer.parseInt(args[3]), args[4]);
    MdnsAnnouncer announcer = MdnsAnnouncer.start(address, a);
    System.out.println("READY");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("port ")) {
        announcer.update(announcer.current().withEndpoint(args[0], Integer.parseInt(line.substring(5).trim())));
        System.out.println("UPDATED");
      } else if (line.equals("stop")) {
        break;
      }
      System.out.flush();
    }
    announcer.close();
    System.out.println("STOPPED");
    System.out.flush();
    System.exit(0);
  }
}
