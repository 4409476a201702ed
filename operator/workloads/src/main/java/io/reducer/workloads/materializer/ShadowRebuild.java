package io.reducer.workloads.materializer;

/**
 * One shadow rebuild of a live projection: where the live table and its watermarks are, and the rebuild id every
 * shadow name is derived from ({@link ShadowNames}).
 *
 * @param schema schema of the live, shadow and previous tables and of {@code projection_watermarks}
 * @param table the live projection table
 * @param namespace the Projection's namespace, part of both watermark identities
 * @param projection the live projection's identity in {@code projection_watermarks}
 * @param rebuildId short id of this rebuild, e.g. the WatermarkReset's uid prefix
 */
public record ShadowRebuild(String schema, String table, String namespace, String projection, String rebuildId) {

  public ShadowRebuild {
    Identifiers.quote(schema);
    Identifiers.quote(table);
    if (ReservedTables.isReserved(table)) {
      throw new IllegalArgumentException("table " + table + " is reserved, not a projection table");
    }
    ShadowNames.shadowTable(table, rebuildId);
  }

  public String shadowTable() {
    return ShadowNames.shadowTable(table, rebuildId);
  }

  public String previousTable() {
    return ShadowNames.previousTable(table, rebuildId);
  }

  public String shadowProjection() {
    return ShadowNames.shadowProjection(projection, rebuildId);
  }

  public String shadowGroup() {
    return ShadowNames.shadowGroup(projection, rebuildId);
  }

  /** {@code schema.shadow_table}, for messages. */
  public String qualifiedShadowName() {
    return schema + "." + shadowTable();
  }

  String qualifiedLive() {
    return Identifiers.qualified(schema, table);
  }

  String qualifiedShadow() {
    return Identifiers.qualified(schema, shadowTable());
  }

  String qualifiedPrevious() {
    return Identifiers.qualified(schema, previousTable());
  }

  String qualifiedWatermarks() {
    return Identifiers.qualified(schema, ProjectionSchema.WATERMARKS);
  }

  /** The shadow table's owner in {@code projection_tables}: the shadow identity, so no other projection takes it. */
  TableOwner shadowOwner() {
    return TableOwner.of(namespace, shadowProjection(), "");
  }
}
