/** End-to-end benchmark of the ingest bridge against its ceiling, a plain producer. */
package dev.vigil.perf.bridge;
