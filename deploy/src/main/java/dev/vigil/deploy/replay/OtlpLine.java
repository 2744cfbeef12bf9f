package dev.vigil.deploy.replay;

import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.OtlpSignal;

/**
 * One line of a recorded file: an export request, its signal, its event time and where it came
 * from.
 *
 * @param signal which of the three OTLP signals the request carries
 * @param request the parsed {@code Export*ServiceRequest}
 * @param timeNanos its earliest event time (see {@link OtlpEventTime})
 * @param location {@code FILE:LINE}, for messages
 */
record OtlpLine(OtlpSignal signal, Message request, long timeNanos, String location) {}
