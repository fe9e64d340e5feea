package dev.tally.runners.deploy;

import static dev.tally.runners.deploy.DeploymentFiles.COMPOSE;
import static dev.tally.runners.deploy.DeploymentFiles.DAG;
import static dev.tally.runners.deploy.DeploymentFiles.DEFAULTS;
import static dev.tally.runners.deploy.DeploymentFiles.DOCKERFILE;
import static dev.tally.runners.deploy.DeploymentFiles.IMAGE_LAUNCHER;
import static dev.tally.runners.deploy.DeploymentFiles.ROOT;
import static dev.tally.runners.deploy.DeploymentFiles.allScalars;
import static dev.tally.runners.deploy.DeploymentFiles.compose;
import static dev.tally.runners.deploy.DeploymentFiles.containerPort;
import static dev.tally.runners.deploy.DeploymentFiles.envFile;
import static dev.tally.runners.deploy.DeploymentFiles.isVariableReference;
import static dev.tally.runners.deploy.DeploymentFiles.names;
import static dev.tally.runners.deploy.DeploymentFiles.port;
import static dev.tally.runners.deploy.DeploymentFiles.read;
import static dev.tally.runners.deploy.DeploymentFiles.strings;
import static dev.tally.runners.deploy.DeploymentFiles.withDefaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.pipelines.StreamingPipeline;
import dev.tally.pipelines.options.JdbcOptions;
import dev.tally.pipelines.options.StreamingPipelineOptions;
import dev.tally.runners.stack.KafkaBroker;
import dev.tally.runners.stack.Postgres;
import dev.tally.runners.stack.SparkSubmit;
import dev.tally.runners.stack.StreamingJobFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.spark.internal.config.UI;
import org.junit.jupiter.api.Test;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import org.postgresql.PGProperty;
import org.w3c.dom.Document;

/**
 * docker-compose.yml, Tally's Dockerfile and image launcher, and the Airflow DAG, checked against the repository
 * and the code's defaults, since no Docker engine runs here to try them (CI also runs docker-compose config).
 */
class DeploymentFilesTest {
  /**
   * Services whose command is one of Tally's jobs, or creates Kafka topics: they run to completion and need no
   * health check.
   */
  private static final Pattern JOB = Pattern.compile("\\btally (generate|batch|report)\\b|kafka-topics\\.sh --bootstrap-server");

  private static final Pattern SPARK_URL = Pattern.compile("spark://([A-Za-z0-9.-]+):(\\d+)");
  private static final Pattern HDFS_URL = Pattern.compile("hdfs://([A-Za-z0-9.-]+):(\\d+)");
  private static final Pattern KAFKA_ADDRESS = Pattern.compile("--bootstrap(?:Servers=|-server )([A-Za-z0-9.-]+):(\\d+)");
  private static final String PIPELINE_PASSWORD = "TALLY_PIPELINE_PASSWORD";
  private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([A-Za-z0-9.-]+):(\\d+)/([A-Za-z0-9_]+)");
  private static final Pattern TALLY_CLASS = Pattern.compile("\\bdev\\.tally(?:\\.[a-z][a-z0-9]*)+\\.[A-Z][A-Za-z0-9]*");
  /** Main classes named by the deployment before their code has landed (the reports are written in parallel). */
  private static final Set<String> PENDING_CLASSES = Set.of("dev.tally.runners.report.ReportCli");

  private final JsonNode compose = compose();
  private final JsonNode services = compose.path("services");

  @Test
  void composeHasTheWholeStack() {
    assertEquals(
        Set.of("postgres", "kafka", "namenode", "datanode", "spark-master", "spark-worker", "generator", "batch",
            "kafka-topics", "producer", "stream"),
        names(services));
  }

