package dev.vigil.rca.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The engine's state as JSON in its store: readable in the changelog, and tolerant of fields added
 * later (unknown fields are ignored, missing ones take Java defaults).
 */
final class StateCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final TypeReference<List<ChangeLog.Change>> CHANGES = new TypeReference<>() {};

  private StateCodec() {}

  static byte[] write(Object state) {
    try {
      return MAPPER.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + state.getClass().getSimpleName(), e);
    }
  }

  static <T> T read(byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode " + type.getSimpleName(), e);
    }
  }

  static List<ChangeLog.Change> readChanges(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, CHANGES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode changes", e);
    }
  }
}
