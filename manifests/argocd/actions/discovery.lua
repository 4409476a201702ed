-- Argo CD resource actions for the reducer.io kinds (docs/gitops.md). Each action sets an annotation the operator
-- acts on, never spec, so Argo CD's self-heal has nothing to put back. Runs with the live object as `obj`.
local actions = {}
local annotations = obj.metadata.annotations or {}
local phase = nil
if obj.status ~= nil then
  phase = obj.status.phase
end

if obj.kind == "DlqReplay" or obj.kind == "WatermarkReset" then
  actions["approve"] = {["disabled"] = phase ~= "AwaitingApproval" or annotations["reducer.io/approve"] == "true"}
end
if obj.kind == "DlqReplay" then
  local finished = phase == "Succeeded" or phase == "Failed" or phase == "Cancelled"
  actions["cancel"] = {["disabled"] = finished or annotations["reducer.io/cancel"] == "true"}
end
if obj.kind == "ReducerPipeline" or obj.kind == "Projection" then
  local paused = annotations["reducer.io/paused"] == "true"
  actions["pause"] = {["disabled"] = paused}
  actions["resume"] = {["disabled"] = not paused}
end
return actions
