"""Discomfort: a JavaScript-only ComfyUI extension.

Cloning this folder into ComfyUI/custom_nodes/ lets ComfyUI serve the built
frontend extension in ./web. It defines no Python nodes.
"""

WEB_DIRECTORY = "./web"
NODE_CLASS_MAPPINGS = {}
NODE_DISPLAY_NAME_MAPPINGS = {}
__all__ = ["WEB_DIRECTORY", "NODE_CLASS_MAPPINGS", "NODE_DISPLAY_NAME_MAPPINGS"]
