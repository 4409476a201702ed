-- The emergency stop of a ReducerPipeline (reducers and its projections) or of one Projection: scales them to zero.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["reducer.io/paused"] = "true"
return obj
