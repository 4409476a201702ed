-- Approves a DlqReplay or WatermarkReset that waits in AwaitingApproval: kubectl annotate ... reducer.io/approve=true
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["reducer.io/approve"] = "true"
return obj
