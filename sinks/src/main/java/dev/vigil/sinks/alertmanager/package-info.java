/**
 * The Alertmanager sink: {@code vigil.alerts} to Alertmanager's {@code POST /api/v2/alerts},
 * keeping firing alerts alive by re-posting them and posting resolutions.
 */
package dev.vigil.sinks.alertmanager;
