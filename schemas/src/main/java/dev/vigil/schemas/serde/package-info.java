/** Avro serdes: single-object encoded values with schema history, frozen binary keys. */
package dev.vigil.schemas.serde;
