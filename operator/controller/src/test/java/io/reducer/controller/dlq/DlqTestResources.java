package io.reducer.controller.dlq;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplaySpec;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionSpec;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineSpec;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.common.SecretKeySelector;
import io.reducer.api.v1alpha1.pipeline.KafkaConnection;
import io.reducer.api.v1alpha1.pipeline.KafkaSecurity;
import io.reducer.api.v1alpha1.pipeline.PipelineTopics;
import io.reducer.api.v1alpha1.pipeline.SaslAuthentication;
import io.reducer.api.v1alpha1.pipeline.TopicSpec;

/** DlqReplays, pipelines and projections as the unit tests need them, in namespace "orders". */
final class DlqTestResources {

  static final String NAMESPACE = "orders";

  private DlqTestResources() {
  }

  static DlqReplay replay(String name, String pipeline) {
    DlqReplay replay = new DlqReplay();
    replay.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withUid("uid-" + name)
        .withGeneration(1L).build());
    DlqReplaySpec spec = new DlqReplaySpec();
    spec.setPipelineRef(new LocalReference(pipeline));
    replay.setSpec(spec);
    return replay;
  }

  static DlqReplay viaProjection(String name, String projection) {
    DlqReplay replay = replay(name, "unused");
    replay.getSpec().setPipelineRef(null);
    replay.getSpec().setProjectionRef(new LocalReference(projection));
    return replay;
  }

  static ReducerPipeline pipeline(String name) {
    ReducerPipeline pipeline = new ReducerPipeline();
    pipeline.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withUid("uid-" + name)
        .build());
    ReducerPipelineSpec spec = new ReducerPipelineSpec();
    KafkaConnection kafka = new KafkaConnection();
    kafka.setBootstrapServers("kafka:9092");
    spec.setKafka(kafka);
    PipelineTopics topics = new PipelineTopics();
    topics.setActions(topic(name + ".actions"));
    topics.setStateCommitted(topic(name + ".state-committed"));
    topics.setDlq(topic(name + ".dlq"));
    spec.setTopics(topics);
    pipeline.setSpec(spec);
    return pipeline;
  }

  static Projection projection(String name, String pipeline) {
    Projection projection = new Projection();
    projection.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    ProjectionSpec spec = new ProjectionSpec();
    spec.setPipelineRef(new LocalReference(pipeline));
    projection.setSpec(spec);
    return projection;
  }

  /** SASL_PLAINTEXT with the mechanism, username and password from Secret kafka-login. */
  static KafkaSecurity sasl(SaslAuthentication.Mechanism mechanism) {
    KafkaSecurity security = new KafkaSecurity();
    security.setProtocol(KafkaSecurity.Protocol.SASL_PLAINTEXT);
    SaslAuthentication sasl = new SaslAuthentication();
    sasl.setMechanism(mechanism);
    sasl.setUsernameSecretRef(new SecretKeySelector("kafka-login", "username"));
    sasl.setPasswordSecretRef(new SecretKeySelector("kafka-login", "password"));
    security.setSasl(sasl);
    return security;
  }

  static ReplaySource source(String pipeline) {
    return new ReplaySource(pipeline(pipeline), pipeline + ".dlq");
  }

  private static TopicSpec topic(String name) {
    TopicSpec topic = new TopicSpec();
    topic.setName(name);
    return topic;
  }
}
