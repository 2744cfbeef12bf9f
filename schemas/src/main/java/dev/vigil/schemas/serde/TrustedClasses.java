package dev.vigil.schemas.serde;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Tells Avro that Vigil's generated records may be instantiated while decoding.
 *
 * <p>Avro 1.12.2 refuses classes it does not trust (a guard against gadget classes named in a
 * schema). Only {@code dev.vigil.schemas.*} is added; everything else keeps Avro's default.
 */
final class TrustedClasses {
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private TrustedClasses() {}

  static void ensureInstalled() {
    if (INSTALLED.compareAndSet(false, true)) {
      ClassSecurityValidator.setGlobal(
          ClassSecurityValidator.composite(
              ClassSecurityValidator.getGlobal(),
              c -> c.getName().startsWith("dev.vigil.schemas.")));
    }
  }
}
