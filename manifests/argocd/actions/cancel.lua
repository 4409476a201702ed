-- Cancels a DlqReplay before it ends: kubectl annotate dlqr NAME reducer.io/cancel=true
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["reducer.io/cancel"] = "true"
return obj
