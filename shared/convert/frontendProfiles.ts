/**
 * What differs between versions of the ComfyUI frontend in the prompt that
 * `graphToPrompt` builds: widgets its own extensions add to backend nodes,
 * the display names its English locale shows (they become `_meta.title`),
 * whether clashing node ids inside subgraph definitions are renumbered on
 * load, and what `_meta` carries besides the title.
 *
 * Each profile was read off that frontend version running on ComfyUI 0.3.75
 * (test/fixtures/workflow-templates: every template's prompt captured from
 * it; display names: scripts/capture/displayNames.ts). A version between two
 * known ones takes the profile of the newest known version not above it; an
 * older one takes the oldest profile.
 */

/** A widget a frontend extension adds to a backend node, after the definition's widgets. */
interface ExtraWidget {
  name: string
  value: unknown
  /** false: not saved in widgets_values (the frontend skips it when loading values too). */
  persist: boolean
}

export interface FrontendProfile {
  /** The frontend version this profile was read off. */
  readonly version: string
  readonly extraWidgets: Readonly<Record<string, readonly ExtraWidget[]>>
  /** Node type → the name the frontend shows, where its locale differs from what servers declare. */
  readonly displayNames: Readonly<Record<string, string>>
  /** Node ids inside subgraph definitions that clash with ids already in use are renumbered on load. */
  readonly renumberSubgraphNodeIds: boolean
  /** `_meta` also carries the node's `cnr_id`, `aux_id` and `ver` properties. */
  readonly metaFromProperties: boolean
}

/** The Load3D extension's viewer snapshot, on the 3D preview and save nodes (every known version). */
const VIEWER_IMAGE: readonly ExtraWidget[] = [{ name: 'image', value: '', persist: true }]

