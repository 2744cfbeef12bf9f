package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.bridge.internal.KafkaWriter;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.RequiredBinary;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both receivers (PEM files) and bearer-token auth: the real SDK exports over TLS with a
 * token, its tenant lands in a record header, requests without a valid token are refused on both
 * protocols, and no token ever appears in the log.
 */
@Timeout(120)
class BridgeSecurityIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final String TOKEN = "tok-7f3a9c-secret";
  @TempDir static Path dir;

  private static BridgeFixture fixture;
  private static byte[] certificate;

  @BeforeAll
  static void startBridge() throws Exception {
    String openssl = RequiredBinary.require("openssl", "openssl").toString();
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process process =
        new ProcessBuilder(
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    certificate = Files.readAllBytes(cert);
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, TOKEN + "=shop\n");
    fixture =
        new BridgeFixture(
            KAFKA.bootstrapServers(),
            Map.of(
                "bridge.tls.cert.file", cert.toString(),
                "bridge.tls.key.file", key.toString(),
                "bridge.auth.tokens.file", tokens.toString()));
    KAFKA.createTopics(
        fixture.topics.otlpMetrics, fixture.topics.otlpSpans, fixture.topics.otlpLogs);
  }

  @AfterAll
  static void stopBridge() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void sdkExportsOverTlsWithTokenAndTenantIsRecorded() throws Exception {
    export(
        "tls-grpc",
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(fixture.grpcEndpoint("https"))
            .setTrustedCertificates(certificate)
            .addHeader("Authorization", "Bearer " + TOKEN)
            .build());
    export(
        "tls-http",
        OtlpHttpSpanExporter.builder()
            .setEndpoint(fixture.httpEndpoint("https") + "/v1/traces")
            .setTrustedCertificates(certificate)
            .addHeader("Authorization", "Bearer " + TOKEN)
            .build());

    List<ConsumerRecord<String, byte[]>> records =
        KAFKA.consumeUntil(
            fixture.topics.otlpSpans,
            rs ->
                rs.stream().anyMatch(r -> r.key().equals("tls-grpc"))
                    && rs.stream().anyMatch(r -> r.key().equals("tls-http")),
            Duration.ofSeconds(30));
    assertThat(records)
        .allSatisfy(
            r ->
                assertThat(
                        new String(
                            r.headers().lastHeader(KafkaWriter.TENANT_HEADER).value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("shop"));
  }

  /** A missing and a wrong token, on each protocol: each refused and counted. */
  @Test
  void refusesRequestsWithoutAValidToken() throws Exception {
    HttpClient https = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
    HttpResponse<byte[]> noToken =
        https.send(
            HttpRequest.newBuilder(URI.create(fixture.httpEndpoint("https") + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    HttpResponse<byte[]> wrongToken =
        https.send(
            HttpRequest.newBuilder(URI.create(fixture.httpEndpoint("https") + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer guessed")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(wrongToken.statusCode()).isEqualTo(401);

    io.grpc.ManagedChannel channel =
        io.grpc.Grpc.newChannelBuilderForAddress(
                "127.0.0.1",
                fixture.bridge.grpcPort(),
                io.grpc.TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(certificate))
                    .build())
            .overrideAuthority("localhost")
            .build();
    try {
      Metadata wrong = new Metadata();
      wrong.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer guessed");
      assertThatThrownBy(
              () ->
                  TraceServiceGrpc.newBlockingStub(channel)
                      .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(wrong))
                      .export(ExportTraceServiceRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      assertThatThrownBy(
              () ->
                  TraceServiceGrpc.newBlockingStub(channel)
                      .export(ExportTraceServiceRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"http\",reason=\"unauthenticated\"}"))
        .isEqualTo(2);
    assertThat(
            fixture.metric(
                "vigil_bridge_requests_rejected_total{protocol=\"grpc\",reason=\"unauthenticated\"}"))
        .isEqualTo(2);
    assertThat(fixture.registry.scrape()).doesNotContain(TOKEN);
  }

  @Test
  void neverPrintsInlineTokensInTheEffectiveSettings() {
    org.apache.kafka.common.config.ConfigDef definition =
        dev.vigil.runtime.config.CoreConfig.definition();
    BridgeConfig.define(definition);
    dev.vigil.runtime.config.CoreConfig config =
        new dev.vigil.runtime.config.CoreConfig(
            definition,
            new dev.vigil.runtime.config.ConfigSources()
                .env(Map.of("VIGIL_BRIDGE_AUTH_TOKENS", TOKEN + "=shop")));

    assertThat(new BridgeConfig(config).authTokens()).isEqualTo(TOKEN + "=shop");
    assertThat(config.describe()).contains("bridge.auth.tokens=[hidden]").doesNotContain(TOKEN);
  }

  @Test
  void refusesPlainHttpOnTheTlsPort() {
    HttpClient plain = HttpClient.newHttpClient();
    assertThatThrownBy(
            () ->
                plain.send(
                    HttpRequest.newBuilder(URI.create(fixture.httpEndpoint("http") + "/v1/traces"))
                        .timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(java.io.IOException.class);
  }

  private static void export(String service, SpanExporter exporter) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                io.opentelemetry.sdk.resources.Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), service)))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    try {
      provider.get("security-it").spanBuilder("GET /secure").startSpan().end();
      assertThat(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess())
          .as("export from " + service)
          .isTrue();
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static SSLContext trusting(byte[] pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry(
        "bridge",
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem)));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
