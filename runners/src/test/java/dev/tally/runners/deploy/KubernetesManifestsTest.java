package dev.tally.runners.deploy;

import static dev.tally.runners.deploy.DeploymentFiles.DEFAULTS;
import static dev.tally.runners.deploy.DeploymentFiles.K8S;
import static dev.tally.runners.deploy.DeploymentFiles.ROOT;
import static dev.tally.runners.deploy.DeploymentFiles.envFile;
import static dev.tally.runners.deploy.DeploymentFiles.names;
import static dev.tally.runners.deploy.DeploymentFiles.port;
import static dev.tally.runners.deploy.DeploymentFiles.strings;
import static dev.tally.runners.deploy.DeploymentFiles.withDefaults;
import static dev.tally.runners.deploy.DeploymentFilesTest.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.pipelines.options.JdbcOptions;
import org.postgresql.PGProperty;

/**
 * deploy/k8s, parsed and checked without a cluster: kinds and API versions, selectors against pod labels,
 * Services against pods and their ports, images and settings against docker-compose.yml, and the Secret.
 */
class KubernetesManifestsTest {
  /** The API version each kind used here is served at (all GA since Kubernetes 1.21). */
  private static final Map<String, String> API_VERSIONS = Map.of(
      "Namespace", "v1",
      "Service", "v1",
      "Secret", "v1",
      "PersistentVolumeClaim", "v1",
      "Deployment", "apps/v1",
      "StatefulSet", "apps/v1",
      "Job", "batch/v1",
      "CronJob", "batch/v1",
      "Kustomization", "kustomize.config.k8s.io/v1beta1");
  private static final String EXAMPLE_SECRET = "postgres-secret.example.yaml";

  private final Map<String, List<JsonNode>> manifests = DeploymentFiles.kubernetes();
  private final List<JsonNode> objects = DeploymentFiles.appliedKubernetesObjects();
  private final JsonNode composeServices = DeploymentFiles.compose().path("services");

  @Test
  void kustomizationAppliesEveryManifestButTheExampleSecret() {
    JsonNode kustomization = DeploymentFiles.kubernetesKustomization();
    List<String> resources = strings(kustomization.path("resources"));
    Set<String> expected = new TreeSet<>(manifests.keySet());
    expected.removeAll(Set.of("kustomization.yaml", EXAMPLE_SECRET));
    assertEquals(expected, new TreeSet<>(resources));
    assertEquals(resources.size(), new TreeSet<>(resources).size(), "no manifest listed twice");
    assertEquals("tally", kustomization.path("namespace").asText());

    // The generated ConfigMaps come from the very files docker-compose.yml gives the same containers.
    Map<String, String> generated = new TreeMap<>();
    for (JsonNode generator : kustomization.path("configMapGenerator")) {
      List<String> envs = strings(generator.path("envs"));
      assertEquals(1, envs.size(), generator.toString());
      assertTrue(Files.isRegularFile(K8S.resolve(envs.get(0))), envs.get(0));
      generated.put(generator.path("name").asText(), "deploy/k8s/" + envs.get(0));
    }
    assertEquals(Map.of("hadoop-config", "deploy/k8s/config/hadoop.env", "kafka-config", "deploy/k8s/config/kafka.env"),
        generated);
    for (String service : List.of("namenode", "datanode")) {
      assertEquals(List.of(generated.get("hadoop-config")), strings(composeServices.path(service).path("env_file")));
      assertEquals(Set.of("hadoop-config"), configMapsOf(service));
    }
    assertEquals(List.of(generated.get("kafka-config")), strings(composeServices.path("kafka").path("env_file")));
    assertEquals(Set.of("kafka-config"), configMapsOf("kafka"));
  }

  @Test
  void everyObjectHasAKnownKindAndApiVersion() {
    int count = 0;
    for (Map.Entry<String, List<JsonNode>> manifest : manifests.entrySet()) {
      for (JsonNode object : manifest.getValue()) {
        String kind = object.path("kind").asText();
        assertTrue(API_VERSIONS.containsKey(kind), manifest.getKey() + ": unknown kind '" + kind + "'");
        assertEquals(API_VERSIONS.get(kind), object.path("apiVersion").asText(), manifest.getKey() + " " + kind);
        if (!kind.equals("Kustomization")) {
          assertFalse(object.path("metadata").path("name").asText().isEmpty(), manifest.getKey() + ": unnamed " + kind);
        }
        count++;
      }
    }
    assertTrue(count >= 15, "parsed " + count + " objects");
  }

