/** Throughput of the simulator's telemetry generation. */
package dev.vigil.perf.simulator;
