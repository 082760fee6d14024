package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.pontoon.sandbox.apiserver.auth.BootstrapPolicy;
import io.pontoon.sandbox.apiserver.auth.ClusterCa;
import io.pontoon.sandbox.apiserver.auth.EscalationCheck;
import io.pontoon.sandbox.apiserver.auth.IssuedCertificate;
import io.pontoon.sandbox.apiserver.auth.Kubeconfig;
import io.pontoon.sandbox.apiserver.auth.RbacAuthorizer;
import io.pontoon.sandbox.apiserver.auth.RbacObjects;
import io.pontoon.sandbox.apiserver.auth.UserInfo;
import io.pontoon.sandbox.apiserver.http.HttpFrontend;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import io.pontoon.sandbox.apiserver.storage.WatchEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One simulated cluster's API server: HTTPS on loopback, in memory, with kube-apiserver's
 * semantics. Start it from tests or from {@code pontoon sandbox apiserver}; it hands back the
 * admin kubeconfig and a fabric8 {@link Config}.
 */
public final class SandboxApiServer implements AutoCloseable {

  /**
   * @param dataDir where the cluster CA is kept between restarts; null keeps it in memory only
   * @param historyPerType watch history per resource type (events a watch can resume from)
   * @param maxQueuedPerWatch events a slow watcher may lag behind before it is closed
   */
  public record Options(String clusterName, String host, int port, Path dataDir, int historyPerType,
      int maxQueuedPerWatch, List<String> extraSubjectAltNames, String serviceCidr) {

    public Options {
      Objects.requireNonNull(clusterName, "clusterName");
      if (!Meta.isDns1123Label(clusterName)) {
        throw new IllegalArgumentException("cluster name \"" + clusterName + "\" is not a DNS-1123 label "
            + "(lower-case letters, digits and '-', at most 63 characters)");
      }
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 0..65535");
      extraSubjectAltNames = List.copyOf(extraSubjectAltNames);
      Objects.requireNonNull(serviceCidr, "serviceCidr");
    }

    public static Options defaults(String clusterName) {
      return new Options(clusterName, "127.0.0.1", 0, null, 100_000, 200_000, List.of(), "10.96.0.0/12");
    }

    public Options withServiceCidr(String cidr) {
      return new Options(clusterName, host, port, dataDir, historyPerType, maxQueuedPerWatch, extraSubjectAltNames,
          cidr);
    }

    public Options withPort(int p) {
      return new Options(clusterName, host, p, dataDir, historyPerType, maxQueuedPerWatch, extraSubjectAltNames, serviceCidr);
    }

    public Options withHost(String h) {
      return new Options(clusterName, h, port, dataDir, historyPerType, maxQueuedPerWatch, extraSubjectAltNames, serviceCidr);
    }

    public Options withDataDir(Path d) {
      return new Options(clusterName, host, port, d, historyPerType, maxQueuedPerWatch, extraSubjectAltNames, serviceCidr);
    }

    public Options withHistoryPerType(int n) {
      return new Options(clusterName, host, port, dataDir, n, maxQueuedPerWatch, extraSubjectAltNames, serviceCidr);
    }
  }

  private static final String ADMIN_USER = "kubernetes-admin";

  private final Options options;
  private final Vertx vertx;
  private final ClusterCa ca;
  private final ObjectStore store;
  private final ResourceRegistry registry;
  private final ServerControllers controllers;
  private final HttpFrontend frontend;
  private final Admission admission;
  private final ServiceAddresses serviceAddresses;
  private final String adminToken;
  private final IssuedCertificate adminCert;
  private final int port;