const PROFILES: readonly FrontendProfile[] = [
  {
    version: '1.32.9',
    extraWidgets: {
      PreviewAny: [{ name: 'preview', value: '', persist: false }],
      Preview3D: VIEWER_IMAGE,
      SaveGLB: VIEWER_IMAGE,
    },
    displayNames: {
      EmptyHunyuanLatentVideo: 'EmptyHunyuanLatentVideo',
      Load3D: 'Load 3D',
      Preview3D: 'Preview 3D',
      PreviewAny: 'Preview Any',
    },
    renumberSubgraphNodeIds: false,
    metaFromProperties: false,
  },
  {
    version: '1.41.3',
    extraWidgets: {
      PreviewAny: [
        { name: 'preview_markdown', value: '', persist: false },
        { name: 'preview_text', value: '', persist: false },
        { name: 'previewMode', value: false, persist: true },
      ],
      Preview3D: VIEWER_IMAGE,
      SaveGLB: VIEWER_IMAGE,
    },
    displayNames: {
      ByteDanceSeedreamNode: 'ByteDance Seedream 4.5',
      EmptyAceStepLatentAudio: 'Empty Ace Step 1.0 Latent Audio',
      FluxKontextMultiReferenceLatentMethod: 'Edit Model Reference Method',
      GrowMask: 'Grow Mask',
      ImageBlend: 'Image Blend',
      ImageBlur: 'Image Blur',
      ImageCrop: 'Image Crop (Deprecated)',
      ImageRotate: 'Image Rotate',
      KlingImage2VideoNode: 'Kling Image(First Frame) to Video',
      KlingImageGenerationNode: 'Kling 3.0 Image',
      LoraLoader: 'Load LoRA (Model and CLIP)',
      LoraLoaderModelOnly: 'Load LoRA',
      Mahiro: 'Mahiro CFG',
      MaskPreview: 'Preview Mask',
      OpenAIGPTImage1: 'OpenAI GPT Image 1.5',
      PreviewAny: 'Preview as Text',
      SaveGLB: 'Save 3D Model',
    },
    renumberSubgraphNodeIds: true,
    metaFromProperties: false,
  },
  {
    version: '1.58.1',
    extraWidgets: { Preview3D: VIEWER_IMAGE, SaveGLB: VIEWER_IMAGE },
    displayNames: {
      BasicGuider: 'Basic Guider',
      CFGGuider: 'CFG Guider',
      CLIPTextEncodeControlnet: 'CLIP Text Encode (Controlnet)',
      CLIPTextEncodeHiDream: 'CLIP Text Encode (HiDream)',
      CLIPTextEncodeHunyuanDiT: 'CLIP Text Encode (Hunyuan Image)',
      CLIPTextEncodePixArtAlpha: 'CLIP Text Encode (PixArt Alpha)',
      CLIPTextEncodeSD3: 'CLIP Text Encode (SD3)',
      CLIPTextEncodeSDXL: 'CLIP Text Encode (SDXL)',
      CLIPTextEncodeSDXLRefiner: 'CLIP Text Encode (SDXL Refiner)',
      Canny: 'Detect Edges (Canny)',
      ControlNetInpaintingAliMamaApply: 'Apply ControlNet Inpainting (AliMama)',
      DualCFGGuider: 'Dual CFG Guider',
      EmptyAceStepLatentAudio: 'Empty Ace Step 1.0 Latent Audio',
      EmptyCosmosLatentVideo: 'Empty Cosmos Latent Video',
      EmptyHunyuanImageLatent: 'Empty Hunyuan Image Latent',
      EmptyLTXVLatentVideo: 'Empty LTXV Latent Video',
      EmptyLatentHunyuan3Dv2: 'Empty Hunyuan 3D v2 Latent',
      FluxKontextMultiReferenceLatentMethod: 'Edit Model Reference Method',
      HunyuanRefinerLatent: 'Hunyuan Latent Refiner',
      HunyuanVideo15SuperResolution: 'Hunyuan Video 1.5 Super Resolution',
      HypernetworkLoader: 'Load Hypernetwork',
      ImageBlend: 'Blend Images',
      ImageBlur: 'Blur Image',
      ImageQuantize: 'Quantize Image',
      ImageRGBToYUV: 'Image RGB to YUV',
      ImageScaleToTotalPixels: 'Scale Image to Total Pixels',
      ImageSharpen: 'Sharpen Image',
      ImageYUVToRGB: 'Image YUV to RGB',
      LTXVPreprocess: 'LTXV Preprocess',
      LatentBatch: 'Batch Latents (DEPRECATED)',
      PerpNegGuider: 'Perp-Neg Guider',
      PhotoMakerEncode: 'PhotoMaker Encode',
      PhotoMakerLoader: 'Load PhotoMaker Model',
      QuadrupleCLIPLoader: 'Load CLIP (Quadruple)',
      ReferenceLatent: 'Set Reference Latent',
      SaveGLB: 'Save 3D Model',
      SaveWEBM: 'Save WEBM',
      SetUnionControlNetType: 'Set Union ControlNet Type',
      StableCascade_EmptyLatentImage: 'Empty Stable Cascade Latent Image',
      StableCascade_StageC_VAEEncode: 'Stable Cascade Stage C VAE Encode',
      T5TokenizerOptions: 'T5 Tokenizer Options',
      TextEncodeQwenImageEdit: 'Text Encode Qwen Image Edit',
      TextEncodeQwenImageEditPlus: 'Text Encode Qwen Image Edit Plus',
      TrimVideoLatent: 'Trim Video Latent',
      TripleCLIPLoader: 'Load CLIP (Triple)',
      VAEDecodeHunyuan3D: 'Hunyuan 3D VAE Decode',
      VoxelToMesh: 'Voxel to Mesh',
      VoxelToMeshBasic: 'Voxel to Mesh (Basic) (DEPRECATED)',
    },
    renumberSubgraphNodeIds: true,
    metaFromProperties: true,
  },
]

/** The frontend versions with a profile of their own, oldest first. */
export const KNOWN_FRONTEND_VERSIONS: readonly string[] = PROFILES.map((p) => p.version)

/** Used when nothing says which frontend the prompt is for: the newest known. */
export const DEFAULT_FRONTEND_VERSION = PROFILES[PROFILES.length - 1]!.version

const parts = (v: string): number[] => v.split('.').map((p) => Number.parseInt(p, 10) || 0)

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b`. */
function compareVersions(a: string, b: string): number {
  const x = parts(a)
  const y = parts(b)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** Whether a string reads as a frontend version (`1.41.3`). */
export const isFrontendVersion = (v: string): boolean => /^\d+\.\d+(\.\d+)?$/.test(v)

/** The profile for a frontend version (default: the newest known). */
export function frontendProfile(version: string = DEFAULT_FRONTEND_VERSION): FrontendProfile {
  let chosen = PROFILES[0]!
  for (const p of PROFILES) if (compareVersions(p.version, version) <= 0) chosen = p
  return chosen
}
