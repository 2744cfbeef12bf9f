package dev.vigil.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for tests, generated at test time with {@code openssl} (Debian package {@code
 * openssl}, installed by {@code .ci/install-test-deps}): a test CA, a broker certificate for {@code
 * localhost} and {@code 127.0.0.1} signed by it, a client certificate for mutual TLS, and a second,
 * unrelated CA to play a wrong truststore. Nothing is checked in, so nothing expires in the
 * repository; each certificate is valid for two days.
 *
 * <p>Formats are the ones Kafka reads without conversion: PEM truststores ({@code
 * ssl.truststore.type=PEM}), the broker's key and chain in one PEM file ({@code
 * ssl.keystore.type=PEM}), and the client keystore as a password-protected PKCS#12 file, so tests
 * have a keystore password to keep secret.
 */
public final class TestCertificates {
  private static final int TIMEOUT_SECONDS = 30;

  private final Path caPem;
  private final Path otherCaPem;
  private final Path brokerKeystorePem;
  private final Path clientKeystore;
  private final String clientKeystorePassword;

  private TestCertificates(
      Path caPem,
      Path otherCaPem,
      Path brokerKeystorePem,
      Path clientKeystore,
      String clientKeystorePassword) {
    this.caPem = caPem;
    this.otherCaPem = otherCaPem;
    this.brokerKeystorePem = brokerKeystorePem;
    this.clientKeystore = clientKeystore;
    this.clientKeystorePassword = clientKeystorePassword;
  }

  /**
   * Generates every file into {@code dir} (about 0.3 s: RSA 2048 keys).
   *
   * @throws AssertionError if {@code openssl} fails (with its output)
   */
  public static TestCertificates generate(Path dir) throws IOException, InterruptedException {
    String openssl = RequiredBinary.require("openssl", "openssl").toString();
    Files.createDirectories(dir);
    Path caKey = dir.resolve("ca.key");
    Path caPem = dir.resolve("ca.pem");
    selfSignedCa(openssl, "vigil-test-ca", caKey, caPem);
    Path otherCaPem = dir.resolve("other-ca.pem");
    selfSignedCa(openssl, "vigil-other-ca", dir.resolve("other-ca.key"), otherCaPem);

    Path brokerKey = dir.resolve("broker.key");
    Path brokerPem = dir.resolve("broker.pem");
    signed(openssl, dir, "localhost", caKey, caPem, brokerKey, brokerPem);
    // Kafka's PEM keystore: the PKCS#8 key, then the chain (leaf first).
    Path brokerKeystore = dir.resolve("broker-keystore.pem");
    Files.writeString(
        brokerKeystore,
        Files.readString(brokerKey) + Files.readString(brokerPem) + Files.readString(caPem));

    Path clientKey = dir.resolve("client.key");
    Path clientPem = dir.resolve("client.pem");
    signed(openssl, dir, "vigil-client", caKey, caPem, clientKey, clientPem);
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    String password = "ks-" + HexFormat.of().formatHex(random);
    Path clientKeystore = dir.resolve("client.p12");
    run(
        openssl,
        "pkcs12",
        "-export",
        "-in",
        clientPem.toString(),
        "-inkey",
        clientKey.toString(),
        "-certfile",
        caPem.toString(),
        "-name",
        "client",
        "-out",
        clientKeystore.toString(),
        "-passout",
        "pass:" + password);
    return new TestCertificates(caPem, otherCaPem, brokerKeystore, clientKeystore, password);
  }

  /** PEM of the test CA: the truststore of clients and of the broker (for client certificates). */
  public Path caPem() {
    return caPem;
  }

  /** PEM of a CA that signed nothing here: a truststore that must make the TLS handshake fail. */
  public Path otherCaPem() {
    return otherCaPem;
  }

  /** The broker's private key and certificate chain in one PEM file ({@code localhost}). */
  public Path brokerKeystorePem() {
    return brokerKeystorePem;
  }

  /** PKCS#12 keystore with the client's key and certificate, for mutual TLS. */
  public Path clientKeystore() {
    return clientKeystore;
  }

  /** Password of {@link #clientKeystore()} (and of its key), random per generation. */
  public String clientKeystorePassword() {
    return clientKeystorePassword;
  }

  private static void selfSignedCa(String openssl, String name, Path key, Path pem)
      throws IOException, InterruptedException {
    run(
        openssl,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=" + name,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        key.toString(),
        "-out",
        pem.toString());
  }

  private static void signed(
      String openssl, Path dir, String name, Path caKey, Path caPem, Path key, Path pem)
      throws IOException, InterruptedException {
    Path csr = dir.resolve(name + ".csr");
    run(
        openssl,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + name,
        "-addext",
        "subjectAltName=DNS:" + name + ",IP:127.0.0.1",
        "-keyout",
        key.toString(),
        "-out",
        csr.toString());
    run(
        openssl,
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        caPem.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-copy_extensions",
        "copy",
        "-days",
        "2",
        "-out",
        pem.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(command));
    Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl did not finish within " + TIMEOUT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "openssl " + args.get(1) + " failed (exit " + process.exitValue() + "): " + output);
    }
  }
}
