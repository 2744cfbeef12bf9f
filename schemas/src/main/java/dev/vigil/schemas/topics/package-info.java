/** The typed topic catalog shared by every app and by provisioning. */
package dev.vigil.schemas.topics;
