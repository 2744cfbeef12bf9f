/** What an app of Vigil is to the {@code vigil} command: a definition and a service. */
package dev.vigil.runtime.app;
