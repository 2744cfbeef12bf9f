/** The embedded single-node KRaft broker of {@code vigil up}. */
package dev.vigil.deploy.broker;
