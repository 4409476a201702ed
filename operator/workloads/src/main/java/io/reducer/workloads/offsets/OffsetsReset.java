package io.reducer.workloads.offsets;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedSet;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.materializer.ProjectionTables;
import io.reducer.workloads.materializer.TableOwner;

/**
 * One reset, in the order that keeps it safe:
 *
 * <ol>
 *   <li>refuse unless the consumer group is Empty or Dead;
 *   <li>read the log offsets (and the offsets for a time), the committed offsets;
 *   <li>in one PostgreSQL transaction: lock the projection's watermark rows, compute the plan from them, check the
 *       expected epoch, write the new offsets and the new epoch on every row, truncate on rebuild, commit;
 *   <li>move the group's committed offsets to the same values (for tooling: materializers seek from the database).
 * </ol>
 *
 * If step 4 fails after the commit, running again with the explicit plan, {@code --expected-epoch} and
 * {@code --new-epoch} finds the database already reset, skips step 3 and only repeats step 4.
 */
final class OffsetsReset {

  private final ResetConfig config;
  private final ResetPlanner planner;
  private final PrintStream out;
  private final ProjectionPositions positions;

  OffsetsReset(ResetConfig config, Clock clock, PrintStream out) {
    this.config = config;
    this.planner = new ResetPlanner(clock);
    this.out = out;
    this.positions = new ProjectionPositions(config.schema(), config.table(), config.namespace(),
        config.projection());
  }

  ResetReport run() throws ConfigException, ResetPlanException {
    try (KafkaPositions kafka = KafkaPositions.connect(config.bootstrapServers(), config.kafkaSecurity())) {
      GroupMembers members = kafka.describeGroup(config.group());
      if (!members.empty()) {
        return new ResetReport(ExitCodes.GROUP_NOT_EMPTY, ResetResult.failed(members.refusal()));
      }
      SortedSet<Integer> topicPartitions = kafka.partitions(config.topic());
      SortedSet<Integer> planned = planner.partitionsToPlan(config.target(), config.partitions(), topicPartitions);
      if (config.rebuild() && !planned.equals(topicPartitions)) {
        throw new ConfigException("--rebuild truncates the whole projection table, so every partition must be reset, "
            + "but the target covers only partitions " + planned + " of " + topicPartitions + ": list every "
            + "partition in --offsets, or drop --rebuild");
      }
      Map<Integer, Long> logStart = kafka.logStart(config.topic(), planned);
      Map<Integer, Long> logEnd = kafka.logEnd(config.topic(), planned);
      Optional<Instant> time = planner.lookupTime(config.target());
      Map<Integer, Long> forTime = time.isPresent()
          ? kafka.offsetsForTime(config.topic(), planned, time.get()) : Map.of();
      Map<Integer, Long> committed = kafka.committed(config.group(), config.topic());
      try (Connection connection = connect()) {
        Plan plan = resetDatabase(connection, planned, logStart, logEnd, forTime, committed);
        if (plan.outcome() == ResetOutcome.DryRun) {
          return new ResetReport(ExitCodes.OK, plan.result("dry run: nothing changed"));
        }
        try {
          kafka.moveGroup(config.group(), config.topic(), plan.partitions());
        } catch (ResetFailedException e) {
          return new ResetReport(ExitCodes.FAILURE, plan.failed("the database is reset (epoch " + plan.newEpoch()
              + ", materializers start from the new offsets), but moving the group's offsets failed: "
              + e.getMessage() + ". To finish, run again with " + rerunFlags(plan.partitions(), plan.currentEpoch()))
              .appliedTo(appliedTo()));
        }
        return new ResetReport(ExitCodes.OK, plan.result(plan.alreadyApplied()
            ? "the database already showed this reset (epoch " + plan.newEpoch() + "): only the group's offsets "
                + "were moved"
            : "moved " + plan.partitions().size() + " partition(s), epoch " + plan.currentEpoch() + " -> "
                + plan.newEpoch() + (config.rebuild() ? ", projection table truncated" : "")).appliedTo(appliedTo()));
      } catch (SQLException e) {
        throw new ResetFailedException("PostgreSQL failed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState()
            + "); the transaction rolled back, nothing changed", e);
      }
    } catch (ResetFailedException e) {
      return new ResetReport(ExitCodes.FAILURE, ResetResult.failed(e.getMessage()));
    }
  }

  /** Where this run writes the whole plan: the watermark rows of the projection and the group's offsets. */
  private ResetResult.AppliedTo appliedTo() {
    return new ResetResult.AppliedTo(config.schema() + "." + ProjectionSchema.WATERMARKS, config.namespace(),
        config.projection(), config.group(), config.topic());
  }

