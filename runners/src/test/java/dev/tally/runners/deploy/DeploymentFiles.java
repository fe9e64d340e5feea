package dev.tally.runners.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.runners.stack.StackSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files as data, for the checks: docker-compose.yml with its anchors resolved and its
 * {@code ${VAR:-default}} values at their defaults, the Kubernetes manifests, the env files, and the code's
 * default settings. The test JVM runs in {@code runners/}, so the repository root is its parent.
 */
final class DeploymentFiles {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
  static final Path K8S = ROOT.resolve("deploy/k8s");
  static final Path DOCKERFILE = ROOT.resolve("deploy/docker/Dockerfile");
  static final Path IMAGE_LAUNCHER = ROOT.resolve("deploy/docker/tally");
  static final Path DAG = ROOT.resolve("deploy/airflow/dags/tally_batch.py");

  /** The local stack's defaults: the ports the code uses unless told otherwise. */
  static final StackSettings DEFAULTS = StackSettings.builder().home(ROOT).dir(ROOT.resolve("data/stack")).build();

  private static final ObjectMapper MAPPER = new ObjectMapper();
  // ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

  private DeploymentFiles() {}

  /** docker-compose.yml with anchors, aliases and merge keys resolved (values still hold ${...}). */
  static JsonNode compose() {
    return loadAll(COMPOSE).get(0);
  }

  /** Every document of every manifest in deploy/k8s (kustomization.yaml included), by file name. */
  static Map<String, List<JsonNode>> kubernetes() {
    Map<String, List<JsonNode>> manifests = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(K8S)) {
      files.filter(file -> file.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .forEach(file -> manifests.put(file.getFileName().toString(), loadAll(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return manifests;
  }

  /** Every document of a manifest except kustomization.yaml and the example Secret: what kubectl applies. */
  static List<JsonNode> appliedKubernetesObjects() {
    List<String> resources = new ArrayList<>();
    kubernetesKustomization().path("resources").forEach(resource -> resources.add(resource.asText()));
    List<JsonNode> objects = new ArrayList<>();
    kubernetes().forEach((file, documents) -> {
      if (resources.contains(file)) {
        objects.addAll(documents);
      }
    });
    return objects;
  }

  static JsonNode kubernetesKustomization() {
    return loadAll(K8S.resolve("kustomization.yaml")).get(0);
  }

  static List<JsonNode> loadAll(Path file) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<JsonNode> documents = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object document : yaml.loadAll(reader)) {
        if (document != null) {
          documents.add(MAPPER.valueToTree(document));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(!documents.isEmpty(), file + " holds no YAML document");
    return documents;
  }

  /**
   * {@code text} as compose runs it when no variable is set: {@code ${VAR:-default}} becomes its default.
   *
   * @throws AssertionError for a variable without a default (it would have no pinned value)
   */
  static String withDefaults(String text) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String operator = matcher.group(2);
      if (operator == null || operator.endsWith("?")) {
        throw new AssertionError("${" + matcher.group(1) + "} has no default in '" + text + "'");
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(matcher.group(3)));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  /** True if {@code text} is exactly one {@code ${VAR...}} reference. */
  static boolean isVariableReference(String text, String variable) {
    Matcher matcher = VARIABLE.matcher(text.strip());
    return matcher.matches() && matcher.group(1).equals(variable);
  }

  /** KEY=VALUE lines of an env file (comments and blank lines skipped), in file order. */
  static Map<String, String> envFile(Path file) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line : lines(file)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      assertTrue(equals > 0, file + ": not KEY=VALUE: " + line);
      entries.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
    }
    return entries;
  }

  /** A compose list-or-string field ({@code env_file}, {@code command}, ...) as a list of strings. */
  static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(element -> values.add(element.asText()));
    } else if (!node.isMissingNode() && !node.isNull()) {
      values.add(node.asText());
    }
    return values;
  }

  /** Every scalar value anywhere under {@code node}, as text. */
  static List<String> allScalars(JsonNode node) {
    List<String> scalars = new ArrayList<>();
    collectScalars(node, scalars);
    return scalars;
  }

  private static void collectScalars(JsonNode node, List<String> scalars) {
    if (node.isContainerNode()) {
      for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
        collectScalars(children.next(), scalars);
      }
    } else if (!node.isNull() && !node.isMissingNode()) {
      scalars.add(node.asText());
    }
  }

  /** Field names of an object node. */
  static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port of a {@code HOST:PORT} or {@code scheme://HOST:PORT/...} string. */
  static int port(String hostAndPort) {
    Matcher matcher = Pattern.compile("(?:[A-Za-z][A-Za-z0-9+.-]*://)?[^:/]*:(\\d+)").matcher(hostAndPort);
    assertTrue(matcher.lookingAt(), "no port in '" + hostAndPort + "'");
    return Integer.parseInt(matcher.group(1));
  }

  /** The container side of a compose port mapping such as {@code 127.0.0.1:${X:-8080}:8080}. */
  static int containerPort(String mapping) {
    String[] parts = withDefaults(mapping).split(":");
    return Integer.parseInt(Objects.requireNonNull(parts[parts.length - 1]).replaceAll("/.*", ""));
  }
}
