# See what's in your context
keys = context.list_keys()
print(f"Stored data: {keys}")
