# Use descriptive unique_ids
context.save("main_character_prompt", prompt)
context.save("background_image", bg_img)
