/** The bridge's receivers, splitting, backpressure and Kafka writing; not public API. */
package dev.vigil.bridge.internal;
