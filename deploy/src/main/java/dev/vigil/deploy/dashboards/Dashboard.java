package dev.vigil.deploy.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One Grafana dashboard (schema 39) being built: panels laid out left to right, two per row. Only
 * what Vigil's dashboards use is modelled; the JSON is what Grafana's provisioning loads.
 */
final class Dashboard {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PANEL_WIDTH = 12;
  private static final int PANEL_HEIGHT = 8;

  private final String uid;
  private final String title;
  private final String description;
  private final ArrayNode panels = JSON.createArrayNode();
  private final ArrayNode variables = JSON.createArrayNode();
  private final List<Query> queries = new ArrayList<>();

  /** A query of a panel, kept so tests can check what it names. */
  record Query(String datasourceUid, String expression) {}

  Dashboard(String uid, String title, String description) {
    this.uid = uid;
    this.title = title;
    this.description = description;
  }

  /** A PromQL query and the legend of its lines ({@code {{label}}} takes a label's value). */
  record Target(String expr, String legend) {}

  /** A Prometheus time series panel, one query per target. */
  Dashboard promPanel(String datasourceUid, String title, String unit, Target... targets) {
    ObjectNode panel = panel("timeseries", title, datasourceUid, "prometheus");
    panel.putObject("fieldConfig").putObject("defaults").put("unit", unit);
    ArrayNode targetsJson = panel.putArray("targets");
    char refId = 'A';
    for (Target query : targets) {
      ObjectNode target = targetsJson.addObject();
      target.put("refId", String.valueOf(refId++));
      target.set("datasource", datasource(datasourceUid, "prometheus"));
      target.put("expr", query.expr());
      target.put("legendFormat", query.legend());
      queries.add(new Query(datasourceUid, query.expr()));
    }
    return this;
  }

  /**
   * An OpenSearch panel over one index: a count per interval split by a field (time series) or the
   * latest documents (table), filtered by a Lucene query.
   */
  Dashboard searchPanel(
      String datasourceUid,
      String title,
      String index,
      String lucene,
      String splitByField,
      boolean table) {
    ObjectNode panel =
        panel(
            table ? "table" : "timeseries", title, datasourceUid, "grafana-opensearch-datasource");
    ObjectNode target = panel.putArray("targets").addObject();
    target.put("refId", "A");
    target.set("datasource", datasource(datasourceUid, "grafana-opensearch-datasource"));
    target.put("index", index);
    target.put("timeField", "@timestamp");
    target.put("query", lucene);
    target.put("queryType", "lucene");
    if (table) {
      target.putArray("metrics").addObject().put("id", "1").put("type", "raw_data");
      target.putArray("bucketAggs");
    } else {
      target.putArray("metrics").addObject().put("id", "1").put("type", "count");
      ArrayNode buckets = target.putArray("bucketAggs");
      ObjectNode terms = buckets.addObject().put("id", "2").put("type", "terms");
      terms.put("field", splitByField);
      terms.putObject("settings").put("size", "10").put("order", "desc").put("orderBy", "_count");
      ObjectNode histogram =
          buckets
              .addObject()
              .put("id", "3")
              .put("type", "date_histogram")
              .put("field", "@timestamp");
      histogram.putObject("settings").put("interval", "auto");
    }
    queries.add(new Query(datasourceUid, index + " " + lucene));
    return this;
  }

  /** A dashboard variable filled from a Prometheus label's values. */
  Dashboard labelVariable(String datasourceUid, String name, String metric, String label) {
    ObjectNode variable = variables.addObject();
    variable.put("name", name);
    variable.put("type", "query");
    variable.set("datasource", datasource(datasourceUid, "prometheus"));
    variable.put("query", "label_values(" + metric + ", " + label + ")");
    variable.put("includeAll", true);
    variable.put("multi", true);
    variable.put("allValue", ".*");
    variable.put("refresh", 2);
    queries.add(new Query(datasourceUid, metric));
    return this;
  }

  List<Query> queries() {
    return List.copyOf(queries);
  }

  String uid() {
    return uid;
  }

  ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("uid", uid);
    root.put("title", title);
    root.put("description", description);
    root.putArray("tags").add("vigil");
    root.put("schemaVersion", 39);
    root.put("version", 1);
    root.put("editable", false);
    root.put("refresh", "30s");
    root.putObject("time").put("from", "now-6h").put("to", "now");
    root.putObject("templating").set("list", variables.deepCopy());
    root.set("panels", panels.deepCopy());
    return root;
  }

  private ObjectNode panel(String type, String title, String datasourceUid, String pluginType) {
    int index = panels.size();
    ObjectNode panel = panels.addObject();
    panel.put("id", index + 1);
    panel.put("type", type);
    panel.put("title", title);
    panel.set("datasource", datasource(datasourceUid, pluginType));
    panel
        .putObject("gridPos")
        .put("h", PANEL_HEIGHT)
        .put("w", PANEL_WIDTH)
        .put("x", (index % 2) * PANEL_WIDTH)
        .put("y", (index / 2) * PANEL_HEIGHT);
    return panel;
  }

  private static ObjectNode datasource(String uid, String type) {
    return JSON.createObjectNode().put("type", type).put("uid", uid);
  }
}
