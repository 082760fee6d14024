package io.pontoon.discovery.dns;

import java.io.IOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns a response (wire bytes or a parsed message) into a {@link DnsAnswer}, refusing anything
 * that is not a well-formed answer to the question asked. It never throws anything but
 * {@link MalformedResponseException}, whatever the bytes.
 */
public final class ResponseReader {
  private ResponseReader() {}

  /** Parses and checks wire bytes. */
  public static DnsAnswer read(byte[] wire, Name name, int type, String server) throws MalformedResponseException {
    Message message;
    try {
      message = new Message(wire);
    } catch (IOException | RuntimeException e) {
      // dnsjava reports most damage as WireParseException, some as runtime exceptions
      throw new MalformedResponseException("unparsable DNS response from " + server + ": " + e.getMessage(), e);
    }
    return check(message, name, type, server);
  }

  /** Checks a parsed response against the question. */
  public static DnsAnswer check(Message message, Name name, int type, String server) throws MalformedResponseException {
    try {
      if (!message.getHeader().getFlag(Flags.QR)) {
        throw new MalformedResponseException("DNS message from " + server + " is a query, not a response");
      }
      if (message.getHeader().getOpcode() != Opcode.QUERY) {
        throw new MalformedResponseException("DNS response from " + server + " has opcode "
            + Opcode.string(message.getHeader().getOpcode()));
      }
      Record question = message.getQuestion();
      if (question == null || !question.getName().equals(name) || question.getType() != type
          || question.getDClass() != DClass.IN) {
        throw new MalformedResponseException("DNS response from " + server + " answers "
            + (question == null ? "no question" : question.getName() + " " + Type.string(question.getType()))
            + ", not " + name + " " + Type.string(type));
      }
      return new DnsAnswer(name, type, message.getRcode(),
          message.getSection(Section.ANSWER).stream().filter(r -> r.getDClass() == DClass.IN).toList(),
          message.getSection(Section.ADDITIONAL).stream().filter(r -> r.getDClass() == DClass.IN).toList(),
          server);
    } catch (RuntimeException e) {
      throw new MalformedResponseException("unusable DNS response from " + server + ": " + e, e);
    }
  }
}
