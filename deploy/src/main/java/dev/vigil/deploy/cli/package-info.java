/** The {@code vigil} command line: up, topics, tail. */
package dev.vigil.deploy.cli;
