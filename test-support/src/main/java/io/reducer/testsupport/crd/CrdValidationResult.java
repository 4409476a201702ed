package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What an API server would answer to a create or update of a custom resource.
 *
 * <p>{@link #errors()} are the reasons it would refuse the request, one per line in the form
 * {@code path: message}, e.g. {@code spec.table: must match pattern ^[a-z_][a-z0-9_]{0,62}$} or
 * {@code spec: Invalid value: offsets are required when target is offset}. {@link #prunedFields()} are fields the
 * API server would silently drop (not declared in the schema, or null where the schema does not allow null):
 * not errors, but a request relying on them would not do what its author meant.
 */
public final class CrdValidationResult {

  private final List<String> errors;
  private final List<String> prunedFields;
  private final JsonNode storedObject;

  CrdValidationResult(List<String> errors, List<String> prunedFields, JsonNode storedObject) {
    this.errors = List.copyOf(errors);
    this.prunedFields = List.copyOf(prunedFields);
    this.storedObject = storedObject;
  }

  /** True when the API server would accept the request. */
  public boolean valid() {
    return errors.isEmpty();
  }

  public List<String> errors() {
    return errors;
  }

  /** Paths of fields that would be dropped, e.g. {@code spec.tabel} for a misspelt {@code table}. */
  public List<String> prunedFields() {
    return prunedFields;
  }

  /**
   * The object as the API server would store it, pruned and with defaults applied; null when the request
   * could not be matched to a version of the CRD.
   */
  public JsonNode storedObject() {
    return storedObject;
  }

  /** Multi-line, so a failed assertion shows every error and pruned field. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(valid() ? "valid" : "invalid (" + errors.size() + " errors)");
    errors.forEach(error -> text.append("\n  error:  ").append(error));
    prunedFields.forEach(field -> text.append("\n  pruned: ").append(field));
    return text.toString();
  }
}
