package dev.vigil.runtime.config;

import java.util.Locale;

/** Recognises settings whose values must never be logged. */
public final class Secrets {
  private Secrets() {}

  /** True for keys that hold passwords, keys, tokens or JAAS configs. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.contains("token")
        || k.endsWith(".key")
        || k.contains("credentials");
  }
}