  @Test
  void workloadSelectorsMatchTheirPodLabels() {
    for (JsonNode object : objects) {
      String kind = object.path("kind").asText();
      String name = kind + " " + object.path("metadata").path("name").asText();
      if (kind.equals("Deployment") || kind.equals("StatefulSet")) {
        Map<String, String> selector = labels(object.path("spec").path("selector").path("matchLabels"));
        assertFalse(selector.isEmpty(), name + " selects nothing");
        assertTrue(labels(podTemplate(object).path("metadata").path("labels")).entrySet().containsAll(selector.entrySet()),
            name + ": selector " + selector + " does not match its pod labels");
      }
      if (kind.equals("StatefulSet")) {
        String serviceName = object.path("spec").path("serviceName").asText();
        assertTrue(objectNames("Service").contains(serviceName), name + ": no Service " + serviceName);
      }
      if (kind.equals("Job") || kind.equals("CronJob")) {
        JsonNode pod = podTemplate(object);
        assertFalse(labels(pod.path("metadata").path("labels")).isEmpty(), name + " pods have no labels");
        assertTrue(Set.of("Never", "OnFailure").contains(pod.path("spec").path("restartPolicy").asText()),
            name + ": a Job's pods must not restart Always");
        assertTrue(object.path("spec").path("selector").isMissingNode(), name + ": let Kubernetes make the selector");
      }
      if (kind.equals("CronJob")) {
        assertTrue(object.path("spec").path("schedule").asText().matches("\\S+( \\S+){4}"), name + ": schedule");
      }
    }
  }

  @Test
  void servicesSelectPodsThatServeTheirPorts() {
    int services = 0;
    for (JsonNode service : objectsOfKind("Service")) {
      String name = service.path("metadata").path("name").asText();
      Map<String, String> selector = labels(service.path("spec").path("selector"));
      assertFalse(selector.isEmpty(), "Service " + name + " selects nothing");
      List<JsonNode> pods = new ArrayList<>();
      for (JsonNode workload : objects) {
        JsonNode pod = podTemplate(workload);
        if (!pod.isMissingNode()
            && labels(pod.path("metadata").path("labels")).entrySet().containsAll(selector.entrySet())) {
          pods.add(pod);
        }
      }
      assertEquals(1, pods.size(), "Service " + name + " selects the pods of exactly one workload");
      Map<String, Integer> containerPorts = new LinkedHashMap<>();
      for (JsonNode container : pods.get(0).path("spec").path("containers")) {
        for (JsonNode port : container.path("ports")) {
          containerPorts.put(port.path("name").asText(), port.path("containerPort").asInt());
        }
      }
      for (JsonNode port : service.path("spec").path("ports")) {
        JsonNode target = port.path("targetPort");
        int served = target.isInt() ? target.asInt() : containerPorts.getOrDefault(target.asText(), -1);
        assertTrue(containerPorts.containsValue(served), "Service " + name + " targets " + target + ": no such port");
        assertEquals(port.path("port").asInt(), served, "Service " + name + " keeps the container's port number");
      }
      // A Kubernetes Service stands for the compose service of the same name.
      assertTrue(composeServices.has(name), "Service " + name + " has no compose service of that name");
      services++;
    }
    assertEquals(Set.of("postgres", "kafka", "namenode", "datanode", "spark-master"), objectNames("Service"));
    assertTrue(services > 0);
  }

  @Test
  void portsAgreeWithComposeAndTheCode() {
    assertEquals(Map.of("postgres", Integer.parseInt(PGProperty.PG_PORT.getDefaultValue())), servicePorts("postgres"));
    assertEquals(Map.of("rpc", DEFAULTS.sparkMasterPort(), "ui", DEFAULTS.sparkMasterUiPort()), servicePorts("spark-master"));
    assertEquals(Map.of("rpc", DEFAULTS.hdfsPort(), "http", DEFAULTS.hdfsUiPort()), servicePorts("namenode"));
    Map<String, String> kafka = envFile(ROOT.resolve("deploy/k8s/config/kafka.env"));
    assertEquals(Map.of("kafka", port(kafka.get("KAFKA_ADVERTISED_LISTENERS"))), servicePorts("kafka"));

    // The Spark daemons get the same arguments as in compose, but for the Master's bind address.
    for (String daemon : List.of("spark-master", "spark-worker")) {
      List<String> compose = strings(composeServices.path(daemon).path("command")).stream()
          .map(DeploymentFiles::withDefaults).toList();
      List<String> kubernetes = strings(onlyContainer(daemon).path("args"));
      assertEquals(compose.size(), kubernetes.size(), daemon + ": " + compose + " vs " + kubernetes);
      for (int i = 0; i < compose.size(); i++) {
        if (!(i > 0 && compose.get(i - 1).equals("--host"))) {
          assertEquals(compose.get(i), kubernetes.get(i), daemon + " argument " + i);
        }
      }
    }
  }

