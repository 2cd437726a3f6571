# Make temporary data permanent
context.export_data("final_result", "/path/to/permanent/file.pkl")
