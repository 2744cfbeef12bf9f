package dev.vigil.sinks.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** How requests authenticate: one header, or none. */
public sealed interface Auth {
  /** The header to send, if any. */
  Optional<Map.Entry<String, String>> header();

  /** No authentication. */
  record None() implements Auth {
    @Override
    public Optional<Map.Entry<String, String>> header() {
      return Optional.empty();
    }
  }

  /** HTTP basic authentication. */
  record Basic(String username, String password) implements Auth {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public Optional<Map.Entry<String, String>> header() {
      String pair = username + ":" + password;
      return Optional.of(
          Map.entry(
              "Authorization",
              "Basic "
                  + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", password=******]";
    }
  }

  /** A bearer token ({@code Authorization: Bearer ...}). */
  record Bearer(String token) implements Auth {
    public Bearer {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public Optional<Map.Entry<String, String>> header() {
      return Optional.of(Map.entry("Authorization", "Bearer " + token));
    }

    @Override
    public String toString() {
      return "Bearer[******]";
    }
  }

  /**
   * An API key. In the {@code Authorization} header it is sent as {@code ApiKey <key>}, as
   * Elasticsearch and OpenSearch expect; in any other header (e.g. {@code X-API-Key}) as is.
   */
  record ApiKey(String headerName, String key) implements Auth {
    public ApiKey {
      Objects.requireNonNull(headerName, "headerName");
      Objects.requireNonNull(key, "key");
    }

    @Override
    public Optional<Map.Entry<String, String>> header() {
      return Optional.of(
          Map.entry(
              headerName, "Authorization".equalsIgnoreCase(headerName) ? "ApiKey " + key : key));
    }

    @Override
    public String toString() {
      return "ApiKey[header=" + headerName + ", key=******]";
    }
  }
}
