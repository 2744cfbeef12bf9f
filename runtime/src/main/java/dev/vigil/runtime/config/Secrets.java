package dev.vigil.runtime.config;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises settings whose values must never be logged, and masks them.
 *
 * <p>Rules: the value of a key containing {@code password}, {@code secret}, {@code jaas}, {@code
 * token} or {@code credentials}, or ending in {@code .key}, is shown as {@value #MASK}; in any
 * other value, the password of a URL ({@code https://user:pass@host}) is masked. Error messages are
 * passed through {@link #redact} with the secret values of the settings, so a library that echoes
 * part of a value (a JAAS parser quoting a password) prints the mask instead.
 */
public final class Secrets {
  /** What a masked value shows: {@value}. */
  public static final String MASK = "[hidden]";

  /** {@code scheme://user:password@}: group 1 is everything before the password. */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]*):([^@\\s/]*)@");

  /** A JAAS option, {@code name="value"} or {@code name=value}. */
  private static final Pattern JAAS_OPTION =
      Pattern.compile("([A-Za-z0-9_.-]+)\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;\"]+))");

  /** Shorter values are not redacted inside messages: they would mask ordinary words. */
  private static final int MIN_REDACTED_LENGTH = 4;

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

  /** The value as it may be shown: {@value #MASK} for a secret key, else URL passwords masked. */
  public static String mask(String key, Object value) {
    if (value == null) {
      return "null";
    }
    return isSecret(key) ? MASK : maskUrlPasswords(String.valueOf(value));
  }

  /** {@code text} with the password of every URL in it masked. */
  public static String maskUrlPasswords(String text) {
    return URL_PASSWORD
        .matcher(text)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + ":" + MASK + "@");
  }

  /**
   * The strings of a setting that must not appear in any output: the whole value of a secret key
   * and the secret options inside a JAAS config (e.g. its {@code password}), or the password of a
   * URL in any other value.
   */
  public static Set<String> secretParts(String key, Object value) {
    Set<String> parts = new LinkedHashSet<>();
    if (value == null) {
      return parts;
    }
    String text = String.valueOf(value);
    if (isSecret(key)) {
      parts.add(text);
      Matcher option = JAAS_OPTION.matcher(text);
      while (option.find()) {
        if (isSecret(option.group(1))) {
          parts.add(option.group(2) != null ? option.group(2) : option.group(3));
        }
      }
    }
    Matcher url = URL_PASSWORD.matcher(text);
    while (url.find()) {
      parts.add(url.group(2));
    }
    parts.removeIf(part -> part.length() < MIN_REDACTED_LENGTH);
    return parts;
  }

  /** {@code text} with each of {@code secrets} replaced by {@value #MASK}, URL passwords masked. */
  public static String redact(String text, Set<String> secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    // Longest first, so a JAAS config is masked whole before its password is looked for.
    for (String secret :
        secrets.stream().sorted((a, b) -> Integer.compare(b.length(), a.length())).toList()) {
      out = out.replace(secret, MASK);
    }
    return maskUrlPasswords(out);
  }
}
