/**
 * What Vigil's sink connectors share: the HTTP target (auth, TLS, retries), the configuration
 * pieces, decoding of Vigil's record values, handling of malformed records, task metrics and the
 * generated configuration reference.
 */
package dev.vigil.sinks.common;
