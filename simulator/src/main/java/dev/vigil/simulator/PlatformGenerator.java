package dev.vigil.simulator;

import dev.vigil.schemas.NodeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds the simulated e-commerce platform: a hand-made core of 15 services (frontend, api-gateway,
 * catalog, search, recommendation, cart, checkout, pricing, inventory, payment, fraud, shipping,
 * notification, user, auth) with their databases, caches and queues, plus satellite services,
 * generated deterministically from a seed, up to the requested number of services.
 *
 * <p>Satellites hang under a service of their domain (or a second caller, sometimes), each called
 * often enough that it sees traffic every minute (at least 8% of the requests): a service that is
 * called twice an hour is not what a platform's golden signals are about. About 40% get a
 * PostgreSQL database of their own and 20% a Redis cache. Calls only go from older nodes to newer
 * ones, so the graph is acyclic.
 */
public final class PlatformGenerator {
  /** Services of the default platform: {@value}. */
  public static final int DEFAULT_SERVICES = 60;

  /** Services of the hand-made core: {@value}; the smallest platform. */
  public static final int CORE_SERVICES = 15;

  private static final double MIN_SHARE = 0.08;
  private static final Map<String, List<String>> SATELLITE_NAMES =
      Map.of(
          "web",
          List.of("bff-mobile", "geo-ip", "ab-testing", "web-assets", "session-replay"),
          "identity",
          List.of("profile", "address-book", "preferences", "consent", "mfa"),
          "catalog",
          List.of(
              "reviews",
              "product-images",
              "taxonomy",
              "availability",
              "bundles",
              "price-history",
              "search-suggest",
              "merchandising"),
          "commerce",
          List.of(
              "promotions",
              "coupons",
              "tax",
              "currency",
              "loyalty",
              "wishlist",
              "gift-cards",
              "invoice",
              "subscriptions"),
          "fulfillment",
          List.of("warehouse", "carrier-gateway", "tracking", "returns", "delivery-slots"));
  private static final List<String> DOMAINS =
      List.of("web", "identity", "catalog", "commerce", "fulfillment");

  private final Map<String, Draft> drafts = new LinkedHashMap<>();
  private final SplittableRandom random;

