package dev.vigil.bridge.internal;

import dev.vigil.bridge.BridgeConfig;
import dev.vigil.runtime.config.ConfigError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds a server {@link SSLContext} from a PEM certificate chain and a PKCS#8 PEM key. */
public final class PemTls {
  private PemTls() {}

  /**
   * Reads the files and builds the context.
   *
   * @throws ConfigError naming the setting whose file cannot be used
   */
  public static SSLContext serverContext(BridgeConfig.Tls tls) {
    Certificate[] chain;
    try (ByteArrayInputStream in =
        new ByteArrayInputStream(Files.readAllBytes(tls.certificate()))) {
      chain =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(in)
              .toArray(new Certificate[0]);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigError(
          BridgeConfig.TLS_CERT_CONFIG,
          "cannot read certificate " + tls.certificate() + ": " + e.getMessage());
    }
    if (chain.length == 0) {
      throw new ConfigError(BridgeConfig.TLS_CERT_CONFIG, "no certificate in " + tls.certificate());
    }
    PrivateKey key = privateKey(tls);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("bridge", key, password, chain);
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigError(
          BridgeConfig.TLS_KEY_CONFIG,
          "key "
              + tls.privateKey()
              + " does not fit certificate "
              + tls.certificate()
              + ": "
              + e.getMessage());
    }
  }

  private static PrivateKey privateKey(BridgeConfig.Tls tls) {
    String pem;
    try {
      pem = Files.readString(tls.privateKey(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigError(
          BridgeConfig.TLS_KEY_CONFIG,
          "cannot read key " + tls.privateKey() + ": " + e.getMessage());
    }
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new ConfigError(
          BridgeConfig.TLS_KEY_CONFIG,
          tls.privateKey()
              + " is not a PKCS#8 PEM key ('BEGIN PRIVATE KEY'); convert it with"
              + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new ConfigError(
        BridgeConfig.TLS_KEY_CONFIG, tls.privateKey() + " holds no RSA, EC or Ed25519 key");
  }
}
