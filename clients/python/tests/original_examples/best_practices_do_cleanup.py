# Use context managers for automatic cleanup
with discomfort.Context() as context:
    # Your workflow code here
    pass # Automatic cleanup upon closing the 'with' clause
