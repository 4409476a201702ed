package io.reducer.plugin;

import static io.reducer.plugin.Fixtures.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.testsupport.ProjectLayout;
import io.reducer.testsupport.crd.CrdValidationResult;
import io.reducer.testsupport.crd.CrdValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** replay and reset: the flags of the runbooks' commands make the resources of manifests/examples. */
class CreateCommandsTest {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final MockApi api = new MockApi();


  @Test
  void replayFlagsExpressTheDlqReplayExample() throws Exception {
    Plugin.Result result = Plugin.run(api.kubernetes(), "", "replay", "-n", "orders", "--pipeline", "workflows",
        "--error-type", "VALIDATION_ERROR", "--error-type", "DESERIALIZATION_ERROR",
        "--from", "2025-10-21T12:00:00Z", "--to", "2025-10-21T14:00:00Z", "--limit", "10000", "--rate", "5000",
        "--max-replays", "3", "--dry-run", "--name", "replay-validation-errors-2025-10-21", "-o", "yaml");

    assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
    assertSameResource(YAML.readTree(result.out()), example("dlqreplay.yaml"), DlqReplay.class);
  }

  @Test
  void resetFlagsExpressTheWatermarkResetExample() throws Exception {
    Plugin.Result result = Plugin.run(api.kubernetes(), "", "reset", "-n", "orders", "--projection",
        "workflow-projection", "--to-datetime", "2025-10-21T12:00:00Z", "--rebuild", "--dry-run",
        "--name", "rebuild-workflow-projection-2025-10-21", "-o", "json");

    assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
    assertSameResource(JSON.readTree(result.out()), example("watermarkreset.yaml"), WatermarkReset.class);
  }

  @Test
  void kafkaConsumerGroupsTargetsMapToResetTargets() throws Exception {
    assertThat(spec("--to-earliest").at("/target/type").asText()).isEqualTo("earliest");
    assertThat(spec("--to-latest", "--execute").at("/approval").asText()).isEqualTo("Automatic");
    assertThat(spec("--to-datetime", "2025-10-21T12:00:00.000").at("/target/timestamp").asText())
        .as("kafka-consumer-groups' format, read as UTC").isEqualTo("2025-10-21T12:00:00Z");
    assertThat(spec("--shift-by", "-500").at("/target/shiftBy").asLong()).isEqualTo(-500);
    assertThat(spec("--by-duration", "30m").at("/target/duration").asText()).isEqualTo("PT30M");
    assertThat(spec("--by-duration", "P1DT12H").at("/target/duration").asText()).isEqualTo("P1DT12H");
    JsonNode offsets = spec("--to-offset", "1000", "--partitions", "0,2");
    assertThat(offsets.at("/target/offsets").toString())
        .isEqualTo("[{\"partition\":0,\"offset\":1000},{\"partition\":2,\"offset\":1000}]");
    assertThat(offsets.at("/partitions").toString()).isEqualTo("[0,2]");
    assertThat(spec("--to-offset", "0=10,1=20").at("/target/offsets/1/offset").asLong()).isEqualTo(20);
  }

  @Test
  void sourceCanonicalMakesARepairResetTheCrdAdmits() throws Exception {
    JsonNode stale = printedReset("--source", "canonical");
    assertThat(stale.at("/spec/rebuildSource").asText()).isEqualTo("Canonical");
    assertThat(stale.at("/spec/repair/scope").asText()).isEqualTo("Stale");
    assertThat(stale.at("/spec/repair/workflowKey").isMissingNode()).isTrue();
    assertThat(stale.at("/spec/target").isMissingNode()).as("a repair moves no position").isTrue();
    assertThat(stale.at("/spec/approval").asText()).isEqualTo("Manual");
    JsonNode oneKey = printedReset("--source", "Canonical", "--scope", "all", "--key", "wf-42", "--execute",
        "--plan-only");
    assertThat(oneKey.at("/spec/repair/scope").asText()).isEqualTo("All");
    assertThat(oneKey.at("/spec/repair/workflowKey").asText()).isEqualTo("wf-42");
    assertThat(oneKey.at("/spec/approval").asText()).isEqualTo("Automatic");
    assertThat(oneKey.at("/spec/dryRun").asBoolean()).isTrue();
    JsonNode topic = printedReset("--source", "topic", "--to-earliest", "--rebuild");
    assertThat(topic.at("/spec/rebuildSource").asText()).isEqualTo("Topic");
    assertThat(topic.at("/spec/repair").isMissingNode()).isTrue();

    CrdValidator crd = CrdValidator.fromYaml(ProjectLayout.root().resolve("crds/watermarkresets.reducer.io-v1.yml"));
    for (JsonNode reset : java.util.List.of(stale, oneKey, topic)) {
      CrdValidationResult admitted = crd.validateCreate(reset);
      assertThat(admitted.valid()).as("%s: %s", reset.get("spec"), admitted.errors()).isTrue();
    }
  }

