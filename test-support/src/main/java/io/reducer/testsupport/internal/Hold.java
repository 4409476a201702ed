package io.reducer.testsupport.internal;

/** Something a test holds back (a Job's pods, writes to a path) until it closes the handle. */
public interface Hold extends AutoCloseable {

  @Override
  void close();
}