  /** Each workload runs the image compose runs for the service of the same name; Tally's image is compose's. */
  @Test
  void imagesAgreeWithCompose() {
    String tallyImage = withDefaults(DeploymentFiles.compose().path("x-images").path("tally").asText());
    Set<String> composeImages = new TreeSet<>();
    fields(composeServices).forEach(service -> composeImages.add(withDefaults(service.getValue().path("image").asText())));
    int compared = 0;
    for (JsonNode workload : objects) {
      JsonNode pod = podTemplate(workload);
      if (pod.isMissingNode()) {
        continue;
      }
      String name = workload.path("metadata").path("name").asText();
      for (JsonNode container : containers(pod)) {
        String image = container.path("image").asText();
        assertTrue(composeImages.contains(image), name + "/" + container.path("name").asText() + ": image " + image
            + " is not one of compose's " + composeImages);
        if (container.path("args").toString().contains("\"tally\"") || container.path("args").toString().contains("tally ")) {
          assertEquals(tallyImage, image, name + " runs tally");
        }
      }
      if (composeServices.has(name)) {
        String composeImage = withDefaults(composeServices.path(name).path("image").asText());
        assertEquals(composeImage, onlyContainer(name).path("image").asText(), name);
        compared++;
      }
    }
    assertEquals(6, compared, "postgres, kafka, namenode, datanode, spark-master and spark-worker compared");
  }

  /** Pods get the password only from the Secret whose example (and kubectl command) the repository documents. */
  @Test
  void passwordsComeFromTheDocumentedSecret() {
    JsonNode example = manifests.get(EXAMPLE_SECRET).get(0);
    assertEquals("Secret", example.path("kind").asText());
    String secret = example.path("metadata").path("name").asText();
    Set<String> keys = names(example.path("stringData"));
    assertTrue(DeploymentFiles.read(ROOT.resolve("README.md")).contains("create secret generic " + secret),
        "the README shows how to create the Secret " + secret);
    assertTrue(DeploymentFiles.read(K8S.resolve(EXAMPLE_SECRET)).contains("create secret generic " + secret));

    int references = 0;
    for (JsonNode workload : objects) {
      for (JsonNode container : containers(podTemplate(workload))) {
        for (JsonNode variable : container.path("env")) {
          JsonNode secretRef = variable.path("valueFrom").path("secretKeyRef");
          if (variable.path("name").asText().contains("PASSWORD")) {
            assertTrue(variable.path("value").isMissingNode(), variable + ": a password written in a manifest");
            assertFalse(secretRef.isMissingNode(), variable + ": a password not from a Secret");
          }
          if (!secretRef.isMissingNode()) {
            assertEquals(secret, secretRef.path("name").asText(), variable.toString());
            assertTrue(keys.contains(secretRef.path("key").asText()), variable.toString());
            references++;
          }
        }
      }
    }
    // PostgreSQL itself (the owner's and the pipeline role's), the batch job, the streaming job and the report.
    assertEquals(5, references);
  }

  /**
   * Tally's pods log in as the least-privilege role deploy/sql creates (its password under the Secret's key
   * pipeline-password), never as the owner; PostgreSQL gets that password for the init script that creates it.
   */
  @Test
  void jobsRunAsThePipelineRole() {
    int jobs = 0;
    for (JsonNode workload : objects) {
      for (JsonNode container : containers(podTemplate(workload))) {
        String args = String.join(" ", strings(container.path("args")));
        for (JsonNode variable : container.path("env")) {
          String name = variable.path("name").asText();
          String key = variable.path("valueFrom").path("secretKeyRef").path("key").asText();
          if (name.equals(JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE)) {
            assertEquals("pipeline-password", key, container.path("name").asText());
            assertTrue(args.contains("--jdbcUser=" + PostgresSchema.PIPELINE_ROLE + " ")
                || args.contains("--jdbcUser=" + PostgresSchema.PIPELINE_ROLE + "\n")
                || args.endsWith("--jdbcUser=" + PostgresSchema.PIPELINE_ROLE), container.path("name") + ": " + args);
            jobs++;
          }
          if (name.equals("TALLY_PIPELINE_PASSWORD")) {
            assertEquals("pipeline-password", key);
            assertEquals("postgres", container.path("name").asText());
          }
        }
      }
    }
    assertEquals(3, jobs, "the batch job, the streaming job and the report");
  }

