package io.reducer.plugin;

import static io.reducer.plugin.Fixtures.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StatusCommandTest {

  @RegisterExtension
  final MockApi api = new MockApi();


  @Test
  void aHealthyPipelineShowsEveryFigureAgainstItsThresholdsAndTheRunningOperator() {
    Fixtures.apply(api.client(), Fixtures.pipeline("healthy", Fixtures.HEALTHY_STATUS));
    Fixtures.applyProjection(api.client(), Fixtures.HEALTHY_PROJECTION);
    Fixtures.freshLease(api.client());

    Plugin.Result result = Plugin.run(api.kubernetes(), "", "status", "healthy", "-n", NS);

    assertThat(result.err()).isEmpty();
    assertThat(result.code()).isEqualTo(ExitCode.OK);
    assertThat(flat(result.out()))
        .contains("PIPELINE orders/healthy health Healthy probed 10s ago")
        .containsPattern("Ready\\s+True\\s+Ready\\s+10m\\s+topics, schema and reducers ready")
        .containsPattern("stateCommitted\\s+healthy.state-committed\\s+4\\s+Ready")
        .contains("TOPICS (ready 3/3)")
        .contains("replicas 2 (spec) ready 2/2")
        .containsPattern("conflict rate %\\s+1.25\\s+5\\s+10\\s+Healthy")
        .containsPattern("success rate %\\s+99.50\\s+< 95\\s+< 90\\s+Healthy")
        .containsPattern("commit p95 ms\\s+4.50\\s+10\\s+50\\s+Healthy")
        .containsPattern("outbox sequence gaps\\s+0\\s+-\\s+> 0\\s+Healthy")
        .containsPattern("DLQ depth\\s+2\\s+10\\s+1000\\s+Healthy")
        .containsPattern("healthy-view\\s+4\\s+4/4\\s+0\\s+3\\s+-\\s+Healthy")
        .containsPattern("operator: running: Lease reducer-system/reducer-operator-lease held by "
            + "reducer-operator-7d4b9-x2k9q,\\s+renewed 3s ago")
        .doesNotContain("unknown").doesNotContain("WARNING:");
    assertFitsIn100Columns(result.out());
  }

  @Test
  void anUnhealthyPipelineShowsUnknownNeverZeroItsWarningEventsAndThatTheOperatorIsNotRunning() {
    Fixtures.apply(api.client(), Fixtures.pipeline("sick", Fixtures.UNHEALTHY_STATUS));
    Fixtures.warningEvent(api.client(), "ReducerPipeline", "sick", "DatabaseUnreachable",
        "connection refused: postgres.orders.svc:5432");
    Fixtures.warningEvent(api.client(), "ReducerPipeline", "other", "Unrelated", "not this pipeline's");
    // Renewed two minutes ago with a 15 s duration: the operator is gone.
    Fixtures.lease(api.client(), ZonedDateTime.ofInstant(Plugin.NOW.minusSeconds(120), ZoneOffset.UTC));

    Plugin.Result result = Plugin.run(api.kubernetes(), "", "status", "-n", NS);

    assertThat(result.code()).isEqualTo(ExitCode.OPERATOR_NOT_RUNNING);
    assertThat(flat(result.out()))
        .startsWith("WARNING: operator NOT RUNNING: Lease reducer-system/reducer-operator-lease was last renewed")
        .containsPattern("2m ago by\\s+reducer-operator-7d4b9-x2k9q,\\s+beyond\\s+its\\s+15s\\s+duration")
        .contains("health Critical")
        .containsPattern("DatabaseReachable\\s+False\\s+ConnectionRefused\\s+2m\\s+connection refused")
        .containsPattern("stateCommitted\\s+sick.state-committed\\s+unknown\\s+Unknown")
        .containsPattern("dlq\\s+sick.dlq\\s+1\\s+PartitionDecreaseRefused\\s+the topic has 3 partitions")
        .contains("TOPICS (ready unknown)")
        .contains("ready 1/2")
        .containsPattern("conflict rate %\\s+12.50\\s+5\\s+10\\s+Critical")
        .containsPattern("success rate %\\s+unknown\\s+< 95\\s+< 90\\s+Unknown")
        .containsPattern("commit p95 ms\\s+unknown\\s+10\\s+50\\s+Unknown")
        .containsPattern("gave up \\(probe window\\)\\s+unknown")
        .containsPattern("outbox backlog\\s+unknown")
        .containsPattern("DLQ depth\\s+1500\\s+10\\s+1000\\s+Critical")
        .contains("RECENT WARNING EVENTS")
        .containsPattern("90s\\s+rp/sick\\s+DatabaseUnreachable\\s+connection refused: postgres.orders.svc:5432")
        .doesNotContain("Unrelated");
    assertThat(Arrays.stream(result.out().split("\n")).filter(l -> l.contains("outbox")))
        .as("the value column of the outbox figures").noneMatch(line -> line.matches("\\s*outbox [a-z ]+?\\s{2,}0\\s.*"));
    assertFitsIn100Columns(result.out());
  }

  @Test
  void anOperatorWithoutLeaderElectionIsJudgedByItsReadyPods() {
    Fixtures.apply(api.client(), Fixtures.pipeline("healthy", Fixtures.HEALTHY_STATUS));
    api.client().apps().deployments().inNamespace("reducer-system").resource(new DeploymentBuilder()
        .withNewMetadata().withName("reducer-operator").withNamespace("reducer-system")
        .addToLabels("app.kubernetes.io/name", "reducer-operator").endMetadata()
        .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("operator")
        .withImage("ghcr.io/reducer-io/reducer-operator:0.1.0")
        .addNewEnv().withName("LEADER_ELECTION").withValue("false").endEnv()
        .addNewEnv().withName("OPERATOR_NAMESPACE").withValue("reducer-system").endEnv()
        .endContainer().endSpec().endTemplate().endSpec()
        .withNewStatus().withReadyReplicas(1).endStatus().build()).create();

    Plugin.Result running = Plugin.run(api.kubernetes(), "", "status", "healthy", "-n", NS);
    assertThat(running.code()).as(running.err()).isEqualTo(ExitCode.OK);
    assertThat(flat(running.out())).contains("operator: running: 1 of 1 pods of Deployment "
        + "reducer-system/reducer-operator ready").doesNotContain("WARNING:");

    api.client().apps().deployments().inNamespace("reducer-system").withName("reducer-operator")
        .edit(d -> new DeploymentBuilder(d).editStatus().withReadyReplicas(0).endStatus().build());
    Plugin.Result down = Plugin.run(api.kubernetes(), "", "status", "healthy", "-n", NS);
    assertThat(down.code()).isEqualTo(ExitCode.OPERATOR_NOT_RUNNING);
    assertThat(flat(down.out())).startsWith("WARNING: operator NOT RUNNING: 0 of 1 pods of Deployment");
  }

  @Test
  void aHeldProjectionNamesItsResetAndAResetWaitingForApprovalSaysHowToApproveIt() {
    Fixtures.apply(api.client(), Fixtures.pipeline("sick", Fixtures.UNHEALTHY_STATUS));
    Fixtures.applyProjection(api.client(), Fixtures.HELD_PROJECTION);
    Fixtures.applyReset(api.client(), Fixtures.reset("rebuild-sick", "Manual", "AwaitingApproval",
        Fixtures.PLAN));
    Fixtures.applyReset(api.client(), Fixtures.reset("second", "Manual", "Pending",
        "message: WatermarkReset rebuild-sick holds projection sick-view; this one waits for its turn"));
    Fixtures.applyReset(api.client(), Fixtures.reset("done", "Manual", "Completed", ""));
    Fixtures.applyReplay(api.client(), Fixtures.replay("replay-sick", "AwaitingApproval", Fixtures.PREVIEW));
    Fixtures.freshLease(api.client());

    Plugin.Result result = Plugin.run(api.kubernetes(), "", "status", "sick", "-n", NS);

    assertThat(result.code()).isEqualTo(ExitCode.OK);
    assertThat(flat(result.out()))
        .containsPattern("sick-view\\s+4\\s+0/0\\s+unknown\\s+unknown\\s+\\[1, 3\\]\\s+unknown\\s+held by WatermarkReset "
            + "rebuild-sick")
        .containsPattern("rebuild-sick\\s+proj/sick-view\\s+2026-03-01T12:00:00Z\\s+AwaitingApproval\\s+approval: kubectl "
               + "reducer approve wmr/rebuild-sick")
        .containsPattern("second\\s+proj/sick-view .*\\s+Pending\\s+its turn: WatermarkReset rebuild-sick holds")
        .containsPattern("replay-sick\\s+AwaitingApproval\\s+.*\\s+approval: kubectl reducer approve dlqr/replay-sick "
               + "\\(matched 40\\)")
        .doesNotContain("done ");
    assertFitsIn100Columns(result.out());
    assertThat(result.out()).contains("rebuild-sick");
  }

  @Test
  void aResetWaitingForAnEmptyGroupNamesTheMember() {
    Fixtures.apply(api.client(), Fixtures.pipeline("sick", Fixtures.UNHEALTHY_STATUS));
    Fixtures.applyProjection(api.client(), Fixtures.HELD_PROJECTION);
    Fixtures.applyReset(api.client(), Fixtures.reset("rebuild-sick", "Manual", "Quiescing",
        "message: consumer group reducer-orders-sick-view still has member hand-started-1 on 10.0.0.7"));

    Plugin.Result result = Plugin.run(api.kubernetes(), "", "status", "sick", "-n", NS);

    assertThat(flat(result.out())).containsPattern("Quiescing\\s+the consumer group to be empty: consumer group "
           + "reducer-orders-sick-view still has member hand-started-1");
  }

  @Test
  void jsonIsOneDocumentWithThePipelineItsProjectionsAndTheOperator() throws Exception {
    Fixtures.apply(api.client(), Fixtures.pipeline("healthy", Fixtures.HEALTHY_STATUS));
    Fixtures.applyProjection(api.client(), Fixtures.HEALTHY_PROJECTION);

    Plugin.Result result = Plugin.run(api.kubernetes(), "", "status", "-o", "json", "-n", NS);

    JsonNode document = new ObjectMapper().readTree(result.out());
    assertThat(document.at("/operator/state").asText()).isEqualTo("ABSENT");
    assertThat(document.at("/pipelines/0/pipeline/metadata/name").asText()).isEqualTo("healthy");
    assertThat(document.at("/pipelines/0/pipeline/status/metrics/dlqDepth").asLong()).isEqualTo(2);
    assertThat(document.at("/pipelines/0/projections/0/metadata/name").asText()).isEqualTo("healthy-view");
  }

  @Test
  void aMissingPipelineIsNotFoundWithTheCommandThatListsThem() {
    Plugin.Result result = Plugin.run(api.kubernetes(), "", "status", "nope", "-n", NS);

    assertThat(result.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(result.err()).isEqualTo("error: ReducerPipeline nope not found in namespace orders; list them with: "
        + "kubectl get rp -n orders\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void aForbiddenListNamesTheVerbAndTheResource() {
    try (MockKubernetes forbidding = MockKubernetes.withCommittedCrds(new Forbidding("/reducerpipelines"))) {
      Plugin.Result result = Plugin.run(forbidding, "", "status", "-n", NS);

      assertThat(result.code()).isEqualTo(ExitCode.FORBIDDEN);
      assertThat(result.err()).startsWith("error: forbidden: you may not list reducerpipelines.reducer.io in "
          + "namespace orders (RBAC)").contains("kubectl auth can-i list reducerpipelines.reducer.io -n orders")
          .doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void withoutTheRightToListEventsTheRestIsShown() {
    try (MockKubernetes forbidding = MockKubernetes.withCommittedCrds(new Forbidding("/events"))) {
      Fixtures.apply(forbidding.client(), Fixtures.pipeline("healthy", Fixtures.HEALTHY_STATUS));

      Plugin.Result result = Plugin.run(forbidding, "", "status", "-n", NS);

      assertThat(result.code()).isEqualTo(ExitCode.OPERATOR_NOT_RUNNING);
      assertThat(flat(result.out())).contains("PIPELINE orders/healthy health Healthy")
          .contains("RECENT WARNING EVENTS not shown: forbidden: you may not list events in namespace orders (RBAC)");
      assertFitsIn100Columns(result.out());
    }
  }

  @Test
  void helpAndUsageErrors() {
    Plugin.Result help = Plugin.run(api.kubernetes(), "", "status", "--help");
    assertThat(help.code()).isEqualTo(ExitCode.OK);
    assertThat(help.out()).contains("usage: kubectl reducer status [PIPELINE]").contains("exit codes:");

    Plugin.Result wrong = Plugin.run(api.kubernetes(), "", "status", "--bogus");
    assertThat(wrong.code()).isEqualTo(ExitCode.USAGE);
    assertThat(wrong.err()).contains("unknown option --bogus").contains("kubectl reducer status --help");

    Plugin.Result top = Plugin.run(api.kubernetes(), "", "--help");
    assertThat(top.out()).contains("status", "approve", "replay", "reset", "trace", "exit codes:");
    assertThat(Plugin.run(api.kubernetes(), "", "frobnicate").code()).isEqualTo(ExitCode.USAGE);
  }

  /** The text with every run of white space made one space: what a person reads, whatever the line breaks. */
  static String flat(String text) {
    return text.replaceAll("\\s+", " ");
  }

  static void assertFitsIn100Columns(String text) {
    assertThat(new ArrayList<>(Arrays.asList(text.split("\n")))).allSatisfy(line ->
        assertThat(line.length()).as(line).isLessThanOrEqualTo(Table.WIDTH));
  }

  /** The CRUD mock, answering 403 as RBAC would to every request whose path contains {@code path}. */
  static final class Forbidding extends KubernetesCrudDispatcher {

    private final String path;

    Forbidding(String path) {
      super(new ArrayList<>());
      this.path = path;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (request.getPath() != null && request.getPath().contains(path)) {
        return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,\"message\":\"reducerpipelines.reducer.io "
            + "is forbidden: User \\\"alice\\\" cannot list resource \\\"reducerpipelines\\\" in API group "
            + "\\\"reducer.io\\\" in the namespace \\\"orders\\\"\"}");
      }
      return super.dispatch(request);
    }
  }
}
