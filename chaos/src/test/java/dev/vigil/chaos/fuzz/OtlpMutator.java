package dev.vigil.chaos.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.vigil.chaos.fuzz.Mutation.Encoding;
import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * A seeded mutator of OTLP export requests. Mutant {@code i} of a seed is always the same bytes,
 * whatever thread makes it, so a failing payload is reproduced from the seed and its index.
 *
 * <p>Encoding the deepest nesting (3,000 levels) recurses that deep: call it on a thread with a
 * large stack (16 MiB is plenty).
 *
 * <p>Mutations at the message level (huge strings, bad enums, NaN, absurd timestamps, bad ids,
 * duplicated repeated fields, deep nesting) change one field of the sample found by protobuf
 * reflection, so they reach every message type of the three signals; the result is then encoded as
 * protobuf or OTLP/JSON. Mutations at the byte level (bit flips, truncation, wrong wire types or
 * JSON types, huge lengths, invalid UTF-8) damage the encoded body itself.
 */
public final class OtlpMutator {
  /** Replaced by invalid UTF-8 after encoding; as long as {@link #INVALID_UTF8_BYTES}. */
  private static final String UTF8_MARKER = "#UTF8MARK#";

  private static final byte[] INVALID_UTF8_BYTES = {
    (byte) 0xC3,
    0x28,
    (byte) 0xA0,
    (byte) 0xA1,
    (byte) 0xE2,
    0x28,
    (byte) 0xA1,
    (byte) 0xF0,
    (byte) 0x28,
    (byte) 0xFF
  };

