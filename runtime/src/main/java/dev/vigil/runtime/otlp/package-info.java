/** OTLP encodings shared by the bridge, the enrichment stream and replay. */
package dev.vigil.runtime.otlp;