  @Test
  void everyBuildContextDockerfileAndMountedFileExists() {
    Set<String> declaredVolumes = names(compose.path("volumes"));
    Set<String> usedVolumes = new TreeSet<>();
    int bindMounts = 0;
    for (Map.Entry<String, JsonNode> service : fields(services)) {
      String name = service.getKey();
      JsonNode build = service.getValue().path("build");
      if (!build.isMissingNode()) {
        Path context = ROOT.resolve(build.path("context").asText());
        assertTrue(Files.isDirectory(context), name + ": no build context " + context);
        Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
        assertTrue(Files.isRegularFile(dockerfile), name + ": no Dockerfile " + dockerfile);
      }
      for (String envFile : strings(service.getValue().path("env_file"))) {
        assertTrue(Files.isRegularFile(ROOT.resolve(envFile)), name + ": no env_file " + envFile);
      }
      for (String volume : strings(service.getValue().path("volumes"))) {
        String source = volume.split(":")[0];
        if (source.startsWith(".") || source.startsWith("/")) {
          assertTrue(Files.exists(ROOT.resolve(source).normalize()), name + ": mounts missing " + source);
          bindMounts++;
        } else {
          assertTrue(declaredVolumes.contains(source), name + ": volume " + source + " is not declared");
          usedVolumes.add(source);
        }
      }
    }
    assertEquals(declaredVolumes, usedVolumes, "every named volume is used");
    assertEquals(1, bindMounts, "the only host file the stack mounts is deploy/sql");
    JsonNode initdb = services.path("postgres").path("volumes");
    assertTrue(strings(initdb).contains("./deploy/sql:/docker-entrypoint-initdb.d:ro"), initdb.toString());
  }

  @Test
  void servicesStartOnlyWhenWhatTheyNeedIsReady() {
    Set<String> conditions = Set.of("service_started", "service_healthy", "service_completed_successfully");
    for (Map.Entry<String, JsonNode> service : fields(services)) {
      String command = String.join(" ", strings(service.getValue().path("command")));
      boolean job = JOB.matcher(command).find();
      assertTrue(
          job || service.getValue().path("healthcheck").path("test").size() > 0,
          service.getKey() + " runs a server (" + command + ") but has no health check");
      for (Map.Entry<String, JsonNode> dependency : fields(service.getValue().path("depends_on"))) {
        String target = dependency.getKey();
        String condition = dependency.getValue().path("condition").asText();
        assertTrue(services.has(target), service.getKey() + " depends on unknown " + target);
        assertTrue(conditions.contains(condition), service.getKey() + ": condition " + condition);
        if (condition.equals("service_healthy")) {
          assertTrue(services.path(target).has("healthcheck"), target + " has no health check to wait for");
        }
        if (condition.equals("service_completed_successfully")) {
          assertFalse(services.path(target).has("healthcheck"), target + " is a job, not a server");
        }
      }
    }
    // The batch job waits for its input, its database and a Worker that can run it.
    assertEquals(
        Map.of("generator", "service_completed_successfully", "postgres", "service_healthy",
            "spark-worker", "service_healthy"),
        conditionsOf("batch"));
    // The streaming job waits for its topics, its database, HDFS (its checkpoint) and a Worker; the producer for
    // the topics.
    assertEquals(
        Map.of("kafka-topics", "service_completed_successfully", "postgres", "service_healthy",
            "datanode", "service_healthy", "spark-worker", "service_healthy"),
        conditionsOf("stream"));
    assertEquals(Map.of("kafka-topics", "service_completed_successfully"), conditionsOf("producer"));
    assertEquals(Map.of("kafka", "service_healthy"), conditionsOf("kafka-topics"));
  }

