/** The page's own modules, imported at run time from ComfyUI (not bundled). */
declare module '*/scripts/app.js' {
  export const app: import('@comfyorg/comfyui-frontend-types').ComfyApp
}
declare module '*/scripts/api.js' {
  export const api: import('@comfyorg/comfyui-frontend-types').ComfyApi
}
