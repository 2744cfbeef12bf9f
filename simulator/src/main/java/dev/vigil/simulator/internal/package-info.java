/** Generators and emitters of the simulator; not public API. */
package dev.vigil.simulator.internal;
