package dev.vigil.deploy.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered objects into fabric8's typed Kubernetes model and lists every field the model does
 * not know. fabric8 keeps unknown fields in {@code additionalProperties} instead of failing, so a
 * misspelt or misplaced field ({@code livenesProbe}, {@code ports} under {@code spec}) shows up
 * there: the walk below finds them at any depth.
 */
final class FabricModel {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private static final Map<String, Class<? extends HasMetadata>> TYPES =
      Map.of(
          "apps/v1 Deployment", Deployment.class,
          "v1 Service", Service.class,
          "v1 ConfigMap", ConfigMap.class,
          "v1 Namespace", Namespace.class,
          "policy/v1 PodDisruptionBudget", PodDisruptionBudget.class,
          "batch/v1 Job", Job.class,
          "autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

  private FabricModel() {}

  /** The typed object, or an AssertionError naming the apiVersion and kind fabric8 lacks. */
  static HasMetadata typed(JsonNode object) {
    String type = object.path("apiVersion").asText() + " " + object.path("kind").asText();
    Class<? extends HasMetadata> javaType = TYPES.get(type);
    if (javaType == null) {
      throw new AssertionError("no typed model for " + type);
    }
    try {
      return JSON.treeToValue(object, javaType);
    } catch (Exception e) {
      throw new AssertionError("not a valid " + type + ": " + e.getMessage(), e);
    }
  }

  static <T extends HasMetadata> T typed(JsonNode object, Class<T> type) {
    return type.cast(typed(object));
  }

  /** Paths (e.g. {@code spec.template.spec.containers[0].livenesProbe}) the model doesn't know. */
  static List<String> unknownFields(Object model) {
    List<String> unknown = new ArrayList<>();
    walk(model, "", unknown);
    return unknown;
  }

  private static void walk(Object value, String path, List<String> unknown) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, unknown));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class
          || !getter.getName().startsWith("get")) {
        continue;
      }
      Object child = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        ((Map<?, ?>) child).keySet().forEach(k -> unknown.add(path + "." + k));
      } else {
        String field =
            Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
        walk(child, path.isEmpty() ? field : path + "." + field, unknown);
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(getter + " failed", e);
    }
  }
}
