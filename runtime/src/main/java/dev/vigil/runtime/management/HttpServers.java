package dev.vigil.runtime.management;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Creates Vigil's JDK HTTP servers with a keep-alive policy fit for many clients.
 *
 * <p>The JDK's server closes a connection that finishes a response while {@value #PROPERTY} others
 * are already idle (JDK default 200), without sending {@code Connection: close}. The client has
 * pooled that connection as reusable, and a request it sends there before it sees the close gets no
 * answer at all ("header parser received no bytes"): with more than 200 OTLP exporters, or under
 * load when many connections go idle together, the bridge would lose requests this way. Vigil
 * raises the limit to {@value #DEFAULT_MAX_IDLE} unless the JVM was started with its own value
 * ({@code JAVA_OPTS=-Dsun.net.httpserver.maxIdleConnections=N}). The JDK reads the property once,
 * when the first server of the JVM is created, so every Vigil server is created here.
 */
public final class HttpServers {
  /** The JDK's own setting. */
  public static final String PROPERTY = "sun.net.httpserver.maxIdleConnections";

  /** Idle keep-alive connections kept open; each costs a socket and about 10 KB of heap. */
  public static final int DEFAULT_MAX_IDLE = 1000;

  private HttpServers() {}

  /** A plain HTTP server bound to {@code address} (not started). */
  public static HttpServer http(InetSocketAddress address, int backlog) throws IOException {
    keepIdleConnections();
    return HttpServer.create(address, backlog);
  }

  /** An HTTPS server bound to {@code address} (not started; its configurator still to set). */
  public static HttpsServer https(InetSocketAddress address, int backlog) throws IOException {
    keepIdleConnections();
    return HttpsServer.create(address, backlog);
  }

  private static synchronized void keepIdleConnections() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, Integer.toString(DEFAULT_MAX_IDLE));
    }
  }
}
