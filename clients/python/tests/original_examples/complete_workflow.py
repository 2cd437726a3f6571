import asyncio
from discomfort_client import Discomfort

async def main():
    discomfort = await Discomfort.create()

    with discomfort.Context() as context:
        # Load model once (pass-by-reference)
        context.save("model_name", "my_model.safetensors")
        await discomfort.run(["load_model.json"], context=context)

        # Now my_model is available for subsequent runs
        for i in range(5):
            # Update parameters (pass-by-value)
            context.save("prompt", f"Image {i}: A beautiful scene")
            context.save("seed", 1000 + i)

            # Run main workflow - reuses the loaded model
            await discomfort.run(["main_workflow.json"], context=context)

            # Extract result
            image = context.load("output")
            discomfort.Tools.save_comfy_image_to_disk(image, f"output_{i}.png")

    await discomfort.shutdown()

asyncio.run(main())