  private PlatformGenerator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The default platform ({@value #DEFAULT_SERVICES} services) of seed 1. */
  public static Platform ecommerce() {
    return ecommerce(DEFAULT_SERVICES, 1);
  }

  /**
   * A platform of {@code services} services (plus their databases, caches and queues).
   *
   * @throws IllegalArgumentException if {@code services} is below {@value #CORE_SERVICES}
   */
  public static Platform ecommerce(int services, long seed) {
    if (services < CORE_SERVICES) {
      throw new IllegalArgumentException(
          "services must be at least " + CORE_SERVICES + " (the core platform), was " + services);
    }
    PlatformGenerator generator = new PlatformGenerator(seed);
    generator.core();
    generator.satellites(services - CORE_SERVICES);
    return generator.build();
  }

  private void core() {
    service("frontend", "web", 1, 8);
    service("api-gateway", "web", 1, 3);
    service("auth", "identity", 1, 4);
    service("user", "identity", 2, 6);
    service("catalog", "catalog", 2, 10);
    service("search", "catalog", 2, 18);
    service("recommendation", "catalog", 3, 25);
    service("pricing", "catalog", 2, 5);
    service("inventory", "catalog", 2, 6);
    service("cart", "commerce", 1, 7);
    service("checkout", "commerce", 1, 15);
    service("payment", "commerce", 1, 30);
    service("fraud", "commerce", 2, 12);
    service("shipping", "fulfillment", 2, 9);
    service("notification", "fulfillment", 3, 5);
    infra("redis:sessions", NodeKind.CACHE, "redis", "identity", 0.6);
    infra("postgresql:users", NodeKind.DATABASE, "postgresql", "identity", 3);
    infra("redis:catalog", NodeKind.CACHE, "redis", "catalog", 0.7);
    infra("postgresql:catalog", NodeKind.DATABASE, "postgresql", "catalog", 4);
    infra("elasticsearch:products", NodeKind.DATABASE, "elasticsearch", "catalog", 12);
    infra("postgresql:inventory", NodeKind.DATABASE, "postgresql", "catalog", 3);
    infra("redis:cart", NodeKind.CACHE, "redis", "commerce", 0.6);
    infra("postgresql:orders", NodeKind.DATABASE, "postgresql", "commerce", 4);
    infra("postgresql:payments", NodeKind.DATABASE, "postgresql", "commerce", 5);
    infra("kafka:orders", NodeKind.QUEUE, "kafka", "commerce", 2);

    call("frontend", "redis:sessions", 1.0);
    call("frontend", "api-gateway", 1.0);
    call("api-gateway", "auth", 0.9);
    call("api-gateway", "catalog", 0.7);
    call("api-gateway", "search", 0.35);
    call("api-gateway", "recommendation", 0.5);
    call("api-gateway", "cart", 0.3);
    call("api-gateway", "checkout", 0.12);
    call("api-gateway", "user", 0.25);
    call("auth", "redis:sessions", 1.0);
    call("auth", "postgresql:users", 0.2);
    call("user", "postgresql:users", 1.0);
    call("search", "elasticsearch:products", 1.0);
    call("search", "catalog", 0.5);
    call("recommendation", "catalog", 0.6);
    call("recommendation", "redis:catalog", 0.5);
    call("catalog", "redis:catalog", 1.0);
    call("catalog", "postgresql:catalog", 0.3);
    call("catalog", "pricing", 0.6);
    call("catalog", "inventory", 0.4);
    call("cart", "redis:cart", 1.0);
    call("cart", "pricing", 0.8);
    call("checkout", "cart", 1.0);
    call("checkout", "inventory", 1.0);
    call("checkout", "payment", 1.0);
    call("checkout", "postgresql:orders", 1.0);
    call("checkout", "kafka:orders", 1.0);
    call("payment", "fraud", 1.0);
    call("payment", "postgresql:payments", 1.0);
    call("fraud", "user", 0.5);
    call("pricing", "redis:catalog", 0.7);
    call("inventory", "postgresql:inventory", 1.0);
    // Consumers of the orders topic: the queue "calls" them asynchronously.
    call("kafka:orders", "shipping", 1.0);
    call("kafka:orders", "notification", 1.0);
    call("shipping", "postgresql:orders", 1.0);
  }

  private void satellites(int count) {
    Map<String, Integer> used = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String domain = DOMAINS.get(random.nextInt(DOMAINS.size()));
      String name = satelliteName(domain, used.merge(domain, 1, Integer::sum) - 1);
      double latency = 4 + random.nextDouble() * 30;
      service(name, domain, 3, latency);
      Draft parent = pickParent(domain, name);
      call(parent.name, name, probabilityFor(parent));
      if (random.nextDouble() < 0.2) {
        Draft second = pickParent(DOMAINS.get(random.nextInt(DOMAINS.size())), name);
        if (second != parent) {
          call(second.name, name, probabilityFor(second));
        }
      }
      double store = random.nextDouble();
      if (store < 0.4) {
        String db = "postgresql:" + name.replace('-', '_');
        infra(db, NodeKind.DATABASE, "postgresql", domain, 2 + random.nextDouble() * 4);
        call(name, db, 1.0);
      } else if (store < 0.6) {
        String cache = "redis:" + name.replace('-', '_');
        infra(cache, NodeKind.CACHE, "redis", domain, 0.5 + random.nextDouble() * 0.5);
        call(name, cache, 1.0);
      }
    }
  }

  private String satelliteName(String domain, int index) {
    List<String> pool = SATELLITE_NAMES.get(domain);
    if (index < pool.size()) {
      return pool.get(index);
    }
    return pool.get(index % pool.size()) + "-" + (index / pool.size() + 1);
  }

  /** A service of the domain (older than {@code child}) with enough traffic to pass some on. */
  private Draft pickParent(String domain, String child) {
    Platform current = snapshot();
    List<Draft> candidates = new ArrayList<>();
    for (Draft d : drafts.values()) {
      if (d.kind == NodeKind.SERVICE
          && !d.name.equals(child)
          && d.domain.equals(domain)
          && current.visits(d.name) >= 0.25) {
        candidates.add(d);
      }
    }
    if (candidates.isEmpty()) {
      candidates.add(drafts.get("api-gateway"));
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  private double probabilityFor(Draft parent) {
    double share = snapshot().visits(parent.name);
    double p = 0.1 + random.nextDouble() * 0.3;
    return Math.min(1.0, Math.max(p, MIN_SHARE / share));
  }

  private Platform snapshot() {
    return build();
  }

  private Platform build() {
    List<Node> nodes = new ArrayList<>();
    drafts.values().forEach(d -> nodes.add(d.toNode()));
    return new Platform(nodes, "frontend");
  }

  private void service(String name, String domain, int tier, double latencyMs) {
    drafts.put(name, new Draft(name, NodeKind.SERVICE, "", domain, tier, latencyMs));
  }

  private void infra(String name, NodeKind kind, String system, String domain, double latencyMs) {
    drafts.put(name, new Draft(name, kind, system, domain, 2, latencyMs));
  }

  private void call(String from, String to, double probability) {
    Draft caller = drafts.get(from);
    Draft callee = drafts.get(to);
    caller.calls.add(new Node.Call(to, probability, operation(caller, callee)));
  }

  private static String operation(Draft caller, Draft callee) {
    return switch (callee.kind) {
      case DATABASE ->
          callee.system.equals("elasticsearch")
              ? "search " + callee.name.substring(callee.name.indexOf(':') + 1)
              : "SELECT " + callee.name.substring(callee.name.indexOf(':') + 1);
      case CACHE -> "GET";
      case QUEUE -> callee.name.substring(callee.name.indexOf(':') + 1) + " publish";
      default ->
          caller.kind == NodeKind.QUEUE
              ? caller.name.substring(caller.name.indexOf(':') + 1) + " process"
              : "GET /api/" + callee.name;
    };
  }

  /** A node under construction. */
  private static final class Draft {
    final String name;
    final NodeKind kind;
    final String system;
    final String domain;
    final int tier;
    final double latencyMs;
    final List<Node.Call> calls = new ArrayList<>();

    Draft(String name, NodeKind kind, String system, String domain, int tier, double latencyMs) {
      this.name = name;
      this.kind = kind;
      this.system = system;
      this.domain = domain;
      this.tier = tier;
      this.latencyMs = latencyMs;
    }

    Node toNode() {
      // No background errors: see the simulator README (a single error in a quiet minute of a
      // small service is a critical anomaly to the detector's error-ratio scoring).
      return new Node(name, kind, system, domain, tier, latencyMs, 0, calls);
    }
  }
}
