/** The {@code vigil} command's entry point. */
package dev.vigil.deploy;