  @Test
  void portsAgreeWithTheCodeDefaults() {
    List<String> master = strings(services.path("spark-master").path("command"));
    assertEquals(String.valueOf(DEFAULTS.sparkMasterPort()), argumentAfter(master, "--port"));
    assertEquals(String.valueOf(DEFAULTS.sparkMasterUiPort()), argumentAfter(master, "--webui-port"));
    assertEquals(List.of(DEFAULTS.sparkMasterUiPort()), publishedPorts("spark-master"));
    List<String> worker = strings(services.path("spark-worker").path("command"));
    assertEquals(String.valueOf(DEFAULTS.workerUiPort()), argumentAfter(worker, "--webui-port"));

    assertEquals(List.of(DEFAULTS.hdfsUiPort()), publishedPorts("namenode"));
    Map<String, String> hadoop = envFile(ROOT.resolve("deploy/k8s/config/hadoop.env"));
    assertEquals("hdfs://namenode:" + DEFAULTS.hdfsPort(), hadoop.get("CORE-SITE.XML_fs.defaultFS"));
    assertEquals(DEFAULTS.hdfsPort(), port(hadoop.get("HDFS-SITE.XML_dfs.namenode.rpc-address")));
    assertEquals(DEFAULTS.hdfsUiPort(), port(hadoop.get("HDFS-SITE.XML_dfs.namenode.http-address")));

    int postgresPort = Integer.parseInt(PGProperty.PG_PORT.getDefaultValue());
    assertEquals(List.of(postgresPort), publishedPorts("postgres"));
    assertTrue(strings(services.path("postgres").path("healthcheck").path("test")).contains(String.valueOf(postgresPort)));

    Map<String, String> kafka = envFile(ROOT.resolve("deploy/k8s/config/kafka.env"));
    int kafkaPort = port(kafka.get("KAFKA_ADVERTISED_LISTENERS"));
    assertEquals(DEFAULTS.kafkaPort(), kafkaPort, "the containers' broker port is ./tally stack's");
    assertEquals("PLAINTEXT://kafka:" + kafkaPort, kafka.get("KAFKA_ADVERTISED_LISTENERS"));
    assertTrue(kafka.get("KAFKA_LISTENERS").contains("PLAINTEXT://:" + kafkaPort), kafka.get("KAFKA_LISTENERS"));
    assertTrue(strings(services.path("kafka").path("healthcheck").path("test")).contains("localhost:" + kafkaPort));
  }

  @Test
  void hadoopClientSettingsOfTheImageAgreeWithTheServers() throws Exception {
    Map<String, String> servers = envFile(ROOT.resolve("deploy/k8s/config/hadoop.env"));
    assertEquals(servers.get("CORE-SITE.XML_fs.defaultFS"), hadoopProperty("core-site.xml", "fs.defaultFS"));
    assertEquals(servers.get("HDFS-SITE.XML_dfs.replication"), hadoopProperty("hdfs-site.xml", "dfs.replication"));
    assertEquals(
        servers.get("HDFS-SITE.XML_dfs.namenode.name.dir"), servers.get("ENSURE_NAMENODE_DIR"),
        "the NameNode formats the folder it uses");
  }

  /**
   * Every Spark, HDFS and PostgreSQL address in compose, Kubernetes, the image launcher and the DAG names a service
   * that exists in both and the port the code uses by default; JDBC URLs name Tally's database.
   */
  @Test
  void everyServiceAddressNamesAServiceAndTheDefaultPort() {
    Set<String> kubernetesServices = new TreeSet<>();
    for (JsonNode object : DeploymentFiles.appliedKubernetesObjects()) {
      if (object.path("kind").asText().equals("Service")) {
        kubernetesServices.add(object.path("metadata").path("name").asText());
      }
    }
    List<String> texts = new ArrayList<>(allScalars(compose));
    DeploymentFiles.kubernetes().values().forEach(documents -> documents.forEach(d -> texts.addAll(allScalars(d))));
    texts.add(read(IMAGE_LAUNCHER));
    texts.add(read(DAG));
    texts.add(read(ROOT.resolve("deploy/hadoop/conf/core-site.xml")));
    texts.addAll(envFile(ROOT.resolve("deploy/k8s/config/hadoop.env")).values());

    int postgresPort = Integer.parseInt(PGProperty.PG_PORT.getDefaultValue());
    Map<Pattern, Integer> defaultPorts = new LinkedHashMap<>();
    defaultPorts.put(SPARK_URL, DEFAULTS.sparkMasterPort());
    defaultPorts.put(HDFS_URL, DEFAULTS.hdfsPort());
    defaultPorts.put(JDBC_URL, postgresPort);
    defaultPorts.put(KAFKA_ADDRESS, DEFAULTS.kafkaPort());
    Map<Pattern, Integer> found = new LinkedHashMap<>();
    for (String text : texts) {
      for (Map.Entry<Pattern, Integer> url : defaultPorts.entrySet()) {
        Matcher matcher = url.getKey().matcher(text);
        while (matcher.find()) {
          String host = matcher.group(1);
          assertTrue(services.has(host), matcher.group() + ": no compose service " + host);
          assertTrue(kubernetesServices.contains(host), matcher.group() + ": no Kubernetes Service " + host);
          assertEquals(url.getValue(), Integer.parseInt(matcher.group(2)), matcher.group());
          if (url.getKey() == JDBC_URL) {
            assertEquals(Postgres.DATABASE, matcher.group(3), matcher.group());
          }
          found.merge(url.getKey(), 1, Integer::sum);
        }
      }
    }
    assertEquals(defaultPorts.keySet(), found.keySet(), "each kind of address is used somewhere: " + found);
  }

