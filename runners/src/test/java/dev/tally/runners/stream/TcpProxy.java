package dev.tally.runners.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1, owned by a test, that can play a server going away: {@link #down()} closes every
 * proxied connection and stops listening, so new connections are refused, until {@link #up()} listens again on the
 * same port. To a client that is what a stopped server looks like (its connections end, connecting is refused),
 * without stopping the real server, which other tests on the machine share.
 */
final class TcpProxy implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(10);

  private final InetSocketAddress target;
  private final int port;
  private final AtomicInteger connections = new AtomicInteger();
  // Guarded by this: whether it is up, its listener and every open socket (client and server sides).
  private boolean listening;
  private ServerSocket listener;
  private final Set<Socket> sockets = new HashSet<>();

  private TcpProxy(InetSocketAddress target, ServerSocket listener) {
    this.target = target;
    this.port = listener.getLocalPort();
    this.listener = listener;
    this.listening = true;
    startAccepting(listener);
  }

  /** A proxy to {@code host:port}, up, on a free port. */
  static TcpProxy to(String host, int port) throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
    return new TcpProxy(new InetSocketAddress(host, port), listener);
  }

  int port() {
    return port;
  }

  /** Connections accepted so far, whether or not they reached the target. */
  int connectionsAccepted() {
    return connections.get();
  }

  /** Closes the listener and every proxied connection: new connections are refused from now on. */
  synchronized void down() throws IOException {
    listening = false;
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  /** Listens again on the same port (retrying briefly should the port still be held). */
  synchronized void up() throws IOException, InterruptedException {
    if (listening) {
      return;
    }
    Instant deadline = Instant.now().plus(REBIND_TIMEOUT);
    while (true) {
      ServerSocket again = new ServerSocket();
      again.setReuseAddress(true);
      try {
        again.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        listener = again;
        listening = true;
        startAccepting(again);
        return;
      } catch (IOException e) {
        again.close();
        if (Instant.now().isAfter(deadline)) {
          throw new IOException("the proxy cannot listen on port " + port + " again: " + e.getMessage(), e);
        }
        Thread.sleep(200);
      }
    }
  }

  private void startAccepting(ServerSocket server) {
    Thread accepting = new Thread(() -> accept(server), "tcp-proxy-accept-" + port);
    accepting.setDaemon(true);
    accepting.start();
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed by down() or close()
      }
      connections.incrementAndGet();
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 10_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      if (register(client, upstream)) {
        pump(client, upstream);
        pump(upstream, client);
      }
    }
  }

  /** Keeps the pair for {@link #down()}; false (both closed) if the proxy went down meanwhile. */
  private synchronized boolean register(Socket client, Socket upstream) {
    if (!listening) {
      closeQuietly(client);
      closeQuietly(upstream);
      return false;
    }
    sockets.add(client);
    sockets.add(upstream);
    return true;
  }

  /** Copies {@code from} to {@code to} until either ends, then closes both. */
  private void pump(Socket from, Socket to) {
    Thread copying = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException e) {
        // One side closed: end the pair below.
      } finally {
        forget(from, to);
      }
    }, "tcp-proxy-" + port);
    copying.setDaemon(true);
    copying.start();
  }

  private synchronized void forget(Socket... pair) {
    for (Socket socket : pair) {
      closeQuietly(socket);
      sockets.remove(socket);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a socket that is already broken: nothing to do.
    }
  }

  @Override
  public void close() throws IOException {
    down();
  }

  /** For messages: where it listens and where it forwards to. */
  @Override
  public String toString() {
    return "TcpProxy[" + HOST + ":" + port + " -> " + target.getHostString() + ":" + target.getPort() + ", "
        + connections.get() + " connections accepted]";
  }
}
