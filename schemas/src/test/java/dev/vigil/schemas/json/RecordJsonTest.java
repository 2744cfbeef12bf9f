package dev.vigil.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.Samples;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  @Test
  void rendersIncidentWithPlainUnionsTimestampsAndEnums() {
    Incident incident =
        Samples.values().stream()
            .filter(Incident.class::isInstance)
            .map(Incident.class::cast)
            .findFirst()
            .orElseThrow();

    assertThat(RecordJson.toJson(incident))
        .isEqualTo(
            "{\"id\":\"inc-1\",\"state\":\"OPEN\",\"severity\":\"CRITICAL\","
                + "\"openedAt\":\"2026-11-24T10:00:00Z\",\"updatedAt\":\"2026-11-24T10:02:00Z\","
                + "\"resolvedAt\":null,\"services\":[\"checkout\",\"payment\"],"
                + "\"rootCauses\":[{\"service\":\"payment\",\"score\":0.8,"
                + "\"reasons\":[\"deploy v2.3 3 min before\"]}],"
                + "\"entryPoints\":[],\"businessImpact\":[],\"anomalies\":0,\"version\":1}");
  }

  @Test
  void rendersEveryRecordTypeAsParseableJson() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    for (Object sample : Samples.values()) {
      String json = RecordJson.toJson(sample);
      assertThat(mapper.readTree(json).isObject()).as(json).isTrue();
      assertThat(json).doesNotContain("{\"string\"").doesNotContain("{\"double\"");
    }
  }

  @Test
  void sortsMapKeys() {
    assertThat(RecordJson.toJson(java.util.Map.of("b", 1, "a", 2))).isEqualTo("{\"a\":2,\"b\":1}");
  }
}
