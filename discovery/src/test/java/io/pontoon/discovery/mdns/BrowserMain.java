package io.pontoon.discovery.mdns;

import io.pontoon.discovery.Discovered;
import io.pontoon.discovery.DiscoveryListener;
import java.net.InetAddress;

/**
 * A child process that browses (run inside a network namespace by the tests) and prints one line
 * per event: {@code APPEARED|UPDATED|GONE name port host fingerprint ttl}. Prints {@code READY} first.
 */
public final class BrowserMain {
  private BrowserMain() {}

  public static void main(String[] args) throws Exception {
    InetAddress address = InetAddress.getByName(args[0]);
    MdnsBrowser browser = MdnsBrowser.start(MdnsBrowser.Options.defaults(address), new DiscoveryListener() {
      @Override
      public void appeared(Discovered d) {
        print("APPEARED", d);
      }

      @Override
      public void updated(Discovered previous, Discovered d) {
        print("UPDATED", d);
      }

      @Override
      public void gone(Discovered d) {
        print("GONE", d);
      }
    });
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // run until stdin closes
    }
    browser.close();
    System.exit(0);
  }

  private static synchronized void print(String event, Discovered d) {
    System.out.println(event + " " + d.announcement().clusterName() + " " + d.announcement().port() + " "
        + d.announcement().host() + " " + d.announcement().fingerprint() + " " + d.source().ttl().toSeconds()
        + " " + d.announcement().clusterId());
    System.out.flush();
  }
}
