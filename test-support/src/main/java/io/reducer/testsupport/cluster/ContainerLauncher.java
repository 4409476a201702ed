package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.reducer.testsupport.internal.ChildJvm;
import io.reducer.testsupport.internal.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a pod's container as a child JVM: the image's main class (through {@link PodMain}) with the container's
 * args, an environment built from the template alone (plus PATH, LANG, HOME and HOSTNAME, as an image would set
 * them), free local ports announced in the catalog's variables, and {@code TERMINATION_LOG} pointing at the pod's
 * termination log. Files live in {@code workDir/<namespace>/}: {@code <pod>.log} and the directory {@code <pod>/}.
 */
final class ContainerLauncher {

  static final String TERMINATION_LOG_VARIABLE = "TERMINATION_LOG";

  private final ClusterApi api;
  private final Path workDir;
  private final Map<ImageEntry, ChildJvm> jvms = new HashMap<>();

  ContainerLauncher(ClusterApi api, Path workDir) {
    this.api = api;
    this.workDir = workDir;
  }

  static Path logFile(Path workDir, String namespace, String pod) {
    return workDir.resolve(namespace).resolve(pod + ".log");
  }

  /** The pod's termination log, as {@code TERMINATION_LOG} names it. */
  static Path terminationLog(Path workDir, String namespace, String pod) {
    return workDir.resolve(namespace).resolve(pod).resolve("termination-log");
  }

  /** While this file exists, the pods of the Job wait at their exit (see {@link PodMain}). */
  static Path exitGate(Path workDir, String namespace, String job) {
    return workDir.resolve(namespace).resolve("exit-gate-" + job);
  }

  ContainerRun launch(PodRuntime runtime, ImageEntry image, long serial) throws ContainerConfigException,
      IOException {
    Pod pod = runtime.pod;
    checkSupported(pod);
    Container container = runtime.container();
    Map<String, String> env = ContainerEnv.resolve(api, pod, container);
    List<String> args = container.getArgs().stream().map(arg -> ContainerEnv.expand(arg, env)).toList();

    Path podDir = Files.createDirectories(workDir.resolve(runtime.namespace).resolve(runtime.name));
    Path tmp = Files.createDirectories(podDir.resolve("tmp"));
    Path terminationLog = terminationLog(workDir, runtime.namespace, runtime.name);
    Files.writeString(terminationLog, "");
    Path log = logFile(workDir, runtime.namespace, runtime.name);
    long logOffset = Files.exists(log) ? Files.size(log) : 0;

    if (runtime.localPorts == null) {
      runtime.localPorts = FreePorts.pick(container.getPorts().size());
    }
    Map<String, String> processEnv = new LinkedHashMap<>();
    processEnv.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    processEnv.put("LANG", "C.UTF-8");
    processEnv.put("HOME", podDir.toString());
    processEnv.put("HOSTNAME", runtime.name);
    processEnv.putAll(env);
    for (ContainerPort port : container.getPorts()) {
      List<String> variables = port.getName() == null ? List.of()
          : image.portEnv().getOrDefault(port.getName(), List.of());
      for (String variable : variables) {
        processEnv.put(variable, String.valueOf(runtime.localPort(new IntOrString(port.getName()))));
      }
    }
    processEnv.put(TERMINATION_LOG_VARIABLE, terminationLog.toString());

    List<String> jvmOptions = new ArrayList<>(List.of("-Djava.io.tmpdir=" + tmp,
        "-D" + PodMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid(),
        "-D" + PodMain.MAIN_CLASS_PROPERTY + "=" + image.mainClass()));
    String job = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("job-name");
    if (job != null) {
      jvmOptions.add("-D" + PodMain.EXIT_GATE_PROPERTY + "=" + exitGate(workDir, runtime.namespace, job));
    }
    ProcessBuilder builder = jvm(image).builder(jvmOptions, PodMain.class.getName(), args, log)
        .directory(podDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(processEnv);
    Process process = builder.start();
    return new ContainerRun(serial, process, Instant.now(), log, logOffset, terminationLog);
  }

  /** What a real cluster would run but this one cannot: refused loudly rather than run differently. */
  private static void checkSupported(Pod pod) throws ContainerConfigException {
    if (pod.getSpec().getContainers().size() != 1) {
      throw new ContainerConfigException("the local cluster runs pods with exactly one container");
    }
    if (!pod.getSpec().getInitContainers().isEmpty()) {
      throw new ContainerConfigException("the local cluster does not run init containers");
    }
    if (!pod.getSpec().getContainers().get(0).getCommand().isEmpty()) {
      throw new ContainerConfigException("the local cluster runs the image's main class: set args, not command");
    }
  }

  /** One argfile per image entry, written at the first start of one of its pods. */
  private ChildJvm jvm(ImageEntry image) throws IOException {
    ChildJvm jvm = jvms.get(image);
    if (jvm == null) {
      Path argFile = Files.createDirectories(workDir).resolve("jvm-" + jvms.size() + ".args");
      String classpath = image.classpath() == null ? System.getProperty("java.class.path")
          : image.classpath() + File.pathSeparator + ownLocation();
      jvm = new ChildJvm(argFile, image.jvmOptions(), classpath);
      jvms.put(image, jvm);
    }
    return jvm;
  }

  /** Where PodMain itself comes from: added to a catalog entry's own classpath so the child can start it. */
  private static String ownLocation() {
    try {
      return Path.of(PodMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
