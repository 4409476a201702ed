package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.reducer.controller.app.OperatorConfig;
import io.reducer.controller.workload.RestrictedPod;
import io.reducer.controller.workload.WorkloadDeployment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images the build tags, the chart's defaults (values and appVersion), the install file and the operator's own
 * default workloads image name the same images at the same version, so an install of this version runs this
 * version's images. Bump the version in the POMs, image.tag and the chart's appVersion together, then run
 * scripts/update-install.sh.
 */
class ImageVersionsTest {

  @Test
  void theImageTagIsTheReleaseThisVersionBecomes() {
    String version = Images.property("project.version");
    assertThat(Images.tag()).as("image.tag in pom.xml for version %s", version)
        .isEqualTo(version.replaceFirst("-SNAPSHOT$", ""));
  }

  @Test
  void theChartsAppVersionIsTheImageTag() throws IOException {
    String chart = Files.readString(HelmChart.dir().resolve("Chart.yaml"));
    Matcher appVersion = Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?\\s*$").matcher(chart);
    assertThat(appVersion.find()).as("appVersion in Chart.yaml").isTrue();
    assertThat(appVersion.group(1)).as("Chart.yaml appVersion").isEqualTo(Images.tag());
  }

  @Test
  void theChartsDefaultsRunTheBuiltImages() {
    Rendered rendered = HelmChart.objects(InstallManifestTest.NAMESPACE, "");
    assertThat(rendered.container().getImage()).isEqualTo(Images.OPERATOR.reference());
    assertThat(rendered.env()).containsEntry("WORKLOADS_IMAGE", Images.WORKLOADS.reference());
  }

  @Test
  void theInstallFileRunsTheBuiltImages() throws IOException {
    Rendered installed = Rendered.of(Files.readString(InstallManifestTest.file()));
    assertThat(installed.container().getImage()).isEqualTo(Images.OPERATOR.reference());
    assertThat(installed.env()).containsEntry("WORKLOADS_IMAGE", Images.WORKLOADS.reference());
  }

  @Test
  void theOperatorsDefaultWorkloadsImageIsTheBuiltOne() throws Exception {
    OperatorConfig defaults = OperatorConfig.parse(List.of(), Map.of(), "reducer-system");
    assertThat(defaults.workloadsImage()).isEqualTo(Images.WORKLOADS.reference());
  }

  @Test
  void theImagesExposeThePortsTheChartAndTheOperatorUse() throws Exception {
    OperatorConfig defaults = OperatorConfig.parse(List.of(), Map.of(), "reducer-system");
    assertThat(Images.OPERATOR.port()).as("operator image port vs HTTP_PORT's default")
        .isEqualTo(defaults.httpPort());
    Rendered rendered = HelmChart.objects(InstallManifestTest.NAMESPACE, "");
    assertThat(rendered.container().getPorts().get(0).getContainerPort()).isEqualTo(Images.OPERATOR.port());
    assertThat(Images.WORKLOADS.port()).as("workloads image port vs the materializer and reducer pods'")
        .isEqualTo(WorkloadDeployment.HTTP_PORT);
  }

  @Test
  void theImagesUserIsTheOneEveryPodRunsAs() {
    String uid = Long.toString(RestrictedPod.RUN_AS_USER);
    assertThat(Images.property("image.user")).isEqualTo(uid + ":" + uid);
    PodSecurityContext chart = HelmChart.objects(InstallManifestTest.NAMESPACE, "").deployment().getSpec()
        .getTemplate().getSpec().getSecurityContext();
    assertThat(chart.getRunAsUser()).isEqualTo(RestrictedPod.RUN_AS_USER);
    assertThat(chart.getRunAsGroup()).isEqualTo(RestrictedPod.RUN_AS_USER);
  }

  @Test
  void theBaseImageIsAJreOfTheReleaseTheBuildCompilesFor() {
    assertThat(Images.property("image.base"))
        .startsWith("eclipse-temurin:" + Images.property("maven.compiler.release") + "-jre");
  }
}
