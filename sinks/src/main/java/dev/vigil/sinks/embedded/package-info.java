/**
 * An in-process Kafka Connect standalone worker for Vigil's sinks ({@code vigil up}, tests). Needs
 * {@code connect-runtime} on the classpath, which the plugin itself never packages.
 */
package dev.vigil.sinks.embedded;