  @Test
  void postgresHasTallysRoleAndDatabase() {
    JsonNode environment = services.path("postgres").path("environment");
    assertEquals(Postgres.ROLE, environment.path("POSTGRES_USER").asText());
    assertEquals(Postgres.DATABASE, environment.path("POSTGRES_DB").asText());
    String batch = String.join(" ", strings(services.path("batch").path("command")));
    assertTrue(batch.contains("--jdbcUser=" + PostgresSchema.PIPELINE_ROLE), batch);
  }

  /**
   * The jobs log in as the least-privilege role that deploy/sql creates when the database is: its script is one of
   * the init scripts compose mounts, creates the role the jobs name, and takes its password from the variable the
   * postgres service is given.
   */
  @Test
  void theJobsRunAsTheRoleDeploySqlCreates() {
    String script = read(ROOT.resolve("deploy/sql/010_pipeline_role.sql"));
    assertTrue(script.contains("\\set pipeline_role " + PostgresSchema.PIPELINE_ROLE + "\n"), script);
    assertTrue(script.contains("\\getenv pipeline_password " + PIPELINE_PASSWORD + "\n"), script);
    assertTrue(services.path("postgres").path("environment").has(PIPELINE_PASSWORD));
    for (String job : List.of("batch", "stream")) {
      String command = String.join(" ", strings(services.path(job).path("command")));
      assertTrue(Pattern.compile("--jdbcUser=" + PostgresSchema.PIPELINE_ROLE + "(\\s|$)").matcher(command).find(),
          job + ": " + command);
      assertTrue(services.path(job).path("environment").path(JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE).asText()
          .startsWith("${" + PIPELINE_PASSWORD + ":?"), job + " gets the pipeline role's password");
    }
  }

  @Test
  void everyImageIsPinnedOnceAndTheDockerfileAgrees() {
    JsonNode pinned = compose.path("x-images");
    Set<String> pinnedImages = new TreeSet<>();
    for (Map.Entry<String, JsonNode> image : fields(pinned)) {
      String text = image.getValue().asText();
      assertTrue(text.matches("[a-z0-9./-]+:\\$\\{[A-Z_]+:-[^}]+}"), "not name:${VERSION:-tag}: " + text);
      assertFalse(withDefaults(text).endsWith(":latest"), text);
      pinnedImages.add(text);
    }
    for (Map.Entry<String, JsonNode> service : fields(services)) {
      String image = service.getValue().path("image").asText();
      assertTrue(pinnedImages.contains(image), service.getKey() + "'s image " + image + " is not from x-images");
    }
    for (String service : List.of("generator", "batch", "producer", "stream")) {
      assertEquals(pinned.path("tally").asText(), services.path(service).path("image").asText(), service);
    }

    // The Dockerfile's own defaults (for a plain docker build) are the pinned images, and compose passes them.
    Map<String, String> dockerfileArgs = new LinkedHashMap<>();
    Matcher arg = Pattern.compile("(?m)^ARG (\\w+)=(\\S+)$").matcher(read(DOCKERFILE));
    while (arg.find()) {
      dockerfileArgs.put(arg.group(1), arg.group(2));
    }
    Map<String, String> expected = Map.of(
        "MAVEN_IMAGE", withDefaults(pinned.path("maven").asText()),
        "SPARK_IMAGE", withDefaults(pinned.path("spark").asText()));
    assertEquals(expected, dockerfileArgs);
    JsonNode buildArgs = services.path("batch").path("build").path("args");
    assertEquals(pinned.path("maven").asText(), buildArgs.path("MAVEN_IMAGE").asText());
    assertEquals(pinned.path("spark").asText(), buildArgs.path("SPARK_IMAGE").asText());
    assertEquals(List.of("${MAVEN_IMAGE} AS build", "${SPARK_IMAGE}"), dockerfileLines("FROM "));
    // Spark cluster and Tally's runtime are the same Spark.
    assertEquals(pinned.path("spark").asText(), services.path("spark-master").path("image").asText());
    assertEquals(pinned.path("spark").asText(), services.path("spark-worker").path("image").asText());
  }

