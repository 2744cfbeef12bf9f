/** Typed, validated configuration from file, environment and command line. */
package dev.vigil.runtime.config;
