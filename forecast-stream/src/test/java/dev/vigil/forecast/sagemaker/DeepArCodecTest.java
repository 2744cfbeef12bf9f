package dev.vigil.forecast.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeepArCodecTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesMeanAndQuantilesPerInstance() {
    List<DeepArForecast> out =
        DeepArCodec.response(
            bytes(
                "{\"predictions\":[{\"mean\":[1.0,2.0],\"quantiles\":{\"0.1\":[0.5,1.5],"
                    + "\"0.9\":[1.5,2.5],\"0.5\":[1,2]}}]}"),
            1);
    assertThat(out.get(0).mean()).containsExactly(1.0, 2.0);
    assertThat(out.get(0).lo()).containsExactly(0.5, 1.5);
    assertThat(out.get(0).hi()).containsExactly(1.5, 2.5);
  }

  @Test
  void rejectsAnswersOfAnotherShape() {
    assertThatThrownBy(() -> DeepArCodec.response(bytes("not json"), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> DeepArCodec.response(bytes("{\"predictions\":[]}"), 1))
        .hasMessageContaining("0 predictions for 1 series");
    assertThatThrownBy(() -> DeepArCodec.response(bytes("{\"predictions\":[{\"mean\":[1]}]}"), 1))
        .hasMessageContaining("quantiles");
    assertThatThrownBy(
            () ->
                DeepArCodec.response(
                    bytes(
                        "{\"predictions\":[{\"mean\":[1,2],\"quantiles\":{\"0.1\":[1],"
                            + "\"0.9\":[1,2]}}]}"),
                    1))
        .hasMessageContaining("differ in length");
  }
}
