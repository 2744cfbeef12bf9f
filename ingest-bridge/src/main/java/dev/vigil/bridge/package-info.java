/** The ingest bridge: OTLP/gRPC and OTLP/HTTP receivers onto Kafka. */
package dev.vigil.bridge;