  /** Step 3. Returns the plan it applied (or found applied, or only printed on a dry run). */
  private Plan resetDatabase(Connection connection, SortedSet<Integer> planned, Map<Integer, Long> logStart,
      Map<Integer, Long> logEnd, Map<Integer, Long> forTime, Map<Integer, Long> committed)
      throws SQLException, ResetPlanException, ResetFailedException, ConfigException {
    boolean write = !config.dryRun();
    try {
      // As a materializer starts: the tables exist and are upgraded, the table is claimed, old rows adopted.
      TableOwner owner = write ? ProjectionSchema.prepare(connection, config.schema(), config.table(), config.owner())
          : ProjectionTables.owner(connection, config.schema(), config.table(), false).orElse(config.owner());
      refuseAnotherOwner(owner);
      WatermarkSnapshot snapshot = write || positions.watermarksExist(connection)
          ? positions.read(connection, write, write && config.rebuild()) : WatermarkSnapshot.NONE;
      List<PartitionPosition> inputs = new ArrayList<>();
      for (int partition : planned) {
        Long current = PartitionPosition.current(snapshot.nextOffset(partition), committed.get(partition));
        inputs.add(new PartitionPosition(partition, logStart.get(partition), logEnd.get(partition), current,
            forTime.get(partition)));
      }
      List<PlannedPartition> plan = planner.plan(config.target(), config.partitions(), inputs);
      long currentEpoch = snapshot.epoch();
      boolean alreadyApplied = false;
      if (config.expectedEpoch() != null && currentEpoch != config.expectedEpoch()) {
        if (config.newEpoch() == null || !snapshot.shows(config.newEpoch(), plan)) {
          throw new ResetFailedException("the projection's epoch is " + currentEpoch + ", not the expected "
              + config.expectedEpoch() + (config.newEpoch() != null && currentEpoch == config.newEpoch()
                  ? " (it has the new epoch " + config.newEpoch() + ", but not the planned offsets: the projection "
                      + "moved on after that reset)" : "")
              + ": another reset or a manual change happened since this one was planned; nothing changed. "
              + "Plan again from the current state");
        }
        alreadyApplied = true;
        currentEpoch = config.expectedEpoch();
      }
      long newEpoch = currentEpoch + 1;
      out.print(PlanTable.render(config, plan, currentEpoch, newEpoch));
      out.flush();
      if (!write || alreadyApplied) {
        connection.rollback();
        return new Plan(write ? ResetOutcome.Completed : ResetOutcome.DryRun, plan, currentEpoch, newEpoch,
            config.rebuild(), alreadyApplied);
      }
      if (config.rebuild()) {
        // Held until the commit, so the table cannot change hands between this check and the truncate.
        refuseAnotherOwner(ProjectionTables.owner(connection, config.schema(), config.table(), true)
            .orElse(config.owner()));
      }
      positions.write(connection, plan, newEpoch, config.rebuild());
      try {
        connection.commit();
      } catch (SQLException e) {
        throw new ResetFailedException("the commit's outcome is unknown (" + e.getMessage() + "). Run again with "
            + rerunFlags(plan, currentEpoch) + ": it finishes this reset if it was committed, and does it if not", e);
      }
      return new Plan(ResetOutcome.Completed, plan, currentEpoch, newEpoch, config.rebuild(), false);
    } catch (SQLException | ResetPlanException | ResetFailedException | ConfigException | RuntimeException e) {
      rollbackQuietly(connection);
      if (e instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
        throw new ResetFailedException("could not lock the projection's watermarks within "
            + ProjectionPositions.LOCK_TIMEOUT + ": a materializer (or another session) still holds them; "
            + "nothing changed. Stop it and run again", e);
      }
      throw e;
    }
  }

  /**
   * A rebuild never truncates a table another projection owns. Without a rebuild the reset only moves this
   * projection's own watermark rows, which harms nobody, so it goes on (its materializers refuse the table anyway).
   */
  private void refuseAnotherOwner(TableOwner owner) throws ConfigException {
    if (config.rebuild() && !owner.sameProjection(config.namespace(), config.projection())) {
      throw new ConfigException(ProjectionTables.refusal(config.schema(), config.table(), owner, config.namespace(),
          config.projection(), "a rebuild would truncate another projection's rows",
          "Nothing was truncated and no watermark or group offset moved. Fix --table (RESET_TABLE), or --namespace "
              + "(RESET_NAMESPACE) / --projection if this is that projection"));
    }
  }

  /** The flags that repeat exactly this plan, safely: see the class comment. */
  private String rerunFlags(List<PlannedPartition> plan, long currentEpoch) {
    return String.join(" ", ExplicitPlan.arguments(plan, currentEpoch, config.rebuild()));
  }

  private Connection connect() throws ConfigException {
    Properties properties = new Properties();
    properties.setProperty("user", config.dbUser());
    properties.setProperty("password", config.dbPassword());
    properties.setProperty("ApplicationName", "reducer-offsets-reset");
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "10");
    properties.setProperty("socketTimeout", "120");
    try {
      Connection connection = DriverManager.getConnection(config.jdbcUrl(), properties);
      connection.setAutoCommit(false);
      if (!ProjectionSchema.schemaExists(connection, config.schema())) {
        connection.close();
        throw new ConfigException("schema '" + config.schema() + "' does not exist: fix --schema (RESET_SCHEMA)");
      }
      return connection;
    } catch (SQLException e) {
      throw new ConfigException("cannot connect to PostgreSQL at " + config.jdbcUrl() + " as '" + config.dbUser()
          + "': check --jdbc-url (RESET_JDBC_URL), PGUSER, PGPASSWORD and that the server is up ("
          + e.getMessage() + ")", e);
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; closing it ends the transaction
    }
  }

  /** The plan of this run and what became of it. */
  private record Plan(ResetOutcome outcome, List<PlannedPartition> partitions, long currentEpoch, long newEpoch,
      boolean truncated, boolean alreadyApplied) {

    ResetResult result(String message) {
      return new ResetResult(outcome, currentEpoch, newEpoch, truncated, partitions, message);
    }

    ResetResult failed(String message) {
      return new ResetResult(ResetOutcome.Failed, currentEpoch, newEpoch, truncated, partitions, message);
    }
  }
}