  private static final int[] HUGE_STRING_SIZES = {70 * 1024, 300 * 1024, 1_200 * 1024};
  private static final int[] NESTING_DEPTHS = {10, 50, 99, 101, 500, 3_000};
  private static final int[] BAD_ENUMS = {-1, 7, 99, 12_345, Integer.MAX_VALUE, Integer.MIN_VALUE};
  private static final double[] BAD_DOUBLES = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    -0.0,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    Double.MIN_VALUE
  };
  private static final long[] ABSURD_NANOS = {
    0L,
    1L,
    -1L, // 2^64 - 1 as the unsigned fixed64 it is
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    Instant.parse("2100-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L,
    Instant.parse("1971-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L,
  };
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    if (UTF8_MARKER.length() != INVALID_UTF8_BYTES.length) {
      throw new AssertionError("the UTF-8 marker and its replacement must be as long");
    }
  }

  private final long seed;

  /** A mutator whose mutants are determined by {@code seed}. */
  public OtlpMutator(long seed) {
    this.seed = seed;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The random source of mutant {@code index}: the same for the same seed and index. */
  public Random random(int index) {
    return new Random(seed * 1_000_003L + index);
  }

  /** Mutant {@code index}: a mutation of {@code sample} (of {@code signal}) in {@code encoding}. */
  public Mutant mutate(int index, OtlpSignal signal, Message sample, Encoding encoding) {
    Random random = random(index);
    List<Mutation> kinds = Mutation.forEncoding(encoding);
    Mutation mutation = kinds.get(random.nextInt(kinds.size()));
    byte[] bytes = apply(mutation, sample, encoding, random);
    return new Mutant(index, signal, encoding, mutation, bytes);
  }

  private static byte[] apply(Mutation mutation, Message sample, Encoding encoding, Random random) {
    return switch (mutation) {
      case BIT_FLIP -> bitFlip(encode(sample, encoding), random);
      case TRUNCATE -> {
        byte[] bytes = encode(sample, encoding);
        yield Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      case DUPLICATE_FIELD -> duplicate(sample, encoding, random);
      case WRONG_TYPE ->
          encoding == Encoding.PROTOBUF
              ? ProtoWire.wrongWireType(sample.toByteArray(), random)
              : wrongJsonType(encode(sample, encoding), random);
      case HUGE_STRING ->
          encode(
              setLeaf(
                  sample,
                  f -> f.getType() == FieldDescriptor.Type.STRING,
                  random,
                  f -> "x".repeat(HUGE_STRING_SIZES[random.nextInt(HUGE_STRING_SIZES.length)])),
              encoding);
      case HUGE_LENGTH ->
          encoding == Encoding.PROTOBUF
              ? ProtoWire.hugeLength(sample.toByteArray(), random)
              : hugeJsonNumber(encode(sample, encoding), random);
      case DEEP_NESTING -> deepNesting(sample, encoding, random);
      case INVALID_UTF8 ->
          replaceMarker(
              encode(
                  setLeaf(
                      sample,
                      f -> f.getType() == FieldDescriptor.Type.STRING,
                      random,
                      f -> UTF8_MARKER),
                  encoding));
      case BAD_ENUM ->
          encode(
              setLeaf(
                  sample,
                  f -> f.getType() == FieldDescriptor.Type.ENUM,
                  random,
                  f ->
                      f.getEnumType()
                          .findValueByNumberCreatingIfUnknown(
                              BAD_ENUMS[random.nextInt(BAD_ENUMS.length)])),
              encoding);
      case NAN_INF ->
          encode(
              setLeaf(
                  sample,
                  f -> f.getType() == FieldDescriptor.Type.DOUBLE,
                  random,
                  f -> BAD_DOUBLES[random.nextInt(BAD_DOUBLES.length)]),
              encoding);
      case ABSURD_TIMESTAMP -> encode(absurdTimestamp(sample, random), encoding);
      case BAD_ID ->
          encode(
              setLeaf(
                  sample,
                  f -> f.getType() == FieldDescriptor.Type.BYTES,
                  random,
                  f -> {
                    byte[] id = new byte[new int[] {0, 1, 3, 7, 9, 15, 17, 64}[random.nextInt(8)]];
                    random.nextBytes(id);
                    return ByteString.copyFrom(id);
                  }),
              encoding);
    };
  }

  /** Encodes a request as OTLP protobuf or OTLP/JSON (hex ids, integer enums). */
  public static byte[] encode(Message message, Encoding encoding) {
    return encoding == Encoding.PROTOBUF
        ? message.toByteArray()
        : OtlpJson.print(message).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bitFlip(byte[] bytes, Random random) {
    byte[] copy = bytes.clone();
    for (int flips = 1 + random.nextInt(8); flips > 0 && copy.length > 0; flips--) {
      int position = random.nextInt(copy.length);
      copy[position] ^= (byte) (1 << random.nextInt(8));
    }
    return copy;
  }

  private static byte[] duplicate(Message sample, Encoding encoding, Random random) {
    int choice = random.nextInt(3);
    if (choice == 0 && encoding == Encoding.PROTOBUF) {
      // Protobuf merges concatenated messages: every repeated field appears twice.
      byte[] bytes = sample.toByteArray();
      return concat(bytes, bytes);
    }
    if (choice == 0) {
      return duplicateJsonKey(encode(sample, encoding), random);
    }
    if (choice == 1 && encoding == Encoding.PROTOBUF) {
      // A random slice of the body appended again: a field repeated, or one cut in two.
      byte[] bytes = sample.toByteArray();
      int from = random.nextInt(bytes.length);
      int to = from + random.nextInt(bytes.length - from) + 1;
      return concat(bytes, Arrays.copyOfRange(bytes, from, to));
    }
    return encode(duplicateRepeatedMessage(sample, random), encoding);
  }

  private static Message duplicateRepeatedMessage(Message sample, Random random) {
    List<Leaf> leaves = new ArrayList<>();
    collect(
        sample,
        List.of(),
        f -> f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE,
        leaves);
    if (leaves.isEmpty()) {
      return sample;
    }
    Leaf leaf = leaves.get(random.nextInt(leaves.size()));
    Message.Builder root = sample.toBuilder();
    Message.Builder parent = navigate(root, leaf.path());
    Object value = parent.getRepeatedField(leaf.field(), leaf.index());
    for (int copies = 1 + random.nextInt(3); copies > 0; copies--) {
      parent.addRepeatedField(leaf.field(), value);
    }
    return root.build();
  }

  private static Message absurdTimestamp(Message sample, Random random) {
    Predicate<FieldDescriptor> timestamp =
        f -> f.getType() == FieldDescriptor.Type.FIXED64 && f.getName().endsWith("time_unix_nano");
    if (random.nextInt(4) == 0) {
      // End before start, or a start far in the past: both fields set, consistently absurd.
      return setLeaf(
          sample,
          f -> timestamp.test(f) && f.getName().startsWith("start"),
          random,
          f -> Long.MAX_VALUE - random.nextInt(1000));
    }
    return setLeaf(
        sample, timestamp, random, f -> ABSURD_NANOS[random.nextInt(ABSURD_NANOS.length)]);
  }

  private static byte[] deepNesting(Message sample, Encoding encoding, Random random) {
    int depth = NESTING_DEPTHS[random.nextInt(NESTING_DEPTHS.length)];
    if (encoding == Encoding.JSON && depth > 101) {
      // Past what the JSON printer re-reads (Jackson's nesting limit): raw JSON arrays instead.
      String json = new String(encode(sample, encoding), StandardCharsets.UTF_8);
      int at = json.indexOf("\"stringValue\":") + "\"stringValue\":".length();
      return (json.substring(0, at)
              + "[".repeat(depth)
              + "1"
              + "]".repeat(depth)
              + json.substring(at).replaceFirst("^\"[^\"]*\"", ""))
          .getBytes(StandardCharsets.UTF_8);
    }
    AnyValue value = AnyValue.newBuilder().setStringValue("bottom").build();
    for (int level = 0; level < depth; level++) {
      value =
          level % 2 == 0
              ? AnyValue.newBuilder()
                  .setArrayValue(ArrayValue.newBuilder().addValues(value))
                  .build()
              : AnyValue.newBuilder()
                  .setKvlistValue(
                      KeyValueList.newBuilder()
                          .addValues(KeyValue.newBuilder().setKey("l" + level).setValue(value)))
                  .build();
    }
    KeyValue nested = KeyValue.newBuilder().setKey("nested").setValue(value).build();
    List<Leaf> attributeLists = new ArrayList<>();
    collect(
        sample, List.of(), f -> f.isRepeated() && f.getName().equals("attributes"), attributeLists);
    Leaf leaf = attributeLists.get(random.nextInt(attributeLists.size()));
    Message.Builder root = sample.toBuilder();
    navigate(root, leaf.path()).addRepeatedField(leaf.field(), nested);
    return encode(root.build(), encoding);
  }

  /** Sets one random field matching {@code eligible} (anywhere in the tree) to a new value. */
  private static Message setLeaf(
      Message sample,
      Predicate<FieldDescriptor> eligible,
      Random random,
      java.util.function.Function<FieldDescriptor, Object> value) {
    List<Leaf> leaves = new ArrayList<>();
    collect(sample, List.of(), eligible, leaves);
    if (leaves.isEmpty()) {
      return sample;
    }
    Leaf leaf = leaves.get(random.nextInt(leaves.size()));
    Message.Builder root = sample.toBuilder();
    Message.Builder parent = navigate(root, leaf.path());
    Object newValue = value.apply(leaf.field());
    if (leaf.index() < 0) {
      parent.setField(leaf.field(), newValue);
    } else {
      parent.setRepeatedField(leaf.field(), leaf.index(), newValue);
    }
    return root.build();
  }

  private static void collect(
      Message message, List<Step> path, Predicate<FieldDescriptor> eligible, List<Leaf> out) {
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      if (field.isRepeated()) {
        List<?> values = (List<?>) entry.getValue();
        for (int i = 0; i < values.size(); i++) {
          if (eligible.test(field)) {
            out.add(new Leaf(path, field, i));
          }
          if (values.get(i) instanceof Message child) {
            collect(child, append(path, new Step(field, i)), eligible, out);
          }
        }
      } else {
        if (eligible.test(field)) {
          out.add(new Leaf(path, field, -1));
        }
        if (entry.getValue() instanceof Message child) {
          collect(child, append(path, new Step(field, -1)), eligible, out);
        }
      }
    }
  }

  private static Message.Builder navigate(Message.Builder root, List<Step> path) {
    Message.Builder builder = root;
    for (Step step : path) {
      builder =
          step.index() < 0
              ? builder.getFieldBuilder(step.field())
              : builder.getRepeatedFieldBuilder(step.field(), step.index());
    }
    return builder;
  }

  private static List<Step> append(List<Step> path, Step step) {
    List<Step> longer = new ArrayList<>(path);
    longer.add(step);
    return longer;
  }

  private static byte[] replaceMarker(byte[] bytes) {
    byte[] marker = UTF8_MARKER.getBytes(StandardCharsets.US_ASCII);
    byte[] copy = bytes.clone();
    for (int i = 0; i + marker.length <= copy.length; i++) {
      if (Arrays.equals(copy, i, i + marker.length, marker, 0, marker.length)) {
        System.arraycopy(INVALID_UTF8_BYTES, 0, copy, i, marker.length);
      }
    }
    return copy;
  }

  private static byte[] wrongJsonType(byte[] json, Random random) {
    JsonNode tree = readTree(json);
    List<Slot> slots = new ArrayList<>();
    slots(tree, slots);
    Slot slot = slots.get(random.nextInt(slots.size()));
    JsonNode replacement =
        switch (random.nextInt(6)) {
          case 0 -> MAPPER.getNodeFactory().textNode("not a " + slot.current().getNodeType());
          case 1 -> MAPPER.getNodeFactory().numberNode(random.nextLong());
          case 2 -> MAPPER.getNodeFactory().booleanNode(true);
          case 3 -> MAPPER.getNodeFactory().nullNode();
          case 4 -> MAPPER.createArrayNode().add(slot.current());
          default -> MAPPER.createObjectNode().set("wrapped", slot.current());
        };
    slot.replace(replacement);
    return writeTree(tree);
  }

  private static byte[] hugeJsonNumber(byte[] json, Random random) {
    String[] huge = {
      "1e400",
      "-1e400",
      "99999999999999999999999999999",
      "-99999999999999999999",
      "1.5e-400",
      "\"18446744073709551616\"",
      "\"-1\"",
      "\"0x7fffffff\""
    };
    String text = new String(json, StandardCharsets.UTF_8);
    // Replaces one quoted or bare number value with a number no integer or double type holds.
    List<int[]> numbers = new ArrayList<>();
    java.util.regex.Matcher matcher =
        java.util.regex.Pattern.compile(":(\"-?[0-9]+\"|-?[0-9][0-9.eE+-]*)").matcher(text);
    while (matcher.find()) {
      numbers.add(new int[] {matcher.start(1), matcher.end(1)});
    }
    if (numbers.isEmpty()) {
      return json;
    }
    int[] at = numbers.get(random.nextInt(numbers.size()));
    return (text.substring(0, at[0]) + huge[random.nextInt(huge.length)] + text.substring(at[1]))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] duplicateJsonKey(byte[] json, Random random) {
    String text = new String(json, StandardCharsets.UTF_8);
    List<Integer> keys = new ArrayList<>();
    java.util.regex.Matcher matcher =
        java.util.regex.Pattern.compile("[{,](\"[A-Za-z]+\":)").matcher(text);
    while (matcher.find()) {
      keys.add(matcher.start(1));
    }
    int at = keys.get(random.nextInt(keys.size()));
    int colon = text.indexOf(':', at);
    String key = text.substring(at, colon + 1);
    String[] values = {"null", "1", "\"dup\"", "{}", "[]", "[{}]"};
    return (text.substring(0, at)
            + key
            + values[random.nextInt(values.length)]
            + ","
            + text.substring(at))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] writeTree(JsonNode tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void slots(JsonNode node, List<Slot> out) {
    if (node instanceof ObjectNode object) {
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        out.add(new Slot(object, name, -1, object.get(name)));
        slots(object.get(name), out);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        out.add(new Slot(array, null, i, array.get(i)));
        slots(array.get(i), out);
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private record Step(FieldDescriptor field, int index) {}

  private record Leaf(List<Step> path, FieldDescriptor field, int index) {}

  /** A place in a JSON tree: a field of an object or an element of an array. */
  private record Slot(JsonNode parent, String name, int index, JsonNode current) {
    void replace(JsonNode value) {
      if (parent instanceof ObjectNode object) {
        object.set(name, value);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    }
  }
}
