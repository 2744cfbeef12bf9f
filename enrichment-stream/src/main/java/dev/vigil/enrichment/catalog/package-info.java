/** The service catalog file format ({@code vigil catalog load FILE}): YAML or JSON. */
package dev.vigil.enrichment.catalog;
