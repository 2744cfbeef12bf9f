package dev.vigil.bridge.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.bridge.internal.BridgeMetrics.Protocol;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC receiver: {@code MetricsService}, {@code TraceService} and {@code LogsService} Export.
 *
 * <p>Requests arrive as raw bytes (gRPC has already applied gzip decompression and the size limit),
 * so a malformed payload is answered with INVALID_ARGUMENT and a message, as the OTLP specification
 * asks, rather than gRPC's generic INTERNAL. Throttling and an unavailable Kafka are answered with
 * RESOURCE_EXHAUSTED / UNAVAILABLE carrying a {@code RetryInfo}, which OTLP exporters honour.
 *
 * <p>Calls in progress are bounded by {@code bridge.grpc.max.calls} ({@link GrpcCallLimit}); the
 * ones beyond are refused with RESOURCE_EXHAUSTED at once, as OTLP/HTTP refuses with 429.
 */
public final class GrpcReceiver implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(GrpcReceiver.class);
  private static final Context.Key<String> TENANT = Context.key("vigil-tenant");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final BridgeConfig config;
  private final Ingest ingest;
  private final TokenAuth auth;
  private final BridgeMetrics metrics;
  private final GrpcCallLimit callLimit;
  private Server server;

  /** Prepares the receiver; {@link #start()} binds it. */
  public GrpcReceiver(BridgeConfig config, Ingest ingest, TokenAuth auth, BridgeMetrics metrics) {
    this.config = config;
    this.ingest = ingest;
    this.auth = auth;
    this.metrics = metrics;
    this.callLimit = new GrpcCallLimit(config.grpcMaxCalls());
    metrics.grpcCallsInProgress(callLimit::inProgress);
  }

  /** Binds the port and serves. */
  public void start() throws IOException {
    ServerCredentials credentials =
        config
            .tls()
            .<ServerCredentials>map(tls -> tlsCredentials(tls))
            .orElseGet(InsecureServerCredentials::create);
    server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(config.host(), config.grpcPort()), credentials)
            .maxInboundMessageSize(config.maxRequestBytes())
            .addStreamTracerFactory(new RejectionCounter())
            // Runs before the per-service Guard: overload is refused before any other work.
            .intercept(callLimit)
            .addService(
                ServerInterceptors.intercept(
                    service(OtlpSignal.METRICS, MetricsServiceGrpc.getExportMethod()), new Guard()))
            .addService(
                ServerInterceptors.intercept(
                    service(OtlpSignal.TRACES, TraceServiceGrpc.getExportMethod()), new Guard()))
            .addService(
                ServerInterceptors.intercept(
                    service(OtlpSignal.LOGS, LogsServiceGrpc.getExportMethod()), new Guard()))
            .build()
            .start();
    LOGGER.info(
        "OTLP/gRPC receiver on {}:{}{}",
        config.host(),
        port(),
        config.tls().isPresent() ? " (TLS)" : "");
  }

  /** The bound port. */
  public int port() {
    return server.getPort();
  }

  private static ServerCredentials tlsCredentials(BridgeConfig.Tls tls) {
    try {
      return TlsServerCredentials.create(tls.certificate().toFile(), tls.privateKey().toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TLS files " + tls, e);
    }
  }

  /** One Export method whose request is taken as raw bytes and decoded by us. */
  private <R extends Message> ServerServiceDefinition service(
      OtlpSignal signal, MethodDescriptor<?, R> export) {
    @SuppressWarnings("unchecked")
    R prototype = (R) OtlpDecoder.response(signal, 0, "");
    MethodDescriptor<byte[], R> method =
        MethodDescriptor.<byte[], R>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(export.getFullMethodName())
            .setRequestMarshaller(new BytesMarshaller())
            .setResponseMarshaller(ProtoUtils.marshaller(prototype))
            .build();
    return ServerServiceDefinition.builder(export.getServiceName())
        .addMethod(
            method,
            ServerCalls.asyncUnaryCall((bytes, observer) -> export(signal, bytes, observer)))
        .build();
  }

  private <R extends Message> void export(
      OtlpSignal signal, byte[] bytes, StreamObserver<R> observer) {
    CompletableFuture<IngestResult> outcome;
    try {
      outcome = ingest.ingestProtobuf(signal, bytes, Protocol.GRPC, TENANT.get());
    } catch (InvalidProtocolBufferException e) {
      observer.onError(
          Status.INVALID_ARGUMENT
              .withDescription("malformed OTLP protobuf: " + e.getMessage())
              .asRuntimeException());
      return;
    }
    outcome.thenAccept(
        result -> {
          switch (result.outcome()) {
            case ACCEPTED -> {
              @SuppressWarnings("unchecked")
              R response =
                  (R) OtlpDecoder.response(signal, result.rejectedItems(), result.message());
              observer.onNext(response);
              observer.onCompleted();
            }
            case THROTTLED ->
                observer.onError(retryable(Code.RESOURCE_EXHAUSTED, result.message()));
            case UNAVAILABLE -> observer.onError(retryable(Code.UNAVAILABLE, result.message()));
          }
        });
  }

  /** An error status the OTLP exporters retry: {@code code} with a {@code RetryInfo} of 2 s. */
  static StatusRuntimeException retryable(Code code, String message) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(IngestResult.RETRY_AFTER_SECONDS))
                        .build()))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      try {
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
          server.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.shutdownNow();
      }
    }
  }

  /** Authenticates calls: a missing or unknown bearer token is UNAUTHENTICATED. */
  private final class Guard implements ServerInterceptor {
    @Override
    public <Q, P> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, P> call, Metadata headers, ServerCallHandler<Q, P> next) {
      if (!auth.enabled()) {
        return next.startCall(call, headers);
      }
      String tenant = auth.tenantOf(headers.get(AUTHORIZATION)).orElse(null);
      if (tenant == null) {
        call.close(
            Status.UNAUTHENTICATED.withDescription("missing or unknown bearer token"),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return Contexts.interceptCall(
          Context.current().withValue(TENANT, tenant), call, headers, next);
    }
  }

  /**
   * Counts every refused call by reason. A stream tracer sees the final status of every call,
   * including those gRPC itself refuses before any handler runs (a message over the size limit).
   */
  private final class RejectionCounter extends ServerStreamTracer.Factory {
    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
      return new ServerStreamTracer() {
        @Override
        public void streamClosed(Status status) {
          if (!status.isOk()) {
            metrics.requestRejected(Protocol.GRPC, reasonOf(status));
          }
        }
      };
    }
  }

  private static RejectReason reasonOf(Status status) {
    String description = String.valueOf(status.getDescription());
    return switch (status.getCode()) {
      case RESOURCE_EXHAUSTED ->
          description.contains("exceeds maximum") || description.contains("larger than")
              ? RejectReason.TOO_LARGE
              : RejectReason.THROTTLED;
      case UNAVAILABLE -> RejectReason.KAFKA_UNAVAILABLE;
      case UNAUTHENTICATED -> RejectReason.UNAUTHENTICATED;
      case INVALID_ARGUMENT -> RejectReason.MALFORMED;
      case UNIMPLEMENTED -> RejectReason.NOT_FOUND;
      case INTERNAL ->
          description.contains("ecompress") ? RejectReason.MALFORMED : RejectReason.OTHER;
      default -> RejectReason.OTHER;
    };
  }

  /** Passes the request bytes through; gRPC has bounded them by maxInboundMessageSize. */
  private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INVALID_ARGUMENT
            .withDescription("cannot read request: " + e.getMessage())
            .withCause(e)
            .asRuntimeException();
      }
    }
  }
}
