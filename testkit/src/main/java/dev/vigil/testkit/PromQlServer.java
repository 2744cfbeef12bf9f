package dev.vigil.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A server that accepts Prometheus remote write and answers PromQL at {@code /api/v1/query}. */
public abstract class PromQlServer extends ServerProcess {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One element of an instant vector. */
  public record Point(Map<String, String> labels, long timestampMillis, double value) {}

  protected PromQlServer(String binary, String debianPackage) {
    super(binary, debianPackage);
  }

  /** Where remote-write requests go. */
  public URI remoteWriteUrl() {
    return URI.create(baseUrl() + "/api/v1/write");
  }

  /** The instant vector {@code promql} evaluates to at {@code timeMillis}. */
  public List<Point> query(String promql, long timeMillis) {
    String body =
        get(
            "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time="
                + (timeMillis / 1000.0));
    try {
      JsonNode result = JSON.readTree(body).path("data").path("result");
      List<Point> points = new ArrayList<>();
      for (JsonNode element : result) {
        Map<String, String> labels = new TreeMap<>();
        element
            .path("metric")
            .properties()
            .forEach(f -> labels.put(f.getKey(), f.getValue().asText()));
        JsonNode value = element.path("value");
        points.add(
            new Point(
                labels,
                Math.round(value.get(0).asDouble() * 1000),
                Double.parseDouble(value.get(1).asText())));
      }
      return points;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read query answer: " + body, e);
    }
  }

  /** Every sample of a series selector in {@code (from, to]}, as {@code timestamp → value}. */
  public Map<Long, Double> samples(String selector, long fromMillis, long toMillis) {
    long rangeSeconds = Math.max(1, (toMillis - fromMillis + 999) / 1000);
    String body =
        get(
            "/api/v1/query?query="
                + URLEncoder.encode(selector + "[" + rangeSeconds + "s]", StandardCharsets.UTF_8)
                + "&time="
                + (toMillis / 1000.0));
    try {
      Map<Long, Double> out = new TreeMap<>();
      for (JsonNode element : JSON.readTree(body).path("data").path("result")) {
        for (JsonNode value : element.path("values")) {
          out.put(
              Math.round(value.get(0).asDouble() * 1000),
              Double.parseDouble(value.get(1).asText()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read query answer: " + body, e);
    }
  }
}
