/** Readable JSON rendering of Vigil's records. */
package dev.vigil.schemas.json;
