-- Argo CD health check for the reducer.io kinds: ReducerPipeline, Projection, DlqReplay, WatermarkReset.
-- One script for all four (argocd-cm.yaml installs it under each kind); docs/gitops.md says what each status means.
-- Runs in Argo CD's Lua 5.1 (gopher-lua) with the live object as `obj`.
local hs = {}

local function condition(status, type)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function isTrue(status, type)
  local c = condition(status, type)
  return c ~= nil and c.status == "True"
end

local function says(c, fallback)
  if c == nil then
    return fallback
  end
  local reason = c.reason or fallback
  if c.message ~= nil and c.message ~= "" then
    return reason .. ": " .. c.message
  end
  return reason
end

local function result(health, message)
  hs.status = health
  hs.message = message
  return hs
end

local status = obj.status
if status == nil then
  return result("Progressing", "Waiting for the operator to report status")
end

-- A status written for an older spec says nothing about the current one.
local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  return result("Progressing", "Waiting for the operator to observe generation " .. generation)
end

if status.phase ~= nil then
  -- The one-shot kinds, DlqReplay and WatermarkReset, follow their phase.
  local phase = status.phase
  local message = status.message
  if message == nil or message == "" then
    message = phase
  end
  local function withPhase(text)
    if string.sub(text, 1, #phase) == phase then
      return text
    end
    return phase .. ": " .. text
  end
  if phase == "Succeeded" or phase == "Completed" then
    return result("Healthy", message)
  end
  if phase == "Failed" or phase == "Cancelled" then
    return result("Degraded", withPhase(message))
  end
  if phase == "AwaitingApproval" or phase == "AwaitingCutoverApproval" then
    return result("Suspended", message)
  end
  -- Still running, but waiting for something only a user can change (a missing pipeline, a pod that cannot start).
  if isTrue(status, "Stalled") then
    return result("Degraded", says(condition(status, "Stalled"), phase))
  end
  return result("Progressing", withPhase(message))
end

-- A kind with phases that has none yet: accepted, not started.
if obj.kind == "DlqReplay" or obj.kind == "WatermarkReset" then
  return result("Progressing", "Waiting for the operator to start it")
end

-- The long-lived kinds, ReducerPipeline and Projection, follow their conditions.
if isTrue(status, "Stalled") then
  return result("Degraded", says(condition(status, "Stalled"), "Stalled"))
end
if isTrue(status, "Paused") then
  return result("Suspended", says(condition(status, "Paused"), "Paused"))
end
-- A WatermarkReset of the pipeline's reducers holds them at zero replicas while it runs.
local reducers = condition(status, "ReducersReady")
if reducers ~= nil and reducers.status == "True" and reducers.reason == "ResetInProgress" then
  return result("Suspended", says(reducers, "ResetInProgress"))
end
if isTrue(status, "Degraded") then
  return result("Degraded", says(condition(status, "Degraded"), "Degraded"))
end
if isTrue(status, "Reconciling") then
  return result("Progressing", says(condition(status, "Reconciling"), "Reconciling"))
end
local ready = condition(status, "Ready")
if ready == nil or ready.status ~= "True" then
  return result("Progressing", says(ready, "Waiting for the Ready condition"))
end
-- A pipeline is Ready once Kafka and PostgreSQL answer; its reducers may still be starting.
if reducers ~= nil and reducers.status ~= "True" then
  return result("Progressing", says(reducers, "ReducersReady"))
end
return result("Healthy", says(ready, "Ready"))
