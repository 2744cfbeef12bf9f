/** The management HTTP endpoint: Prometheus metrics and health probes. */
package dev.vigil.runtime.management;