  /** The jar the image ships, the launchers submit and the DAG names is the one the pipelines module builds. */
  @Test
  void theBundledJarIsTheOneThePipelinesModuleBuilds() throws Exception {
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(ROOT.resolve("pipelines/pom.xml").toFile());
    String outputFile = XPathFactory.newInstance().newXPath().evaluate(
        "//*[local-name()='plugin'][*[local-name()='artifactId']='maven-shade-plugin']//*[local-name()='outputFile']",
        pom);
    String built = "pipelines/" + outputFile.replace("${project.build.directory}", "target");
    assertEquals("pipelines/target/tally-pipelines-bundled.jar", built);
    assertEquals(DEFAULTS.bundledJar(), ROOT.resolve(built), "./tally submit submits the same jar");

    String jarName = Path.of(built).getFileName().toString();
    assertTrue(read(DOCKERFILE).contains("cp " + built + " /opt/tally/"), "the Dockerfile copies " + built);
    assertTrue(read(IMAGE_LAUNCHER).contains("BUNDLED_JAR=\"$TALLY_HOME/" + jarName + "\""));
    assertTrue(read(DAG).contains("application=TALLY_HOME + \"/" + jarName + "\""));
    assertTrue(read(IMAGE_LAUNCHER).contains("batch) submit " + SparkSubmit.DEFAULT_MAIN_CLASS + " "));
    assertTrue(read(IMAGE_LAUNCHER).contains("submit " + StreamingJobFlags.MAIN_CLASS + " "));
    assertTrue(read(DAG).contains("java_class=\"" + SparkSubmit.DEFAULT_MAIN_CLASS + "\""));
  }

  @Test
  void theBuildContextHoldsEverythingTheDockerfileCopies() {
    List<String> dockerignore = DeploymentFiles.lines(ROOT.resolve(".dockerignore")).stream()
        .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    assertEquals("*", dockerignore.get(0), "an allow-list: .env and data never reach the build");
    List<String> allowed = dockerignore.stream().filter(line -> line.startsWith("!"))
        .map(line -> line.substring(1).replaceAll("/$", "")).toList();

    List<String> sources = new ArrayList<>();
    for (String copy : dockerfileLines("COPY ")) {
      if (copy.startsWith("--from=")) {
        continue;
      }
      List<String> parts = List.of(copy.split("\\s+"));
      sources.addAll(parts.subList(0, parts.size() - 1));
    }
    assertFalse(sources.isEmpty());
    for (String source : sources) {
      String path = source.replaceAll("/[^/]*\\*[^/]*$", "").replaceAll("/$", "");
      if (!source.equals(".")) {
        assertTrue(Files.exists(ROOT.resolve(path)), "the Dockerfile copies missing " + source);
        assertTrue(allowed.stream().anyMatch(entry -> path.equals(entry) || path.startsWith(entry + "/")),
            source + " is not in .dockerignore's allow-list");
      }
    }
    // The Maven build in the image needs every module of the parent pom.
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(read(ROOT.resolve("pom.xml")));
    int modules = 0;
    while (module.find()) {
      String path = module.group(1);
      assertTrue(allowed.stream().anyMatch(entry -> path.equals(entry) || path.startsWith(entry + "/")),
          "module " + path + " is not in .dockerignore's allow-list");
      modules++;
    }
    assertTrue(modules >= 5, "found the parent pom's modules");
    assertTrue(allowed.contains("pom.xml") && allowed.contains(".mvn"));
    assertFalse(allowed.stream().anyMatch(entry -> entry.startsWith(".env") || entry.equals("data")));
  }

