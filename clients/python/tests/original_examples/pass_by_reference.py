# This stores the WORKFLOW that creates the model, not the model itself
context.save("my_model", model_object) # Becomes a workflow graph

# Later, when loaded, the workflow is executed to recreate the model
loaded_model = context.load("my_model") # Runs the stored workflow
