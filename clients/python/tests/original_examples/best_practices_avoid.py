# Don't forget context cleanup
context = discomfort.Context()
# ... use context ...
# Missing: context.shutdown() - will leak resources!
# Instead, use a `with` clause to ensure it always shuts down the context

# Avoid switching heavy objects unnecessarily
for i in range(10):
    my_model = f"model{i}.safetensors"
    context.save("model_name", my_model) # Possibly wasteful; try clustering model use
    await discomfort.run(["workflow.json"], context=context)

# Don't use generic unique_ids
context.save("data", something) # What is "data"?
context.save("output", result) # Which output?