  /** Every Tally class the deployment starts by name exists (the report's main class is still being written). */
  @Test
  void everyNamedMainClassExists() {
    List<String> texts = new ArrayList<>(List.of(read(COMPOSE), read(DOCKERFILE), read(IMAGE_LAUNCHER), read(DAG)));
    DeploymentFiles.kubernetes().keySet().forEach(file -> texts.add(read(DeploymentFiles.K8S.resolve(file))));
    Set<String> named = new TreeSet<>();
    for (String text : texts) {
      Matcher matcher = TALLY_CLASS.matcher(text);
      while (matcher.find()) {
        named.add(matcher.group());
      }
    }
    assertTrue(named.containsAll(Set.of("dev.tally.generator.GeneratorCli", "dev.tally.pipelines.BatchPipeline",
        StreamingJobFlags.MAIN_CLASS)), named.toString());
    for (String name : named) {
      if (PENDING_CLASSES.contains(name)) {
        continue;
      }
      try {
        Class<?> type = Class.forName(name, false, getClass().getClassLoader());
        type.getMethod("main", String[].class);
      } catch (ReflectiveOperationException e) {
        fail(name + " is named by the deployment files but is not a main class on Tally's classpath: " + e);
      }
    }
  }

  /** The password comes only from the untracked .env, reaches containers as a variable, and is never a flag. */
  @Test
  void thePasswordIsNeverWrittenDownNorAFlag() {
    String required = JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE;
    int passwordVariables = 0;
    for (Map.Entry<String, JsonNode> service : fields(services)) {
      for (Map.Entry<String, JsonNode> variable : fields(service.getValue().path("environment"))) {
        if (variable.getKey().contains("PASSWORD")) {
          String value = variable.getValue().asText();
          assertTrue(isVariableReference(value, required) || isVariableReference(value, PIPELINE_PASSWORD),
              service.getKey() + "." + variable.getKey() + " must be ${" + required + ":?...} or ${"
                  + PIPELINE_PASSWORD + ":?...}, not a value");
          assertTrue(value.startsWith("${" + required + ":?") || value.startsWith("${" + PIPELINE_PASSWORD + ":?"),
              "required, not defaulted");
          passwordVariables++;
        }
      }
    }
    assertEquals(4, passwordVariables,
        "PostgreSQL's POSTGRES_PASSWORD and " + PIPELINE_PASSWORD + ", the batch and streaming jobs' " + required);
    assertTrue(services.path("batch").path("environment").has(required));
    assertTrue(services.path("stream").path("environment").has(required));

    Map<String, String> example = envFile(ROOT.resolve(".env.example"));
    assertEquals("", example.get(required), ".env.example leaves the password empty");
    assertEquals("", example.get(PIPELINE_PASSWORD), ".env.example leaves the pipeline role's password empty");
    assertTrue(DeploymentFiles.lines(ROOT.resolve(".gitignore")).contains(".env"), ".env is not committed");

    List<String> texts = new ArrayList<>(List.of(read(COMPOSE), read(IMAGE_LAUNCHER), read(DAG)));
    DeploymentFiles.kubernetes().keySet().forEach(file -> texts.add(read(DeploymentFiles.K8S.resolve(file))));
    for (String text : texts) {
      assertFalse(Pattern.compile("--jdbcPassword(?!File)").matcher(text).find(), "a password flag in: " + text);
    }
  }

