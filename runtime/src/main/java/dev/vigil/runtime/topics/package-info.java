/** Topic provisioning and verification against the catalog. */
package dev.vigil.runtime.topics;