  private SandboxApiServer(Options options) throws IOException {
    this.options = options;
    this.ca = loadOrCreateCa(options);
    this.registry = new ResourceRegistry();
    this.store = new ObjectStore(options.historyPerType(), options.maxQueuedPerWatch());
    CustomResources customResources = new CustomResources(registry, store);
    WebhookAdmission webhooks = new WebhookAdmission(store, registry);
    RbacAuthorizer authorizer = new RbacAuthorizer(rbacObjects());
    this.serviceAddresses = new ServiceAddresses(ServiceCidr.parse(options.serviceCidr()), new java.util.Random());
    this.admission = new Admission(store, registry, webhooks, customResources, new EscalationCheck(authorizer),
        serviceAddresses);
    Deleter deleter = new Deleter(store);
    TableConvertor tables = new TableConvertor(customResources);
    ResourceHandler resources = new ResourceHandler(store, admission, deleter, tables);
    ResourceType saType = registry.byKey("serviceaccounts").orElseThrow();
    Tokens tokens = new Tokens((ns, name, uid) -> store.get(saType, ns, name)
        .map(sa -> Meta.uid(sa).equals(uid)).orElse(false));
    this.adminToken = tokens.issueStatic(UserInfo.authenticated(ADMIN_USER, "",
        List.of(UserInfo.SYSTEM_MASTERS)));
    Authenticator authenticator = new Authenticator(ca.certificate(), tokens);
    this.adminCert = ca.issueClient(ADMIN_USER, List.of(UserInfo.SYSTEM_MASTERS), Duration.ofDays(365));
    IssuedCertificate kubeletClient = ca.issueClient("kube-apiserver-kubelet-client",
        List.of(UserInfo.SYSTEM_MASTERS), Duration.ofDays(365));
    List<String> dns = new ArrayList<>(List.of("localhost", "kubernetes", "kubernetes.default",
        "kubernetes.default.svc", options.clusterName() + "-apiserver"));
    List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
    for (String san : options.extraSubjectAltNames()) {
      if (san.matches("[0-9.]+|[0-9a-fA-F:]+")) ips.add(san);
      else dns.add(san);
    }
    if (!options.host().equals("0.0.0.0") && !ips.contains(options.host()) && options.host().matches("[0-9.]+")) {
      ips.add(options.host());
    }
    IssuedCertificate serving = ca.issueServing(dns, ips, Duration.ofDays(365));
    this.vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(64).setEventLoopPoolSize(2)
        .setPreferNativeTransport(true));
    this.controllers = new ServerControllers(store, registry, deleter, customResources, ca, options.clusterName());
    bootstrap();
    serviceAddresses.start(store, store.all(registry.byKey("services").orElseThrow()));
    controllers.start();
    String[] serverAddress = new String[1];
    Discovery[] discovery = new Discovery[1];
    ApiHandler[] handler = new ApiHandler[1];
    this.frontend = new HttpFrontend(vertx,
        new HttpFrontend.Tls(serving.certificatePem(), serving.keyPem(), ca.certificatePem(),
            kubeletClient.certificatePem(), kubeletClient.keyPem()),
        in -> handler[0].handle(new ApiHandler.Raw(in.method(), in.path(), in.query(), in.contentType(), in.accept(),
            in.authorization(), in.peerCertificates(), in.body())),
        e -> new WatchEvent(e.type(), tables.event(registry.byKind(groupOf(e.object()), e.object().path("kind")
            .asText()).orElseThrow(), e.object())),
        stream -> store.bookmark(stream.type(), stream.watch()));
    try {
      this.port = frontend.listen(options.host(), options.port());
    } catch (RuntimeException e) {
      // nothing may keep running when the server could not start
      controllers.close();
      frontend.close();
      vertx.close();
      throw e;
    }
    serverAddress[0] = options.host() + ":" + port;
    KubernetesService.publish(store, registry, serviceAddresses.kubernetesServiceIp(),
        options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host(), port);
    discovery[0] = new Discovery(registry, serverAddress[0]);
    handler[0] = new ApiHandler(registry, store, authenticator, authorizer, discovery[0], resources,
        new Reviews(tokens, authorizer, store));
  }

  private static String groupOf(ObjectNode o) {
    String av = o.path("apiVersion").asText();
    int slash = av.indexOf('/');
    return slash < 0 ? "" : av.substring(0, slash);
  }

  /** Starts a server; returns once it listens. */
  public static SandboxApiServer start(Options options) {
    try {
      return new SandboxApiServer(options);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the sandbox API server: " + e.getMessage(), e);
    }
  }

  private static ClusterCa loadOrCreateCa(Options options) throws IOException {
    if (options.dataDir() == null) return ClusterCa.generate(options.clusterName());
    Path dir = options.dataDir().resolve("pki");
    if (Files.exists(dir.resolve("ca.crt"))) return ClusterCa.load(dir);
    ClusterCa ca = ClusterCa.generate(options.clusterName());
    ca.save(dir);
    return ca;
  }

  private RbacObjects rbacObjects() {
    ResourceType cr = registry.byKey("clusterroles.rbac.authorization.k8s.io").orElseThrow();
    ResourceType crb = registry.byKey("clusterrolebindings.rbac.authorization.k8s.io").orElseThrow();
    ResourceType r = registry.byKey("roles.rbac.authorization.k8s.io").orElseThrow();
    ResourceType rb = registry.byKey("rolebindings.rbac.authorization.k8s.io").orElseThrow();
    return new RbacObjects() {
      @Override
      public List<ObjectNode> clusterRoles() {
        return store.all(cr);
      }

      @Override
      public List<ObjectNode> clusterRoleBindings() {
        return store.all(crb);
      }

      @Override
      public List<ObjectNode> roles(String namespace) {
        return store.list(r, namespace, o -> true, null, 0).items();
      }

      @Override
      public List<ObjectNode> roleBindings(String namespace) {
        return store.list(rb, namespace, o -> true, null, 0).items();
      }
    };
  }

  /** What kube-apiserver creates on first start: system namespaces and the bootstrap RBAC policy. */
  private void bootstrap() {
    ResourceType nsType = registry.byKey("namespaces").orElseThrow();
    for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      ObjectNode o = Json.object();
      o.put("apiVersion", "v1");
      o.put("kind", "Namespace");
      ObjectNode meta = o.putObject("metadata");
      meta.put("name", ns);
      meta.putObject("labels").put("kubernetes.io/metadata.name", ns);
      createInternal(nsType, o);
    }
    ResourceType cr = registry.byKey("clusterroles.rbac.authorization.k8s.io").orElseThrow();
    ResourceType crb = registry.byKey("clusterrolebindings.rbac.authorization.k8s.io").orElseThrow();
    BootstrapPolicy.clusterRoles().forEach(o -> createInternal(cr, o.deepCopy()));
    BootstrapPolicy.clusterRoleBindings().forEach(o -> createInternal(crb, o.deepCopy()));
  }

  private void createInternal(ResourceType type, ObjectNode o) {
    ObjectNode meta = Meta.metadata(o);
    meta.put("uid", java.util.UUID.randomUUID().toString());
    meta.put("creationTimestamp", Meta.now());
    if (type.key().equals("namespaces")) {
      o.putObject("spec").putArray("finalizers").add("kubernetes");
      o.putObject("status").put("phase", "Active");
    }
    store.create(type, o);
  }

  public String clusterName() {
    return options.clusterName();
  }

  public int port() {
    return port;
  }

  /** {@code https://127.0.0.1:PORT}. */
  public String url() {
    String host = options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host();
    return "https://" + host + ":" + port;
  }

  public ClusterCa ca() {
    return ca;
  }

  /** A bearer token of a {@code system:masters} user; for tools that cannot use certificates. */
  public String adminToken() {
    return adminToken;
  }

  /** The admin kubeconfig (client certificate in group {@code system:masters}). */
  public String adminKubeconfig() {
    return Kubeconfig.of(options.clusterName(), url(), ca.certificatePem(), ADMIN_USER,
        Kubeconfig.ClientCertificate.of(adminCert)).render();
  }

  /** A kubeconfig for any user, authenticated by a client certificate from the cluster CA. */
  public String kubeconfigFor(String user, List<String> groups) {
    IssuedCertificate cert = ca.issueClient(user, groups, Duration.ofDays(30));
    return Kubeconfig.of(options.clusterName(), url(), ca.certificatePem(), user,
        Kubeconfig.ClientCertificate.of(cert)).render();
  }

  public Path writeAdminKubeconfig(Path file) throws IOException {
    Kubeconfig.of(options.clusterName(), url(), ca.certificatePem(), ADMIN_USER,
        Kubeconfig.ClientCertificate.of(adminCert)).write(file);
    return file;
  }

  /** A fabric8 client configuration for the admin. */
  public Config adminConfig() {
    return Config.fromKubeconfig(adminKubeconfig());
  }

  /** A fabric8 client configuration for a user in the given groups. */
  public Config configFor(String user, List<String> groups) {
    return Config.fromKubeconfig(kubeconfigFor(user, groups));
  }

  /** The store, for the sandbox's own components and diagnostics. */
  public ObjectStore store() {
    return store;
  }

  public ResourceRegistry registry() {
    return registry;
  }

  /** The DefaultTolerationSeconds admission value (300 s in kube); tests shorten it. */
  public void setDefaultTolerationSeconds(long seconds) {
    admission.setDefaultTolerationSeconds(seconds);
  }

  @Override
  public void close() {
    frontend.close();
    controllers.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
