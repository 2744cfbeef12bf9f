/**
 * Grafana dashboards of Vigil, written from code ({@link
 * dev.vigil.deploy.dashboards.DashboardFiles}) into {@code deploy/dashboards/}; a test keeps the
 * checked-in files equal to what the code writes.
 */
package dev.vigil.deploy.dashboards;
