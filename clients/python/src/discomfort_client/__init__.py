"""Python client of the Discomfort bridge: run ComfyUI workflows with DiscomfortPorts from Python.

    import asyncio
    from discomfort_client import Discomfort

    async def main():
        discomfort = await Discomfort.create()
        with discomfort.Context() as context:
            context.save("prompt", "A beautiful landscape")
            outputs = await discomfort.run(["workflow.json"], context=context)
        await discomfort.shutdown()

    asyncio.run(main())

The blocking facade is ``discomfort_client.sync.Discomfort``.
"""

from .client import DEFAULT_BRIDGE_URL, Discomfort, RunOptions, WorkflowArg
from .context import Context
from .errors import (
    BadRequestError,
    BadValueError,
    BridgeError,
    BridgeUnreachableError,
    ComfyError,
    ContextClosedError,
    DiscomfortError,
    NotFoundError,
    ProtocolError,
    RunCancelledError,
    RunFailedError,
    StorageFullError,
)
from .latent import LatentError
from .png import PngError
from .sweep import SweepHandle
from .tools import Tools
from .values import ImageFormat, ImageValue, LatentValue, MaskValue, Reference, StoredValue, Value

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BRIDGE_URL",
    "BadRequestError",
    "BadValueError",
    "BridgeError",
    "BridgeUnreachableError",
    "ComfyError",
    "Context",
    "ContextClosedError",
    "Discomfort",
    "DiscomfortError",
    "ImageFormat",
    "ImageValue",
    "LatentError",
    "LatentValue",
    "MaskValue",
    "NotFoundError",
    "PngError",
    "ProtocolError",
    "Reference",
    "RunOptions",
    "RunCancelledError",
    "RunFailedError",
    "StorageFullError",
    "StoredValue",
    "SweepHandle",
    "Tools",
    "Value",
    "WorkflowArg",
    "__version__",
]
