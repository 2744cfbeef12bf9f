package dev.vigil.bridge.internal;

import dev.vigil.runtime.config.ConfigError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bearer-token authentication: each token maps to a tenant. Tokens are kept only as SHA-256 digests
 * and compared in constant time; neither a token nor its digest is ever logged.
 */
public final class TokenAuth {
  private static final String BEARER = "Bearer ";

  private final List<Entry> entries;

  private TokenAuth(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Reads {@code token=tenant} pairs from a file (one per line, {@code #} comments) and from a
   * comma-separated string; no pairs at all means authentication is off.
   *
   * @throws ConfigError naming the setting when a pair is malformed or the file unreadable
   */
  public static TokenAuth load(
      Optional<Path> file, String inline, String fileKey, String inlineKey) {
    List<Entry> entries = new ArrayList<>();
    if (file.isPresent()) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigError(
            fileKey, "cannot read " + fileKey + " " + file.get() + ": " + e.getMessage());
      }
      for (int n = 0; n < lines.size(); n++) {
        String line = lines.get(n).trim();
        if (!line.isEmpty() && !line.startsWith("#")) {
          entries.add(parse(line, fileKey + " line " + (n + 1), fileKey));
        }
      }
    }
    for (String pair : inline.split(",")) {
      if (!pair.isBlank()) {
        entries.add(parse(pair.trim(), inlineKey, inlineKey));
      }
    }
    return new TokenAuth(entries);
  }

  /** True when requests must carry a token. */
  public boolean enabled() {
    return !entries.isEmpty();
  }

  /**
   * The tenant of an {@code Authorization} header value.
   *
   * @return the tenant, or empty if the header is missing, not a bearer token or unknown
   */
  public Optional<String> tenantOf(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    byte[] digest = sha256(authorization.substring(BEARER.length()).trim());
    String tenant = null;
    for (Entry entry : entries) {
      // Compare against every entry, so the time taken does not tell which one matched.
      if (MessageDigest.isEqual(entry.digest, digest)) {
        tenant = entry.tenant;
      }
    }
    return Optional.ofNullable(tenant);
  }

  private static Entry parse(String pair, String where, String key) {
    int eq = pair.indexOf('=');
    if (eq <= 0 || eq == pair.length() - 1) {
      throw new ConfigError(key, "malformed token entry in " + where + ": expected token=tenant");
    }
    return new Entry(sha256(pair.substring(0, eq).trim()), pair.substring(eq + 1).trim());
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private record Entry(byte[] digest, String tenant) {}
}