  @Test
  void strategyShadowMakesAShadowRebuildTheCrdAdmits() throws Exception {
    JsonNode automatic = printedReset("--to-earliest", "--rebuild", "--strategy", "shadow", "--execute");
    assertThat(automatic.at("/spec/rebuildStrategy").asText()).isEqualTo("Shadow");
    assertThat(automatic.at("/spec/keepPrevious").asBoolean()).isFalse();
    assertThat(automatic.at("/spec/cutoverApproval").asText()).isEqualTo("Automatic");
    JsonNode manual = printedReset("--to-earliest", "--rebuild", "--strategy", "Shadow", "--keep-previous",
        "--cutover-approval", "manual");
    assertThat(manual.at("/spec/rebuildStrategy").asText()).isEqualTo("Shadow");
    assertThat(manual.at("/spec/keepPrevious").asBoolean()).isTrue();
    assertThat(manual.at("/spec/cutoverApproval").asText()).isEqualTo("Manual");
    assertThat(manual.at("/spec/approval").asText()).isEqualTo("Manual");
    JsonNode inPlace = printedReset("--to-earliest", "--rebuild", "--strategy", "inplace");
    assertThat(inPlace.at("/spec/rebuildStrategy").asText()).isEqualTo("InPlace");

    CrdValidator crd = CrdValidator.fromYaml(ProjectLayout.root().resolve("crds/watermarkresets.reducer.io-v1.yml"));
    for (JsonNode reset : java.util.List.of(automatic, manual, inPlace)) {
      CrdValidationResult admitted = crd.validateCreate(reset);
      assertThat(admitted.valid()).as("%s: %s", reset.get("spec"), admitted.errors()).isTrue();
    }
  }

  @Test
  void strategyShadowRefusesWhatTheCrdWouldRefuse() {
    assertUsage("--strategy shadow is how a table is rebuilt, so it needs --rebuild", "reset", "--projection", "p",
        "--to-earliest", "--strategy", "shadow");
    assertUsage("--strategy shadow rebuilds from the earliest offsets only: use --to-earliest", "reset",
        "--projection", "p", "--to-latest", "--rebuild", "--strategy", "shadow");
    assertUsage("--strategy shadow has no plan-only run: drop --plan-only", "reset", "--projection", "p",
        "--to-earliest", "--rebuild", "--strategy", "shadow", "--plan-only");
    assertUsage("--keep-previous belongs to a Shadow rebuild, so it needs --strategy shadow", "reset", "--projection",
        "p", "--to-earliest", "--rebuild", "--keep-previous");
    assertUsage("--cutover-approval must be automatic or manual, not later", "reset", "--projection", "p",
        "--to-earliest", "--rebuild", "--strategy", "shadow", "--cutover-approval", "later");
    assertUsage("--strategy must be inplace or shadow, not blue-green", "reset", "--projection", "p",
        "--to-earliest", "--rebuild", "--strategy", "blue-green");
    assertUsage("--source canonical moves no position and never truncates: drop --strategy", "reset",
        "--projection", "p", "--source", "canonical", "--strategy", "shadow");
  }

  @Test
  void sourceCanonicalRefusesWhatARepairCannotDo() {
    assertUsage("--source canonical moves no position and never truncates: drop --to-earliest", "reset",
        "--projection", "p", "--source", "canonical", "--to-earliest");
    assertUsage("drop --to-offset and --partitions", "reset", "--projection", "p", "--source", "canonical",
        "--to-offset", "0=5", "--partitions", "0");
    assertUsage("--source canonical moves no position and never truncates: drop --rebuild", "reset", "--projection",
        "p", "--source", "canonical", "--rebuild");
    assertUsage("--source canonical repairs a projection table from workflow_state, so it needs --projection",
        "reset", "--pipeline", "p", "--source", "canonical");
    assertUsage("--source must be topic or canonical, not state", "reset", "--projection", "p", "--source", "state");
    assertUsage("--scope chooses the rows of a repair, so it needs --source canonical", "reset", "--projection", "p",
        "--to-earliest", "--scope", "all");
    assertUsage("--key chooses the rows of a repair, so it needs --source canonical", "reset", "--projection", "p",
        "--source", "topic", "--to-earliest", "--key", "wf-1");
    assertUsage("--scope must be stale or all, not some", "reset", "--projection", "p", "--source", "canonical",
        "--scope", "some");
    assertUsage("--key takes one workflow key of 1 to 1024 characters", "reset", "--projection", "p", "--source",
        "canonical", "--key", "k".repeat(1025));
  }

