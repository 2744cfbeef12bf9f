/** Test fixtures for Vigil's tests (test scope only): a real KRaft cluster and helpers. */
package dev.vigil.testkit;
