package dev.vigil.forecast.sagemaker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The DeepAR JSON inference format (SageMaker's built-in DeepAR algorithm).
 *
 * <p>Request: {@code {"instances": [{"start": "YYYY-MM-DD HH:MM:SS", "target": [...]}, ...],
 * "configuration": {"num_samples": N, "output_types": ["mean", "quantiles"], "quantiles": ["0.1",
 * "0.9"]}}}, missing values as {@code "NaN"}. Response: {@code {"predictions": [{"mean": [...],
 * "quantiles": {"0.1": [...], "0.9": [...]}}, ...]}}, one prediction per instance, in order.
 */
public final class DeepArCodec {
  /** Lower quantile asked for: {@value}. */
  public static final String LO = "0.1";

  /** Upper quantile asked for: {@value}. */
  public static final String HI = "0.9";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter START =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private DeepArCodec() {}

  /** The request body for some series. */
  public static byte[] request(List<SeriesContext> series, int numSamples) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode instances = root.putArray("instances");
    for (SeriesContext s : series) {
      ObjectNode instance = instances.addObject();
      instance.put("start", START.format(Instant.ofEpochMilli(s.start())));
      ArrayNode target = instance.putArray("target");
      for (double v : s.target()) {
        if (Double.isFinite(v)) {
          target.add(v);
        } else {
          target.add("NaN");
        }
      }
    }
    ObjectNode configuration = root.putObject("configuration");
    configuration.put("num_samples", numSamples);
    configuration.putArray("output_types").add("mean").add("quantiles");
    configuration.putArray("quantiles").add(LO).add(HI);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of numbers and strings always serialises", e);
    }
  }

  /**
   * Parses a response.
   *
   * @param expected instances in the request
   * @throws IllegalArgumentException if the body is not a DeepAR response for that many series
   */
  public static List<DeepArForecast> response(byte[] body, int expected) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("response is not JSON: " + e.getMessage(), e);
    }
    JsonNode predictions = root == null ? null : root.get("predictions");
    if (predictions == null || !predictions.isArray()) {
      throw new IllegalArgumentException("response has no 'predictions' array");
    }
    if (predictions.size() != expected) {
      throw new IllegalArgumentException(
          "response has " + predictions.size() + " predictions for " + expected + " series");
    }
    List<DeepArForecast> out = new ArrayList<>(expected);
    for (JsonNode p : predictions) {
      double[] mean = numbers(p.get("mean"), "mean");
      JsonNode quantiles = p.get("quantiles");
      if (quantiles == null || !quantiles.isObject()) {
        throw new IllegalArgumentException("prediction has no 'quantiles' object");
      }
      double[] lo = numbers(quantiles.get(LO), "quantiles." + LO);
      double[] hi = numbers(quantiles.get(HI), "quantiles." + HI);
      if (lo.length != mean.length || hi.length != mean.length) {
        throw new IllegalArgumentException("mean and quantiles differ in length");
      }
      out.add(new DeepArForecast(mean, lo, hi));
    }
    return out;
  }

  private static double[] numbers(JsonNode node, String name) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("prediction has no '" + name + "' numbers");
    }
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isNumber()) {
        throw new IllegalArgumentException("'" + name + "'[" + i + "] is not a number");
      }
      out[i] = v.asDouble();
    }
    return out;
  }
}
