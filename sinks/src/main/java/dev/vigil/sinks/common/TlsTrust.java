package dev.vigil.sinks.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which servers a target trusts over TLS: the JVM's default authorities, a truststore file, or the
 * CA certificates of a PEM file (what a Kubernetes secret usually holds).
 */
public final class TlsTrust {
  private TlsTrust() {}

  /** The JVM's default trust (its cacerts). */
  public static SSLContext systemDefault() throws GeneralSecurityException {
    return SSLContext.getDefault();
  }

  /**
   * Trusts the certificates of a JKS or PKCS12 truststore.
   *
   * @param password may be empty for a truststore without one
   */
  public static SSLContext truststore(Path file, String type, String password)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.isEmpty() ? null : password.toCharArray());
    }
    return trusting(store);
  }

  /** Trusts every certificate of a PEM file (one or more {@code BEGIN CERTIFICATE} blocks). */
  public static SSLContext pemCertificates(Path file) throws GeneralSecurityException, IOException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (certificates.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + file);
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate certificate : certificates) {
      store.setCertificateEntry("ca-" + i++, certificate);
    }
    return trusting(store);
  }

  private static SSLContext trusting(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