  @Test
  void wrongFlagsAreUsageErrorsThatSayWhatToGive() {
    assertUsage("give exactly one of --to-earliest", "reset", "--projection", "p", "--to-earliest", "--to-latest");
    assertUsage("give exactly one of --to-earliest", "reset", "--projection", "p");
    assertUsage("--to-offset N needs the partitions", "reset", "--projection", "p", "--to-offset", "5");
    assertUsage("--rebuild truncates a projection table, so it needs --projection", "reset", "--pipeline", "p",
        "--to-earliest", "--rebuild");
    assertUsage("give exactly one of --pipeline and --projection", "replay", "--limit", "5");
    assertUsage("--limit must be a whole number", "replay", "--pipeline", "p", "--limit", "lots");
    assertUsage("--from must be a time", "replay", "--pipeline", "p", "--from", "yesterday");
    assertUsage("--confirm goes on without approval, --dry-run and --preview wait for it", "replay", "--pipeline", "p", "--confirm", "--dry-run");
  }

  @Test
  void createsTheResourceWhenItsPipelineExistsAndRefusesAMissingOne() {
    Fixtures.apply(api.client(), Fixtures.pipeline("sick", Fixtures.UNHEALTHY_STATUS));

    Plugin.Result created = Plugin.run(api.kubernetes(), "", "replay", "-n", NS, "--pipeline", "sick",
        "--correlation-id", "wf-1", "--correlation-id", "wf-2", "--limit", "100", "--preview");
    assertThat(created.code()).as(created.err()).isEqualTo(ExitCode.OK);
    assertThat(created.out()).startsWith("dlqreplay.reducer.io/replay-sick-20260302-100000 created")
        .contains("kubectl reducer approve dlqr/replay-sick-20260302-100000 -n orders");
    DlqReplay replay = api.client().resources(DlqReplay.class).inNamespace(NS)
        .withName("replay-sick-20260302-100000").get();
    assertThat(replay.getSpec().getFilter().getCorrelationIds()).containsExactly("wf-1", "wf-2");
    assertThat(replay.getSpec().getApproval().name()).isEqualTo("Manual");

    Plugin.Result missing = Plugin.run(api.kubernetes(), "", "reset", "-n", NS, "--projection", "nope", "--to-latest");
    assertThat(missing.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(missing.err()).contains("Projection nope not found in namespace orders; list them with: kubectl get "
        + "proj -n orders");

    Plugin.Result again = Plugin.run(api.kubernetes(), "", "replay", "-n", NS, "--pipeline", "sick", "--name",
        "replay-sick-20260302-100000");
    assertThat(again.code()).isEqualTo(ExitCode.FAILED);
    assertThat(again.err()).contains("exists already");
  }

  private JsonNode spec(String... targetFlags) throws Exception {
    return printedReset(targetFlags).get("spec");
  }

  /** The WatermarkReset that reset -o json prints for projection p with these flags. */
  private JsonNode printedReset(String... flags) throws Exception {
    String[] args = new String[flags.length + 6];
    System.arraycopy(new String[] {"reset", "-n", NS, "--projection", "p", "-ojson"}, 0, args, 0, 6);
    System.arraycopy(flags, 0, args, 6, flags.length);
    args[5] = "-o=json";
    Plugin.Result result = Plugin.run(api.kubernetes(), "", args);
    assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
    return JSON.readTree(result.out());
  }

  private void assertUsage(String message, String... args) {
    Plugin.Result result = Plugin.run(api.kubernetes(), "", args);
    assertThat(result.code()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).as(String.join(" ", args)).contains(message);
  }

  private static JsonNode example(String file) throws Exception {
    Path path = ProjectLayout.root().resolve("manifests/examples").resolve(file);
    return YAML.readTree(Files.readString(path));
  }

  /** Same kind, name, namespace and spec, the spec compared as the API model reads both (defaults included). */
  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void assertSameResource(JsonNode printed,
      JsonNode example, Class<T> kind) throws Exception {
    assertThat(printed.get("apiVersion")).isEqualTo(example.get("apiVersion"));
    assertThat(printed.get("kind")).isEqualTo(example.get("kind"));
    assertThat(printed.at("/metadata/name")).isEqualTo(example.at("/metadata/name"));
    assertThat(printed.at("/metadata/namespace")).isEqualTo(example.at("/metadata/namespace"));
    T fromFlags = JSON.treeToValue(printed, kind);
    T fromExample = JSON.treeToValue(example, kind);
    JsonNode specFromFlags = JSON.valueToTree(((io.fabric8.kubernetes.client.CustomResource<?, ?>) fromFlags).getSpec());
    JsonNode specFromExample =
        JSON.valueToTree(((io.fabric8.kubernetes.client.CustomResource<?, ?>) fromExample).getSpec());
    assertThat(specFromFlags).isEqualTo(specFromExample);
  }
}
