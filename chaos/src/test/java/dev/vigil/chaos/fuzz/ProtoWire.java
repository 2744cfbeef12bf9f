package dev.vigil.chaos.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Damage at the protobuf wire level: a field's tag given another wire type, a length prefix made
 * larger than what follows. The fields are found by walking the encoding, descending into every
 * length-delimited field that itself parses as fields, so nested messages are hit too.
 */
final class ProtoWire {
  private static final long[] HUGE_LENGTHS = {
    0x7fff_ffffL, 0xffff_ffffL, 1L << 40, -1L, 1 << 20, 1 << 28
  };

  private ProtoWire() {}

  /** A field's tag kept, its wire type changed to another of 0–7. */
  static byte[] wrongWireType(byte[] bytes, Random random) {
    List<Field> fields = fields(bytes);
    Field field = fields.get(random.nextInt(fields.size()));
    int wireType = (field.wireType() + 1 + random.nextInt(7)) % 8;
    byte[] copy = bytes.clone();
    // The wire type is the low 3 bits of the tag varint's first byte.
    copy[field.tagOffset()] = (byte) ((copy[field.tagOffset()] & ~0x07) | wireType);
    return copy;
  }

  /** A length prefix replaced by one far larger than the bytes that follow (or negative). */
  static byte[] hugeLength(byte[] bytes, Random random) {
    List<Field> delimited = fields(bytes).stream().filter(f -> f.wireType() == 2).toList();
    Field field = delimited.get(random.nextInt(delimited.size()));
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 10);
    out.write(bytes, 0, field.lengthOffset());
    writeVarint(out, HUGE_LENGTHS[random.nextInt(HUGE_LENGTHS.length)]);
    int after = field.lengthOffset() + field.lengthSize();
    out.write(bytes, after, bytes.length - after);
    return out.toByteArray();
  }

  /** Every field of the encoding, nested ones included. */
  static List<Field> fields(byte[] bytes) {
    List<Field> out = new ArrayList<>();
    walk(bytes, 0, bytes.length, 0, out);
    return out;
  }

  /** Walks fields in [from, to); returns false (adding nothing) if they do not parse. */
  private static boolean walk(byte[] bytes, int from, int to, int depth, List<Field> out) {
    List<Field> found = new ArrayList<>();
    List<int[]> children = new ArrayList<>();
    int position = from;
    while (position < to) {
      long[] tag = readVarint(bytes, position, to);
      if (tag == null || (tag[0] >>> 3) == 0) {
        return false;
      }
      int tagOffset = position;
      int wireType = (int) (tag[0] & 7);
      position += (int) tag[1];
      switch (wireType) {
        case 0 -> {
          long[] value = readVarint(bytes, position, to);
          if (value == null) {
            return false;
          }
          found.add(new Field(tagOffset, wireType, -1, 0));
          position += (int) value[1];
        }
        case 1 -> {
          found.add(new Field(tagOffset, wireType, -1, 0));
          position += 8;
        }
        case 5 -> {
          found.add(new Field(tagOffset, wireType, -1, 0));
          position += 4;
        }
        case 2 -> {
          long[] length = readVarint(bytes, position, to);
          if (length == null || length[0] < 0 || position + length[1] + length[0] > to) {
            return false;
          }
          found.add(new Field(tagOffset, wireType, position, (int) length[1]));
          int start = position + (int) length[1];
          children.add(new int[] {start, start + (int) length[0]});
          position = start + (int) length[0];
        }
        default -> {
          return false;
        }
      }
    }
    if (position != to) {
      return false;
    }
    out.addAll(found);
    if (depth < 12) {
      for (int[] child : children) {
        if (child[1] > child[0]) {
          walk(bytes, child[0], child[1], depth + 1, out);
        }
      }
    }
    return true;
  }

  /** {value, size} of the varint at {@code position}, or null if there is none. */
  private static long[] readVarint(byte[] bytes, int position, int to) {
    long value = 0;
    for (int i = 0; i < 10 && position + i < to; i++) {
      byte b = bytes[position + i];
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return new long[] {value, i + 1};
      }
    }
    return null;
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** A field: where its tag is, its wire type, and for wire type 2 where its length is. */
  record Field(int tagOffset, int wireType, int lengthOffset, int lengthSize) {
    @Override
    public String toString() {
      return "field@" + tagOffset + "/wt" + wireType + Arrays.toString(new int[] {lengthOffset});
    }
  }
}
