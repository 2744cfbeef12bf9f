/** The rca-stream app: anomalies over the live service graph into incidents and alerts. */
package dev.vigil.rca;