  /**
   * The streaming job's and the producer's flags are flags the real pipeline and generator accept, with the values
   * the code uses by default (topics, consumer group, Kafka port, batch interval), and the topics created are the
   * ones ./tally stack creates. The checkpoint is on HDFS (the driver and the executors run in different
   * containers); the health check asks the driver's UI at Spark's default port.
   */
  @Test
  void theStreamingJobAgreesWithThePipelineAndTheStack() throws Exception {
    List<String> command = strings(services.path("stream").path("command")).stream().map(DeploymentFiles::withDefaults).toList();
    assertEquals(List.of("tally", "stream"), command.subList(0, 2));
    List<String> flags = new ArrayList<>(command.subList(2, command.size()));
    flags.addAll(List.of("--runner=SparkRunner", "--streaming=true"));
    StreamingPipelineOptions options = StreamingPipeline.parseOptions(flags.toArray(String[]::new));
    StreamingPipelineOptions defaults = StreamingPipeline.parseOptions();
    assertEquals("kafka:" + DEFAULTS.kafkaPort(), options.getBootstrapServers());
    assertEquals(defaults.getTopic(), options.getTopic());
    assertEquals(defaults.getDeadLetterTopic(), options.getDeadLetterTopic());
    assertEquals(defaults.getConsumerGroup(), options.getConsumerGroup());
    assertEquals(List.of(KafkaBroker.EVENTS_TOPIC, KafkaBroker.DEAD_LETTERS_TOPIC), List.of(options.getTopic(), options.getDeadLetterTopic()));
    assertEquals(PostgresSchema.PIPELINE_ROLE, options.getJdbcUser());
    SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
    assertEquals(StreamingJobFlags.BATCH_INTERVAL_MILLIS, spark.getBatchIntervalMillis());
    assertTrue(spark.getCheckpointDir().startsWith("hdfs://namenode:" + DEFAULTS.hdfsPort() + "/"), spark.getCheckpointDir());

    // The topics the job needs, created with the partitions ./tally stack gives them by default.
    String topics = String.join(" ", strings(services.path("kafka-topics").path("command")).stream().map(DeploymentFiles::withDefaults).toList());
    Matcher created = Pattern.compile("--create --if-not-exists --topic (\\S+) --partitions (\\d+)").matcher(topics);
    List<String> createdTopics = new ArrayList<>();
    while (created.find()) {
      createdTopics.add(created.group(1));
      assertEquals(DEFAULTS.kafkaPartitions(), Integer.parseInt(created.group(2)), topics);
    }
    assertEquals(KafkaBroker.TOPICS, createdTopics);
    assertEquals(compose.path("x-images").path("kafka").asText(), services.path("kafka-topics").path("image").asText());

    // The producer feeds the job's topic with the generator's Kafka mode.
    List<String> producer = strings(services.path("producer").path("command")).stream().map(DeploymentFiles::withDefaults).toList();
    assertEquals(List.of("tally", "generate"), producer.subList(0, 2));
    assertTrue(producer.contains("--bootstrapServers=" + options.getBootstrapServers()), producer.toString());
    assertTrue(producer.contains("--topic=" + options.getTopic()), producer.toString());
    assertTrue(producer.stream().anyMatch(flag -> flag.matches("--rate=[1-9][0-9]*")), producer.toString());
    assertTrue(producer.stream().anyMatch(flag -> flag.matches("--duration=PT[0-9]+[HMS]")), producer.toString());

    String health = String.join(" ", strings(services.path("stream").path("healthcheck").path("test")));
    assertTrue(health.contains("http://localhost:" + UI.UI_PORT().defaultValueString() + "/api/v1/applications"), health);
    assertTrue(health.contains(StreamingPipeline.class.getSimpleName()), "the application's name: " + health);
  }

  private Map<String, String> conditionsOf(String service) {
    Map<String, String> conditions = new LinkedHashMap<>();
    fields(services.path(service).path("depends_on"))
        .forEach(entry -> conditions.put(entry.getKey(), entry.getValue().path("condition").asText()));
    return conditions;
  }

  private List<Integer> publishedPorts(String service) {
    return strings(services.path(service).path("ports")).stream().map(DeploymentFiles::containerPort).toList();
  }

  private static String argumentAfter(List<String> command, String flag) {
    int index = command.indexOf(flag);
    assertTrue(index >= 0 && index + 1 < command.size(), flag + " missing in " + command);
    return command.get(index + 1);
  }

  private static List<String> dockerfileLines(String instruction) {
    return DeploymentFiles.lines(DOCKERFILE).stream()
        .filter(line -> line.startsWith(instruction))
        .map(line -> line.substring(instruction.length()).strip())
        .toList();
  }

  private static String hadoopProperty(String file, String name) throws Exception {
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(ROOT.resolve("deploy/hadoop/conf").resolve(file).toFile());
    return XPathFactory.newInstance().newXPath()
        .evaluate("/configuration/property[name='" + name + "']/value", xml);
  }

  static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    node.fields().forEachRemaining(fields::add);
    return fields;
  }
}
