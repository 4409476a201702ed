package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.deploy.KStatus.Status;
import io.reducer.deploy.StatusFixtures.Fixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Flux (kstatus's generic rules: observedGeneration, Reconciling, Stalled, Ready) makes of the statuses the
 * operator wrote in its integration tests, against what each status means.
 */
class KStatusTest {

  static List<Fixture> fixtures() {
    return StatusFixtures.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eachCapturedStatusReadsAsWhatItMeans(Fixture fixture) {
    KStatus.Result result = KStatus.compute(fixture.obj());

    assertThat(result.status()).as("%s: %s", fixture, result.message()).isEqualTo(Meaning.of(fixture).kstatus());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aStatusWrittenForAnOlderGenerationIsInProgress(Fixture fixture) {
    assertThat(KStatus.compute(fixture.staleGeneration()).status()).isEqualTo(Status.InProgress);
  }

  @Test
  void everyCapturedStatusCarriesItsGenerationAndTheAbnormalTrueConditionsOnlyAsTrue() {
    assertThat(fixtures()).allSatisfy(fixture -> {
      assertThat(fixture.obj().path("status").path("observedGeneration").isIntegralNumber()).as(fixture.name())
          .isTrue();
      fixture.obj().path("status").path("conditions").forEach(c -> {
        assertThat(c.path("observedGeneration").asLong()).as(fixture.name())
            .isEqualTo(fixture.obj().path("status").path("observedGeneration").asLong());
        if (List.of("Reconciling", "Stalled").contains(c.path("type").asText())) {
          assertThat(c.path("status").asText()).as("%s %s", fixture, c.path("type")).isEqualTo("True");
        }
      });
    });
  }

  @Test
  void aResourceWithoutStatusYetIsCurrentToKstatus() {
    // kstatus's blind spot for custom resources: no status, no conditions, so "current". The operator writes status
    // on its first reconcile, within about a second; docs/gitops.md mentions the window.
    assertThat(fixtures()).allSatisfy(fixture ->
        assertThat(KStatus.compute(fixture.withoutStatus()).status()).isEqualTo(Status.Current));
  }
}
