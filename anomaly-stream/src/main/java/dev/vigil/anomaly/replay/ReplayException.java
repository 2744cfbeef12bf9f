package dev.vigil.anomaly.replay;

import java.nio.file.Path;

/** A replay input that cannot be read: the message names the file and, when known, the line. */
public final class ReplayException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An error at one line (1-based) of a file. */
  public ReplayException(Path file, int line, String reason) {
    super(file + ":" + line + ": " + reason);
  }

  /** The same error, read by the shared CSV reader. */
  public ReplayException(dev.vigil.runtime.replay.ReplayInputException cause) {
    super(cause.getMessage(), cause);
  }

  /** An error about a whole file. */
  public ReplayException(Path file, String reason, Throwable cause) {
    super(file + ": " + reason, cause);
  }
}
