package dev.vigil.runtime.replay;

import java.nio.file.Path;

/** A replay input that cannot be read: the message names the file and, when known, the line. */
public final class ReplayInputException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An error at one line (1-based) of a file. */
  public ReplayInputException(Path file, int line, String reason) {
    super(file + ":" + line + ": " + reason);
  }

  /** An error about a whole file. */
  public ReplayInputException(Path file, String reason, Throwable cause) {
    super(file + ": " + reason, cause);
  }
}
