package dev.vigil.bridge.internal;

import com.google.rpc.Code;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the OTLP/gRPC calls in progress (from their start until they are answered or cancelled:
 * being decoded, or waiting for Kafka). A call beyond the bound is answered RESOURCE_EXHAUSTED with
 * a {@code RetryInfo} at once, before its request is read or decoded.
 *
 * <p>grpc-java runs calls on an unbounded executor; under CPU overload every call would otherwise
 * get its own thread and compete for the cores, latency growing until clients time out (their
 * retries adding more). With the bound the work in progress stays fixed and the excess gets a cheap
 * answer the OTLP exporters honour by backing off, as {@code bridge.http.max.queued} does for HTTP.
 * Refusals need no queue: the check runs when the call starts, so it is never stuck behind work.
 */
final class GrpcCallLimit implements ServerInterceptor {
  private final int maxCalls;
  private final AtomicInteger inProgress = new AtomicInteger();

  /**
   * @param maxCalls calls that may be in progress at once, at least 1
   */
  GrpcCallLimit(int maxCalls) {
    if (maxCalls < 1) {
      throw new IllegalArgumentException("maxCalls must be at least 1, got " + maxCalls);
    }
    this.maxCalls = maxCalls;
  }

  /** Calls started and not yet answered or cancelled. */
  int inProgress() {
    return inProgress.get();
  }

  @Override
  public <Q, P> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, P> call, Metadata headers, ServerCallHandler<Q, P> next) {
    if (inProgress.incrementAndGet() > maxCalls) {
      inProgress.decrementAndGet();
      StatusRuntimeException busy =
          GrpcReceiver.retryable(
              Code.RESOURCE_EXHAUSTED,
              "the bridge is busy: "
                  + maxCalls
                  + " gRPC calls are in progress (bridge.grpc.max.calls); retry later");
      call.close(busy.getStatus(), busy.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    Slot slot = new Slot();
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(slot.releasedOnClose(call), headers);
    } catch (RuntimeException e) {
      slot.release();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        slot.release();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        slot.release();
        super.onCancel();
      }
    };
  }

  /**
   * One call's place within the bound, given back once: when the call is answered, or when gRPC
   * reports it complete or cancelled (a client gone, or a handler that failed), whichever is first.
   */
  private final class Slot {
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true)) {
        inProgress.decrementAndGet();
      }
    }

    <Q, P> ServerCall<Q, P> releasedOnClose(ServerCall<Q, P> call) {
      return new SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          release();
          super.close(status, trailers);
        }
      };
    }
  }
}
