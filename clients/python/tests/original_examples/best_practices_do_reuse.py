# Reuse heavy objects across runs
context.save("model_name", my_model) # Load once
for i in range(10):
    await discomfort.run(["workflow.json"], context=context) # Reuse model
