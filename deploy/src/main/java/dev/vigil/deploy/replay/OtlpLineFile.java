package dev.vigil.deploy.replay;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads one file the Collector's file exporter wrote: one OTLP/JSON export request per line (blank
 * lines skipped; {@code .gz} files decompressed). The signal comes from each line's content, not
 * from the file name. A line without any timestamp takes the time of the line before it, so it
 * keeps its place.
 */
final class OtlpLineFile implements AutoCloseable {
  private final Path file;
  private final String name;
  private final BufferedReader reader;
  private int lineNumber;
  private long lastTime;
  private long bytes;

  OtlpLineFile(Path file, String name) throws IOException {
    this.file = file;
    this.name = name;
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /**
   * The next request, or null at the end of the file.
   *
   * @throws ReplayInputException naming the file and line if a line is not an OTLP export request
   */
  OtlpLine next() throws ReplayInputException {
    String text;
    do {
      try {
        text = reader.readLine();
      } catch (IOException e) {
        throw new ReplayInputException(
            name + ":" + (lineNumber + 1) + ": cannot read " + file + ": " + e.getMessage());
      }
      if (text == null) {
        return null;
      }
      lineNumber++;
      bytes += text.length() + 1;
    } while (text.isBlank());
    String location = name + ":" + lineNumber;
    Message request;
    try {
      request = OtlpJson.any(text.getBytes(StandardCharsets.UTF_8));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new ReplayInputException(location + ": " + reason(e));
    }
    long time = OtlpEventTime.earliestNanos(request);
    if (time == OtlpEventTime.NONE) {
      time = lastTime;
    }
    lastTime = time;
    return new OtlpLine(signalOf(request), request, time, location);
  }

  /** Characters read so far (for progress). */
  long bytesRead() {
    return bytes;
  }

  private static OtlpSignal signalOf(Message request) {
    if (request instanceof ExportMetricsServiceRequest) {
      return OtlpSignal.METRICS;
    }
    return request instanceof ExportLogsServiceRequest ? OtlpSignal.LOGS : OtlpSignal.TRACES;
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
