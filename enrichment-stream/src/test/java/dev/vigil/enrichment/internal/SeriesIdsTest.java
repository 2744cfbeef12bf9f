package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Series ids: the one built from a point's attributes equals the one built from a sorted map. */
class SeriesIdsTest {
  private static final Set<String> ALLOWED = Set.of("a", "b", "http.route", "pod", "zone");
  private static final String[] KEYS = {"a", "b", "c", "http.route", "pod", "zone", "host.name"};

  @Test
  void pointAttributesGiveTheIdOfTheirAllowListedMapWithTheLastRepeatWinning() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 2_000; round++) {
      List<KeyValue> attributes = new ArrayList<>();
      TreeMap<String, String> expected = new TreeMap<>();
      int n = random.nextInt(8);
      for (int i = 0; i < n; i++) {
        String key = KEYS[random.nextInt(KEYS.length)];
        AnyValue value =
            random.nextBoolean()
                ? AnyValue.newBuilder().setStringValue("v" + random.nextInt(5)).build()
                : AnyValue.newBuilder().setIntValue(random.nextInt(5)).build();
        attributes.add(KeyValue.newBuilder().setKey(key).setValue(value).build());
        if (ALLOWED.contains(key)) {
          expected.put(key, Otlp.text(value));
        }
      }

      assertThat(SeriesIds.series("cart", "queue.depth", attributes, ALLOWED))
          .as("attributes %s", attributes)
          .isEqualTo(SeriesIds.series("cart", "queue.depth", expected));
    }
  }

  @Test
  void idLayoutIsServiceSignalThenDimensionsSortedByKey() {
    List<KeyValue> attributes =
        List.of(kv("pod", "p-1"), kv("host.name", "n-1"), kv("http.route", "/cart"));

    String id = SeriesIds.series("cart", "latency", attributes, ALLOWED);

    assertThat(id).isEqualTo("cart\u0000latency\u0000http.route\u0002/cart\u0001pod\u0002p-1");
    assertThat(SeriesIds.series("cart", "latency", List.of(kv("c", "x")), ALLOWED))
        .isEqualTo("cart\u0000latency\u0000");
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
