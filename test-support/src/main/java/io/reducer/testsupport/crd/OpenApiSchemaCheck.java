package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.oas.OpenApi30;
import java.util.List;

/**
 * The structural half of API server validation: an {@code openAPIV3Schema} applied with OpenAPI 3.0 semantics
 * (draft 4 keywords, boolean {@code exclusiveMinimum}/{@code exclusiveMaximum}, {@code nullable}).
 */
final class OpenApiSchemaCheck {

  private static final JsonMetaSchema DIALECT = JsonMetaSchema.builder(OpenApi30.getInstance().getIri(),
          OpenApi30.getInstance())
      .formats(formats -> formats.keySet().retainAll(KubernetesFormats.FROM_NETWORKNT))
      .formats(KubernetesFormats.OWN)
      // x-kubernetes-* and other vendor keywords carry no JSON Schema meaning; silence them.
      .unknownKeywordFactory((keyword, context) -> new NonValidationKeyword(keyword))
      .build();

  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
      builder -> builder.metaSchema(DIALECT).defaultMetaSchemaIri(DIALECT.getIri()));

  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
      .nullableKeywordEnabled(true)
      .formatAssertionsEnabled(true)
      // The API server accepts 2.0 for an integer field, like go-openapi does.
      .losslessNarrowing(true)
      .build();

  private final JsonNode rootSchema;
  private final JsonSchema schema;

  private OpenApiSchemaCheck(JsonNode rootSchema, JsonSchema schema) {
    this.rootSchema = rootSchema;
    this.schema = schema;
  }

  /** Throws a networknt exception when the schema itself cannot be compiled (e.g. a bad {@code pattern}). */
  static OpenApiSchemaCheck compile(JsonNode openApiV3Schema) {
    JsonSchema compiled = FACTORY.getSchema(openApiV3Schema, CONFIG);
    compiled.initializeValidators();
    return new OpenApiSchemaCheck(openApiV3Schema, compiled);
  }

  List<String> validate(JsonNode object) {
    SchemaErrorMessages messages = new SchemaErrorMessages(rootSchema);
    return schema.validate(object).stream()
        .map(messages::format)
        .distinct()
        .sorted()
        .toList();
  }
}