  /**
   * The streaming Deployment runs compose's stream service: the same image, arguments, settings and health check,
   * after the same topic creation (an init container there, a one-shot service in compose); one pod at a time.
   */
  @Test
  void theStreamingDeploymentRunsWhatComposeRuns() {
    JsonNode deployment = objectsOfKind("Deployment").stream()
        .filter(object -> object.path("metadata").path("name").asText().equals("tally-stream"))
        .findFirst().orElseThrow(() -> new AssertionError("no Deployment tally-stream"));
    assertEquals(1, deployment.path("spec").path("replicas").asInt());
    assertEquals("Recreate", deployment.path("spec").path("strategy").path("type").asText(),
        "two drivers must never share a checkpoint and consumer group");
    JsonNode stream = onlyContainer("tally-stream");
    JsonNode compose = composeServices.path("stream");
    assertEquals(withDefaults(DeploymentFiles.compose().path("x-images").path("tally").asText()), stream.path("image").asText());
    assertEquals(resolved(compose.path("command")), strings(stream.path("args")));

    Map<String, String> composeEnvironment = new TreeMap<>();
    fields(compose.path("environment")).forEach(entry -> composeEnvironment.put(entry.getKey(), entry.getValue().asText()));
    Map<String, String> environment = new TreeMap<>();
    for (JsonNode variable : stream.path("env")) {
      environment.put(variable.path("name").asText(),
          variable.has("value") ? variable.path("value").asText() : composeEnvironment.get(variable.path("name").asText()));
    }
    assertEquals(composeEnvironment, environment, "the same variables (the password from the Secret)");

    List<JsonNode> init = new ArrayList<>();
    podTemplate(deployment).path("spec").path("initContainers").forEach(init::add);
    assertEquals(1, init.size());
    assertEquals(withDefaults(composeServices.path("kafka-topics").path("image").asText()), init.get(0).path("image").asText());
    assertEquals(resolved(composeServices.path("kafka-topics").path("command")), strings(init.get(0).path("args")));

    List<String> health = resolved(compose.path("healthcheck").path("test"));
    assertEquals("CMD-SHELL", health.get(0));
    assertEquals(List.of("sh", "-c", health.get(1)), strings(stream.path("readinessProbe").path("exec").path("command")));
    int uiPort = stream.path("ports").get(0).path("containerPort").asInt();
    assertTrue(health.get(1).contains("http://localhost:" + uiPort + "/"), health.get(1));
  }

  private static List<String> resolved(JsonNode composeList) {
    return strings(composeList).stream().map(DeploymentFiles::withDefaults).toList();
  }

  private Set<String> configMapsOf(String workload) {
    Set<String> names = new TreeSet<>();
    for (JsonNode source : onlyContainer(workload).path("envFrom")) {
      names.add(source.path("configMapRef").path("name").asText());
    }
    return names;
  }

  private Map<String, Integer> servicePorts(String service) {
    Map<String, Integer> ports = new TreeMap<>();
    for (JsonNode object : objectsOfKind("Service")) {
      if (object.path("metadata").path("name").asText().equals(service)) {
        object.path("spec").path("ports").forEach(port -> ports.put(port.path("name").asText(), port.path("port").asInt()));
      }
    }
    return ports;
  }

  /** The single container of the workload named {@code name}. */
  private JsonNode onlyContainer(String name) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode object : objects) {
      if (object.path("metadata").path("name").asText().equals(name) && !podTemplate(object).isMissingNode()) {
        podTemplate(object).path("spec").path("containers").forEach(found::add);
      }
    }
    assertEquals(1, found.size(), "one container in workload " + name);
    return found.get(0);
  }

  private List<JsonNode> objectsOfKind(String kind) {
    return objects.stream().filter(object -> object.path("kind").asText().equals(kind)).toList();
  }

  private Set<String> objectNames(String kind) {
    Set<String> names = new TreeSet<>();
    objectsOfKind(kind).forEach(object -> names.add(object.path("metadata").path("name").asText()));
    return names;
  }

  /** The pod template of a Deployment, StatefulSet, Job or CronJob; missing for other kinds. */
  private static JsonNode podTemplate(JsonNode object) {
    return switch (object.path("kind").asText()) {
      case "Deployment", "StatefulSet", "Job" -> object.path("spec").path("template");
      case "CronJob" -> object.path("spec").path("jobTemplate").path("spec").path("template");
      default -> object.path("__none__");
    };
  }

  private static List<JsonNode> containers(JsonNode pod) {
    List<JsonNode> containers = new ArrayList<>();
    pod.path("spec").path("initContainers").forEach(containers::add);
    pod.path("spec").path("containers").forEach(containers::add);
    return containers;
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new TreeMap<>();
    fields(node).forEach(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
    return labels;
  }
}
