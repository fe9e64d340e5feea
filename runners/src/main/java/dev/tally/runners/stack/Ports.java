package dev.tally.runners.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Whether a local TCP port is taken, and by whom it may be taken. */
public final class Ports {
  private static final int CONNECT_TIMEOUT_MS = 500;

  private Ports() {}

  /** True if a server could bind {@code 127.0.0.1:port} now (with SO_REUSEADDR, as Spark and Hadoop bind). */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(StackSettings.HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True if something accepts connections on {@code host:port}. */
  public static boolean isOpen(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Fails with a message naming the port's purpose (e.g. "Spark master") and the option that moves it (e.g.
   * "--spark-port") if another program holds the port.
   */
  public static void requireFree(int port, String purpose, String option, String environmentVariable) {
    requireFreeOr(port, purpose, option + "=PORT, or with " + environmentVariable + "=PORT for every ./tally command");
  }

  /** For a port that only a flag moves, e.g. the Kafka broker's {@code --kafka-port}. */
  public static void requireFree(int port, String purpose, String option) {
    requireFreeOr(port, purpose, option + "=PORT");
  }

  private static void requireFreeOr(int port, String purpose, String howToMove) {
    if (!isFree(port)) {
      throw new StackException(
          "port " + port + " (" + purpose + ") is in use by another program, not by this stack: stop that program"
              + " (see: ss -ltnp 'sport = :" + port + "'), or choose another port with " + howToMove);
    }
  }
}
