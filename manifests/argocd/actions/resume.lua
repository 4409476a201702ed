-- Ends a pause made with the pause action (the annotation); a pause in spec.paused is Git's to end.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["reducer.io/paused"] = "false"
return obj
