/** The Streams app lifecycle every Vigil app shares: exactly-once v2, DLQ handlers, health. */
package dev.vigil.runtime.streams;
