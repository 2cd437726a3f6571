with discomfort.Context() as context:
    # Data automatically managed and cleaned up
    context.save("large_image", my_4k_image) # May go to disk
    context.save("small_data", {"cfg": 7.5}) # Likely stays in RAM
# Automatic cleanup happens here
