package io.reducer.workloads.reducer;

import java.lang.reflect.InvocationTargetException;

import io.reducer.workloads.reducer.fsm.StateMachine;
import io.reducer.workloads.reducer.fsm.StateMachineException;
import io.reducer.workloads.reducer.fsm.StateMachineReducer;
import io.reducer.workloads.reducer.spi.Reducer;

/**
 * The reducer a process runs: the built-in state machine (from --state-machine, or the runbooks' workflow), or a
 * team's own class on the classpath (docs/reducer.md, "Your own reducer").
 */
final class ReducerFactory {

  private ReducerFactory() {
  }

  static Reducer create(ReducerConfig config) throws ReducerConfigException {
    if (!config.reducerClass().isEmpty()) {
      return load(config.reducerClass());
    }
    if (config.stateMachineJson().isEmpty()) {
      return new StateMachineReducer(StateMachine.DEFAULT);
    }
    try {
      return new StateMachineReducer(StateMachine.parse(config.stateMachineJson()));
    } catch (StateMachineException e) {
      throw new ReducerConfigException("invalid state machine (--state-machine, REDUCER_STATE_MACHINE or its file): "
          + e.getMessage(), e);
    }
  }

  static String describe(Reducer reducer) {
    if (reducer instanceof StateMachineReducer machine) {
      return "the state machine " + machine.machine().describe();
    }
    return "reducer class " + reducer.getClass().getName();
  }

  private static Reducer load(String name) throws ReducerConfigException {
    Class<?> type;
    try {
      type = Class.forName(name);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ReducerConfigException("reducer class " + name + " is not on the classpath: add its jar to the "
          + "image's classpath directory, or fix --reducer-class (REDUCER_CLASS) (" + e + ")", e);
    }
    if (!Reducer.class.isAssignableFrom(type)) {
      throw new ReducerConfigException("reducer class " + name + " does not implement " + Reducer.class.getName());
    }
    try {
      return (Reducer) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new ReducerConfigException("reducer class " + name + " needs a public constructor without arguments", e);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw new ReducerConfigException("cannot create reducer class " + name + ": " + cause, cause);
    }
  }
}
