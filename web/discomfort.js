import { api } from "../../scripts/api.js";
import { app } from "../../scripts/app.js";
// extension/src/fitView.ts
/** Room for a node's title bar, drawn above its position. */
var TITLE = 30;
var rectOf = (n) => ({
	x: n.pos[0] ?? 0,
	y: (n.pos[1] ?? 0) - TITLE,
	w: n.size[0] ?? 0,
	h: (n.size[1] ?? 0) + TITLE
});
/** Is any node at least partly in the screen of `width` × `height` CSS pixels? */
function anyNodeInView(nodes, view, width, height) {
	const left = -view.offset[0];
	const top = -view.offset[1];
	const right = left + width / view.scale;
	const bottom = top + height / view.scale;
	return nodes.some((n) => {
		const r = rectOf(n);
		return r.x < right && r.x + r.w > left && r.y < bottom && r.y + r.h > top;
	});
}
/** The view that shows every node, centred, with a margin; never zoomed in past 1. */
function viewOfAll(nodes, width, height) {
	if (!nodes.length || width <= 0 || height <= 0) return void 0;
	const rects = nodes.map(rectOf);
	const x0 = Math.min(...rects.map((r) => r.x));
	const y0 = Math.min(...rects.map((r) => r.y));
	const x1 = Math.max(...rects.map((r) => r.x + r.w));
	const y1 = Math.max(...rects.map((r) => r.y + r.h));
	const margin = .9;
	const scale = Math.max(.1, Math.min(1, width / Math.max(1, x1 - x0) * margin, height / Math.max(1, y1 - y0) * margin));
	return {
		scale,
		offset: [width / (2 * scale) - (x0 + x1) / 2, height / (2 * scale) - (y0 + y1) / 2]
	};
}
// extension/src/portMode.ts
function portMode(hasIncomingLink, outgoingLinks) {
	if (!hasIncomingLink) return "INPUT";
	return outgoingLinks > 0 ? "PASSTHRU" : "OUTPUT";
}
/** Colours that read on both the classic canvas and the Vue-rendered nodes. */
var MODE_STYLES = {
	INPUT: {
		color: "#1f5f3a",
		bgcolor: "#2a7a4b",
		badge: "⇢ INPUT"
	},
	OUTPUT: {
		color: "#5f3a1f",
		bgcolor: "#7a4b2a",
		badge: "OUTPUT ⇢"
	},
	PASSTHRU: {
		color: "#3a3a5f",
		bgcolor: "#4b4b7a",
		badge: "⇢ PASSTHRU ⇢"
	}
};
/** The node title: the key and the mode, and the type once connected. */
function portTitle(uniqueId, mode, type) {
	const key = uniqueId.trim() || "(no unique_id)";
	return `${mode === "INPUT" ? "▶ " : mode === "OUTPUT" ? "◀ " : "⇄ "}${key} · ${mode}${type && type !== "*" ? ` · ${type}` : ""}`;
}
function formatBytes(n) {
	if (n < 1024) return `${n} B`;
	if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
	if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
	return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
// extension/src/portNode.ts
/**
* The DiscomfortPort node: a frontend-registered node (not virtual, so
* graphToPrompt emits it as a pseudo-node the bridge compiles away). Its mode
* follows its links and shows in its title, colour and a badge line; INPUT
* ports show what the active context holds for their key, OUTPUT ports what
* they captured last.
*/
var PORT_TYPE = "DiscomfortPort";
/** The mode of a port instance, from its slots. */
function modeOf(node) {
	return portMode(node.inputs?.[0]?.link != null, node.outputs?.[0]?.links?.length ?? 0);
}
function uniqueIdOf(node) {
	return String(node.widgets?.find((w) => w.name === "unique_id")?.value ?? "");
}
/** The type carried: the neighbour's slot type (links into a `*` input are typed `*`). */
function carriedType(node) {
	const graph = node.graph;
	if (!graph) return void 0;
	const linkOf = (id) => {
		if (id == null) return void 0;
		const links = graph.links;
		return typeof links.get === "function" ? links.get(id) : links[id];
	};
	const known = (t) => typeof t === "string" && t !== "*" && t !== "";
	const incoming = linkOf(node.inputs?.[0]?.link);
	if (incoming) {
		const t = graph.getNodeById(incoming.origin_id)?.outputs?.[incoming.origin_slot]?.type;
		if (known(t)) return t;
		if (known(incoming.type)) return incoming.type;
	}
	for (const id of node.outputs?.[0]?.links ?? []) {
		const l = linkOf(id);
		if (!l) continue;
		const t = graph.getNodeById(l.target_id)?.inputs?.[l.target_slot]?.type;
		if (known(t)) return t;
		if (known(l.type)) return l.type;
	}
}
/** Title, colours and the status line, from the links and the active context. */
function refreshPort(node, store, typeHint) {
	const mode = modeOf(node);
	const uniqueId = uniqueIdOf(node);
	const type = carriedType(node) ?? (typeHint && typeHint !== "*" ? typeHint : void 0) ?? node.properties.discomfortType;
	if (type) node.properties.discomfortType = type;
	if (mode === "INPUT" && !(node.outputs?.[0]?.links?.length ?? 0)) delete node.properties.discomfortType;
	node.title = portTitle(uniqueId, mode, type);
	node.color = MODE_STYLES[mode].color;
	node.bgcolor = MODE_STYLES[mode].bgcolor;
	node.properties.discomfortMode = mode;
	showPreview(node, mode, uniqueId, store);
	const status = node.widgets?.find((w) => w.name === "context");
	if (status) {
		const entry = store?.entry(uniqueId);
		const summary = entry ? store?.state.summaries[uniqueId] ?? `${entry.comfyType}, ${entry.kind}` : void 0;
		status.value = store?.state.status !== "up" ? "bridge not connected" : !uniqueId.trim() ? "give it a unique_id (its key)" : !store.state.activeContext ? "no active context" : mode === "OUTPUT" ? entry ? `last: ${summary}` : "nothing captured yet" : entry ? `context: ${summary}` : `context has no "${uniqueId}"`;
	}
	fitTitle(node);
	node.setDirtyCanvas?.(true, true);
}
var measure;
/** Widen the node so its title shows whole (the title carries the key, the mode and the type). */
function fitTitle(node) {
	if (!node.size) return;
	measure ??= typeof document === "undefined" ? null : document.createElement("canvas").getContext("2d");
	if (!measure) return;
	const lg = globalThis.LiteGraph;
	measure.font = `${lg?.NODE_TEXT_SIZE ?? 14}px Arial`;
	const needed = Math.ceil(measure.measureText(node.title).width) + (lg?.NODE_TITLE_HEIGHT ?? 30) + 20;
	if (node.size[0] < needed) node.size[0] = needed;
}
/** The <img> of a port's preview DOM widget, when the frontend has DOM widgets. */
var previews = /* @__PURE__ */ new WeakMap();
/** An INPUT or OUTPUT port whose key holds an image or mask shows it under its widgets, as LoadImage does. */
function showPreview(node, mode, uniqueId, store) {
	const img = previews.get(node);
	if (!img) return;
	const entry = store?.state.status === "up" ? store.entry(uniqueId) : void 0;
	const ctx = store?.state.activeContext;
	const src = entry && ctx && (entry.kind === "image" || entry.kind === "mask") && mode !== "PASSTHRU" ? store.client.thumbnailUrl(ctx, uniqueId, entry.version) : "";
	if (img.getAttribute("src") === src || !src && !img.hasAttribute("src")) return;
	if (src) {
		img.src = src;
		img.style.display = "";
	} else {
		img.removeAttribute("src");
		img.style.display = "none";
	}
	node.setDirtyCanvas?.(true, true);
}
/** What an INPUT port's "set value" asks for: a file for IMAGE, MASK and LATENT, else a typed value. */
async function setValueFromNode(node, given) {
	const key = uniqueIdOf(node).trim();
	const store = given?.state.status === "up" ? given : void 0;
	const ctx = store?.state.activeContext;
	if (!store || !ctx) {
		window.alert("Discomfort: connect the bridge and choose a context in the Discomfort panel first.");
		return;
	}
	if (!key) {
		window.alert("Discomfort: give this port a unique_id first (the key its value is stored under).");
		return;
	}
	const type = String(node.properties.discomfortType ?? "*");
	if (type === "IMAGE" || type === "MASK" || type === "LATENT") {
		const input = Object.assign(document.createElement("input"), {
			type: "file",
			accept: type === "LATENT" ? ".latent" : ".png,image/png"
		});
		input.onchange = () => {
			const file = input.files?.[0];
			if (file) store.client.putFile(ctx, key, file, type).catch((e) => window.alert(e.message));
		};
		input.click();
		return;
	}
	const current = store.state.summaries[key] ?? "";
	const text = window.prompt(`Value of "${key}" (${type === "*" ? "any" : type}):`, current.replace(/^"|"$/g, ""));
	if (text === null) return;
	const value = type === "INT" || type === "FLOAT" ? Number(text) : type === "BOOLEAN" ? text.trim() === "true" : type === "STRING" || type === "COMBO" ? text : (() => {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	})();
	if (typeof value === "number" && !Number.isFinite(value)) {
		window.alert(`"${text}" is not a number; "${key}" is unchanged.`);
		return;
	}
	await store.client.putValue(ctx, key, value).catch((e) => window.alert(e.message));
}
/** Define the node class on the page's litegraph. */
function definePortNode(base, getStore) {
	class DiscomfortPortNode extends base {
		static title = "Discomfort Port";
		static category = "Discomfort";
		static description = "Reads a context value (INPUT), captures one (OUTPUT), or marks a stitching point (PASSTHRU), by its links.";
		comfyClass = PORT_TYPE;
		isVirtualNode = false;
		serialize_widgets = true;
		constructor() {
			super();
			this.addInput("input_data", "*", { shape: 7 });
			this.addOutput("output_data", "*");
			this.addWidget("text", "unique_id", "", () => refreshPort(this, getStore()));
			const status = this.addWidget("text", "context", "", () => {}, {
				serialize: false,
				readonly: true,
				disabled: true
			});
			status.serialize = false;
			if (status.options) status.options.serialize = false;
			const set = this.addWidget("button", "set value", null, () => void setValueFromNode(this, getStore()), { serialize: false });
			set.serialize = false;
			if (typeof this.addDOMWidget === "function") {
				const img = document.createElement("img");
				img.className = "discomfort-preview";
				img.style.cssText = "width:100%;height:100%;object-fit:contain;display:none;image-rendering:pixelated";
				img.alt = "value in the context";
				const preview = this.addDOMWidget("preview", "discomfort-preview", img, {
					serialize: false,
					hideOnZoom: false,
					getMinHeight: () => 120
				});
				preview.serialize = false;
				previews.set(this, img);
			}
			this.properties = {
				...this.properties,
				"Node name for S&R": PORT_TYPE
			};
			refreshPort(this, getStore());
		}
		onConnectionsChange(_side, _slot, connected, link) {
			refreshPort(this, getStore(), connected && typeof link?.type === "string" ? link.type : void 0);
			if (!connected) queueMicrotask(() => refreshPort(this, getStore()));
		}
		onConfigure() {
			refreshPort(this, getStore());
		}
	}
	return DiscomfortPortNode;
}
// shared/errors.ts
var DiscomfortError = class extends Error {
	static code = "bad_request";
	static status = 400;
	name = "DiscomfortError";
	/** Stable, machine-readable: the HTTP API's `error.type`. */
	code;
	/** The HTTP status the bridge answers with. */
	status;
	constructor(message, options = {}) {
		super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
		const kind = new.target;
		this.code = options.code ?? kind.code;
		this.status = options.status ?? kind.status;
	}
};
// extension/src/bridgeClient.ts
/** The page's link to the Discomfort bridge: plain fetch and one live WebSocket. */
/** The bridge does not answer: the page says how to start it, and queues nothing. */
var BridgeDownError = class extends DiscomfortError {
	static code = "bridge_down";
	static status = 503;
	name = "BridgeDownError";
};
var BridgeClient = class {
	url;
	token;
	/**
	* @param token the bridge's token, when it has one (a bridge on another
	*   machine must): sent as a bearer header, and in the query of the URLs the
	*   page loads by itself (images, the WebSocket)
	*/
	constructor(url, token = "") {
		this.url = url;
		this.token = token;
	}
	get base() {
		return this.url.replace(/\/+$/, "");
	}
	auth() {
		return this.token ? { authorization: `Bearer ${this.token}` } : {};
	}
	/** `&token=…` for URLs an <img> or WebSocket opens (they cannot send headers). */
	tokenParam(first) {
		return this.token ? `${first ? "?" : "&"}token=${encodeURIComponent(this.token)}` : "";
	}
	async call(method, path, body) {
		let res;
		try {
			res = await fetch(`${this.base}/api${path}`, {
				method,
				headers: {
					...this.auth(),
					...body !== void 0 ? { "content-type": "application/json" } : {}
				},
				...body !== void 0 ? { body: JSON.stringify(body) } : {}
			});
		} catch {
			throw new BridgeDownError(`The Discomfort bridge is not reachable at ${this.url}. Start it with "npx discomfort bridge", or set its URL in Settings › Discomfort.`);
		}
		const text = await res.text();
		const data = text ? JSON.parse(text) : void 0;
		if (!res.ok && !(path === "/queue" && res.status === 400)) throw new Error(data?.error?.message ?? `${method} ${path}: ${res.status}`);
		return data;
	}
	health() {
		return this.call("GET", "/health");
	}
	contexts() {
		return this.call("GET", "/contexts");
	}
	createContext(name) {
		return this.call("POST", "/contexts", { name });
	}
	/** Keep a context from now on: its values go to disk and it outlives the bridge. */
	makeDurable(contextId) {
		return this.call("POST", `/contexts/${encodeURIComponent(contextId)}/durable`);
	}
	/** Run a recorded run again, in its context with the values it holds now. */
	rerun(runId, body) {
		return this.call("POST", `/runs/${encodeURIComponent(runId)}/rerun`, body);
	}
	keys(contextId) {
		return this.call("GET", `/contexts/${encodeURIComponent(contextId)}/keys`);
	}
	value(contextId, key) {
		return this.call("GET", `/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}`);
	}
	deleteKey(contextId, key) {
		return this.call("DELETE", `/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}`);
	}
	thumbnailUrl(contextId, key, version) {
		return `${this.base}/api/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}/thumbnail?v=${version}${this.tokenParam(false)}`;
	}
	rawUrl(contextId, key) {
		return `${this.base}/api/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}?format=raw${this.tokenParam(false)}`;
	}
	/** Store a plain value (string, number, boolean, JSON) under a key. */
	putValue(contextId, key, value) {
		return this.call("PUT", `/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}`, { value });
	}
	/** Store a file's bytes: a PNG as IMAGE or MASK, a .latent as LATENT. */
	async putFile(contextId, key, file, type) {
		const res = await fetch(`${this.base}/api/contexts/${encodeURIComponent(contextId)}/values/${encodeURIComponent(key)}?type=${type}`, {
			method: "PUT",
			headers: {
				...this.auth(),
				"content-type": type === "LATENT" ? "application/octet-stream" : "image/png"
			},
			body: file
		});
		const data = await res.json();
		if (!res.ok) throw new Error(data.error?.message ?? `PUT ${key}: ${res.status}`);
		return data;
	}
	/** Queue a prompt with ports: answered in ComfyUI's /prompt shape. */
	queue(body) {
		return this.call("POST", "/queue", body);
	}
	socket() {
		return new WebSocket(`${this.base.replace(/^http/, "ws")}/api/ws${this.tokenParam(true)}`);
	}
};
// extension/src/chain.ts
/**
* Wrap a method of an object the page owns (the api, a node prototype) so
* that ours runs around the original, which it may call or skip. The
* original stays reachable and bound; wrapping twice chains twice.
*/
function chainMethod(target, name, wrap) {
	const original = target[name].bind(target);
	const wrapper = function(...args) {
		return wrap(original, ...args);
	};
	target[name] = wrapper;
}
// extension/src/queueHook.ts
/**
* Queueing from the page: when the prompt contains DiscomfortPort nodes, it
* goes to the bridge with the active context and the page's client id; the
* bridge compiles and queues it, so progress shows in ComfyUI as usual.
* Without ports, queueing is untouched. If the bridge is down, nothing is
* queued and a toast says how to start it. An error shows once (see below).
*/
var hasPorts = (output) => Object.values(output ?? {}).some((n) => n?.class_type === PORT_TYPE);
/**
* Nothing was queued, but the page goes on as if it had been (so that it
* shows no generic dialog): it would then run its "after queued" widget
* callbacks and move every seed with a control_after_generate. Put those
* values back once it has.
*/
function keepControlledValues(nodes) {
	const kept = [];
	for (const node of nodes()) for (const w of node.widgets ?? []) if (w.linkedWidgets?.length) kept.push([w, w.value]);
	setTimeout(() => {
		for (const [w, v] of kept) w.value = v;
	}, 0);
}
function installQueueHook(api, store, toast, nodes = () => []) {
	/** Not queued: said once in a toast; failing nodes marked by the page itself; no dialog. */
	const refused = (message, summary, nodeErrors = {}) => {
		toast("error", summary, message);
		keepControlledValues(nodes);
		return { node_errors: nodeErrors };
	};
	chainMethod(api, "queuePrompt", async (original, number, data, ...rest) => {
		if (!hasPorts(data.output)) return original(number, data, ...rest);
		const s = store();
		const contextId = s.state.activeContext;
		if (!contextId) return refused("Choose or create a context in the Discomfort sidebar before queueing a workflow with Discomfort ports.", "Discomfort");
		let answer;
		try {
			answer = await s.client.queue({
				prompt: data.output,
				context_id: contextId,
				client_id: api.clientId ?? api.initialClientId ?? "",
				extra_data: { extra_pnginfo: { workflow: data.workflow } }
			});
		} catch (e) {
			return refused(e instanceof BridgeDownError ? e.message : `Discomfort: ${e.message}`, "Discomfort bridge");
		}
		if (answer.error) return refused(answer.error.message, "Discomfort", answer.node_errors ?? {});
		return answer;
	});
}
// extension/src/valueForm.ts
/** A key from a file name: its stem, with what a key may not hold replaced. */
var keyFromFileName = (name) => name.replace(/\.[^.]*$/, "").replace(/[/\\\x00-\x1f\x7f]/g, "_").trim() || "file";
/** The value a typed entry stands for, or why it cannot be stored. */
function parseEntry(kind, text) {
	if (kind === "text") return { value: text };
	if (kind === "boolean") {
		if (text === "true" || text === "false") return { value: text === "true" };
		return { error: "true or false" };
	}
	if (kind === "number") {
		const n = Number(text);
		return text.trim() !== "" && Number.isFinite(n) ? { value: n } : { error: `"${text}" is not a number` };
	}
	try {
		return { value: JSON.parse(text) };
	} catch (e) {
		return { error: `not JSON: ${e.message}` };
	}
}
var fileType = (file, asMask) => /\.latent$/i.test(file.name) ? "LATENT" : /\.png$/i.test(file.name) || file.type === "image/png" ? asMask ? "MASK" : "IMAGE" : void 0;
/** A ComfyUI output's /view URL on this page's server: the file name it names, or undefined. */
function comfyViewFile(url, origin) {
	try {
		const u = new URL(url, origin);
		if (u.origin !== origin || !/\/view$/.test(u.pathname)) return void 0;
		return u.searchParams.get("filename") ?? void 0;
	} catch {
		return;
	}
}
function valueForm(store) {
	const key = Object.assign(document.createElement("input"), {
		placeholder: "key",
		className: "p-inputtext"
	});
	key.setAttribute("data-testid", "discomfort-new-key");
	const kind = document.createElement("select");
	for (const k of [
		"text",
		"number",
		"boolean",
		"json"
	]) kind.append(Object.assign(document.createElement("option"), {
		value: k,
		textContent: k
	}));
	kind.setAttribute("data-testid", "discomfort-new-kind");
	const value = Object.assign(document.createElement("input"), {
		placeholder: "value",
		className: "p-inputtext"
	});
	value.setAttribute("data-testid", "discomfort-new-value");
	const save = Object.assign(document.createElement("button"), {
		textContent: "Save",
		className: "p-button p-button-sm"
	});
	save.setAttribute("data-testid", "discomfort-save-value");
	const file = Object.assign(document.createElement("input"), {
		type: "file",
		accept: ".png,.latent,image/png"
	});
	file.setAttribute("data-testid", "discomfort-upload");
	const asMask = Object.assign(document.createElement("input"), {
		type: "checkbox",
		title: "Store PNGs as a MASK"
	});
	const message = document.createElement("div");
	message.className = "message";
	message.setAttribute("data-testid", "discomfort-form-message");
	const say = (text, bad = false) => {
		message.textContent = text;
		message.classList.toggle("bad", bad);
	};
	const active = () => store.state.activeContext;
	save.onclick = async () => {
		const ctx = active();
		const k = key.value.trim();
		if (!ctx) return say("Choose or create a context first.", true);
		if (!k) return say("Give the key (the unique_id of the INPUT port that reads it).", true);
		const parsed = parseEntry(kind.value, value.value);
		if ("error" in parsed) return say(`"${k}": ${parsed.error}.`, true);
		try {
			await store.client.putValue(ctx, k, parsed.value);
			say(`Saved "${k}".`);
		} catch (e) {
			say(e.message, true);
		}
	};
	const upload = async (files) => {
		const ctx = active();
		if (!ctx) return say("Choose or create a context first.", true);
		const list = [...files];
		for (const f of list) {
			const type = fileType(f, asMask.checked);
			if (!type) {
				say(`${f.name}: only PNG images and ComfyUI .latent files can be stored.`, true);
				continue;
			}
			const k = list.length === 1 && key.value.trim() ? key.value.trim() : keyFromFileName(f.name);
			try {
				await store.client.putFile(ctx, k, f, type);
				say(`Saved ${f.name} as "${k}" (${type}).`);
			} catch (e) {
				say(`${f.name}: ${e.message}`, true);
			}
		}
	};
	file.onchange = () => {
		if (file.files) upload(file.files).then(() => file.value = "");
	};
	const row = (...children) => {
		const div = document.createElement("div");
		div.className = "row";
		div.append(...children);
		return div;
	};
	const maskLabel = document.createElement("label");
	maskLabel.append(asMask, " as mask");
	const element = document.createElement("div");
	element.className = "value-form";
	element.append(row(key, kind), row(value, save), row(file, maskLabel), Object.assign(document.createElement("div"), {
		className: "hint",
		textContent: "Or drop PNG / .latent files on this panel."
	}), message);
	return {
		element,
		edit(k, v) {
			key.value = k;
			const t = typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : typeof v === "string" ? "text" : "json";
			kind.value = t;
			value.value = t === "json" ? JSON.stringify(v) : String(v);
			value.focus();
		},
		drop: (files) => upload(files),
		async dropUrl(url) {
			const name = comfyViewFile(url, location.origin);
			if (!name) return say(`Only images from this ComfyUI's outputs can be dropped here (got ${url.slice(0, 80)}).`, true);
			const res = await fetch(url);
			if (!res.ok) return say(`${name}: ComfyUI answered ${res.status}.`, true);
			await upload([new File([await res.blob()], name, { type: "image/png" })]);
		}
	};
}
// extension/src/sidebar.ts
/**
* The "Discomfort" sidebar tab: bridge status and URL, the contexts, and for
* the selected one its keys (type, pass-by, tier, size, last update,
* thumbnails), RAM and disk usage, delete and download, and live run progress.
*/
/**
* Colours come from the frontend's own theme variables (defined by every
* version from 1.25 to 1.58, and rewritten by its palettes), so light, dark
* and custom palettes follow; cells never wrap, long names are cut with an
* ellipsis (the full text is in the tooltip), and nothing is wider than the panel.
*/
var STYLE = `
.discomfort { padding: 8px; font-size: 12px; display: flex; flex-direction: column; gap: 8px; color: var(--fg-color); min-width: 0; overflow-x: hidden; box-sizing: border-box; }
.discomfort * { box-sizing: border-box; }
.discomfort .header { display: flex; align-items: center; justify-content: space-between; gap: 8px; min-height: 32px; border-bottom: 1px solid var(--border-color); padding-bottom: 6px; }
.discomfort .header .title { font-weight: bold; text-transform: uppercase; white-space: nowrap; }
.discomfort .status { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.discomfort .status.up::before { content: '● '; color: #4caf50; }
.discomfort .status.down::before, .discomfort .status.connecting::before { content: '● '; color: var(--error-text, #f44336); }
.discomfort h3 { margin: 4px 0 0; font-size: 12px; font-weight: bold; color: var(--descrip-text); text-transform: uppercase; }
.discomfort select, .discomfort input:not([type=checkbox]):not([type=file]), .discomfort button {
  background: var(--comfy-input-bg); color: var(--input-text, var(--fg-color)); border: 1px solid var(--border-color);
  border-radius: 4px; font-size: 12px; padding: 3px 6px; min-width: 0; }
.discomfort button { cursor: pointer; white-space: nowrap; }
.discomfort button:hover { background: var(--content-hover-bg, var(--comfy-menu-secondary-bg)); }
.discomfort .picker { display: flex; gap: 4px; }
.discomfort .picker select { flex: 1; width: 0; text-overflow: ellipsis; }
.discomfort input[type=file] { min-width: 0; max-width: 100%; color: var(--descrip-text); }
.discomfort table { width: 100%; table-layout: fixed; border-collapse: collapse; }
.discomfort col.key { width: 30%; } .discomfort col.value { width: 24%; } .discomfort col.type { width: 20%; }
.discomfort col.size { width: 13%; } .discomfort col.act { width: 13%; }
.discomfort td.act { text-overflow: clip; }
.discomfort td, .discomfort th { border-bottom: 1px solid var(--border-color); padding: 2px 4px; text-align: left;
  vertical-align: middle; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort th { color: var(--descrip-text); font-weight: normal; }
.discomfort tr:nth-child(even) td { background: var(--tr-even-bg-color, transparent); }
.discomfort img.thumb { max-width: 40px; max-height: 32px; image-rendering: pixelated; vertical-align: middle; }
.discomfort td.act a, .discomfort td.act button { padding: 0 3px; border: none; background: none; color: var(--descrip-text); text-decoration: none; }
.discomfort .bar { height: 6px; background: var(--comfy-input-bg); border-radius: 3px; overflow: hidden; }
.discomfort .bar > div { height: 100%; background: var(--p-primary-color, #4a90e2); }
.discomfort .run, .discomfort .muted { color: var(--descrip-text); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort .run.failed { color: var(--error-text, #f44336); }
.discomfort .filter { width: 100%; }
.discomfort .value-form { display: flex; flex-direction: column; gap: 4px; }
.discomfort .value-form .row { display: flex; gap: 4px; align-items: center; min-width: 0; }
.discomfort .value-form input:not([type]) { flex: 1; min-width: 0; }
.discomfort .value-form .hint { color: var(--descrip-text); }
.discomfort .value-form .message { color: var(--descrip-text); overflow-wrap: anywhere; }
.discomfort .value-form .message.bad { color: var(--error-text, #f44336); }
.discomfort.dropping { outline: 2px dashed var(--p-primary-color, #4a90e2); outline-offset: -4px; }
.discomfort td.editable { cursor: pointer; text-decoration: underline dotted; }
.discomfort .keys-head { display: flex; align-items: center; justify-content: space-between; gap: 4px; }
.discomfort .toggle { display: flex; }
.discomfort .toggle button { border-radius: 0; padding: 1px 6px; }
.discomfort .toggle button:first-child { border-radius: 4px 0 0 4px; }
.discomfort .toggle button:last-child { border-radius: 0 4px 4px 0; border-left: none; }
.discomfort .toggle button[aria-pressed=true] { background: var(--p-primary-color, #4a90e2); color: var(--p-primary-contrast-color, #fff); }
.discomfort .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(88px, 1fr)); gap: 6px; }
.discomfort .gallery a { display: flex; flex-direction: column; gap: 2px; min-width: 0; color: var(--descrip-text); text-decoration: none; }
.discomfort .gallery img { width: 100%; aspect-ratio: 1; object-fit: contain; background: var(--comfy-input-bg); border: 1px solid var(--border-color); border-radius: 4px; image-rendering: pixelated; }
.discomfort .gallery span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort .run.line { cursor: pointer; }
.discomfort .run.line:hover, .discomfort .run.line.open { color: var(--fg-color); }
.discomfort .run-details { display: flex; flex-direction: column; gap: 4px; padding: 6px; border: 1px solid var(--border-color); border-radius: 4px; background: var(--comfy-input-bg); }
.discomfort .run-details .text { white-space: normal; overflow-wrap: anywhere; }
.discomfort .run-details .error { color: var(--error-text, #f44336); }
.discomfort .run-details .outputs { display: flex; flex-wrap: wrap; gap: 4px; }
.discomfort .run-details .outputs a, .discomfort .run-details .outputs span { display: inline-flex; align-items: center; gap: 3px; max-width: 100%; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: var(--fg-color); text-decoration: none; }
.discomfort .run-details .actions { display: flex; gap: 4px; flex-wrap: wrap; }
`;
var el = (tag, props = {}, ...children) => {
	const node = Object.assign(document.createElement(tag), props);
	node.append(...children);
	return node;
};
var bar = (used, capacity) => {
	const pct = capacity > 0 ? Math.min(100, used / capacity * 100) : 0;
	const inner = el("div");
	inner.style.width = `${pct}%`;
	return el("div", {
		className: "bar",
		title: `${formatBytes(used)} of ${formatBytes(capacity)}`
	}, inner);
};
function renderSidebar(root, store) {
	const style = el("style", { textContent: STYLE });
	const container = el("div", { className: "discomfort" });
	root.append(style, container);
	const form = valueForm(store);
	const accepts = (types) => !!types && (types.includes("Files") || types.includes("text/uri-list"));
	container.addEventListener("dragover", (e) => {
		if (!accepts(e.dataTransfer?.types)) return;
		e.preventDefault();
		e.stopPropagation();
		container.classList.add("dropping");
	});
	container.addEventListener("dragleave", () => container.classList.remove("dropping"));
	container.addEventListener("drop", (e) => {
		container.classList.remove("dropping");
		const dt = e.dataTransfer;
		const uri = dt?.getData("text/uri-list").split("\n")[0]?.trim();
		if (!dt || !dt.files.length && !uri) return;
		e.preventDefault();
		e.stopPropagation();
		dt.files.length ? form.drop(dt.files) : form.dropUrl(uri);
	});
	const ui = {
		filter: el("input", {
			className: "filter",
			placeholder: "Filter keys…"
		}),
		limit: PAGE,
		mode: "list"
	};
	ui.filter.setAttribute("data-testid", "discomfort-filter");
	ui.filter.oninput = () => {
		ui.limit = PAGE;
		draw(store.state);
	};
	const draw = (s) => {
		container.replaceChildren(...view(s, store, form, ui, () => draw(store.state)));
	};
	const off = store.subscribe(draw);
	if (store.state.status === "up") store.refreshEntries();
	return () => {
		off();
		root.replaceChildren();
	};
}
/** Rows shown at once; more on request (a context may hold thousands of keys). */
var PAGE = 100;
var duration = (from, to) => {
	if (!to) return "still running";
	const ms = Date.parse(to) - Date.parse(from);
	return ms < 1e3 ? `${ms} ms` : ms < 6e4 ? `${(ms / 1e3).toFixed(1)} s` : `${Math.round(ms / 6e4)} min`;
};
function view(s, store, form, ui, redraw) {
	const out = [];
	const statusText = s.status === "up" ? `Bridge connected: ${store.client.url}` : s.status === "down" ? `Bridge not reachable at ${store.client.url} — start it with "npx discomfort bridge"` : "Connecting…";
	const status = el("div", {
		className: `status ${s.status}`,
		title: statusText
	}, statusText);
	status.setAttribute("data-testid", "discomfort-status");
	out.push(el("div", { className: "header" }, el("span", { className: "title" }, "Discomfort"), status));
	if (s.status !== "up") return out;
	const select = el("select");
	select.setAttribute("data-testid", "discomfort-context-select");
	for (const c of s.contexts) {
		const label = `${c.name ? `${c.name} — ` : ""}${c.id} (${c.keys} keys${c.durable ? ", durable" : ""})`;
		select.append(el("option", {
			value: c.id,
			selected: c.id === s.activeContext,
			title: label
		}, label));
	}
	select.title = select.selectedOptions[0]?.title ?? "";
	select.onchange = () => store.setActive(select.value);
	const create = el("button", { textContent: "New context" });
	create.onclick = async () => {
		const c = await store.client.createContext("from ComfyUI");
		store.setActive(c.id);
	};
	const active = s.contexts.find((c) => c.id === s.activeContext);
	const picker = el("div", { className: "picker" }, select, create);
	if (active && !active.durable) {
		const keep = el("button", {
			textContent: "Keep",
			title: "Keep this context: its values go to disk, and it is still here after the bridge restarts"
		});
		keep.setAttribute("data-testid", "discomfort-keep");
		keep.onclick = () => void store.client.makeDurable(active.id);
		picker.append(keep);
	}
	out.push(el("h3", {}, "Context"), picker);
	if (active) {
		out.push(el("div", {}, `RAM ${formatBytes(active.usage.ram_usage_bytes)} of ${formatBytes(active.usage.ram_capacity_bytes)}`), bar(active.usage.ram_usage_bytes, active.usage.ram_capacity_bytes));
		out.push(el("div", {}, `Disk ${formatBytes(active.usage.disk_usage_bytes)}`), bar(active.usage.disk_usage_bytes, Math.max(active.usage.disk_usage_bytes, active.usage.ram_capacity_bytes)));
		const needle = ui.filter.value.trim().toLowerCase();
		const matching = needle ? s.entries.filter((e) => e.key.toLowerCase().includes(needle)) : s.entries;
		const images = matching.filter((e) => e.kind === "image" || e.kind === "mask");
		const shown = ui.mode === "gallery" ? images : matching;
		const toggle = el("div", { className: "toggle" });
		for (const [mode, label] of [["list", "List"], ["gallery", "Gallery"]]) {
			const b = el("button", {
				textContent: label,
				title: mode === "list" ? "Every key" : "The images and masks"
			});
			b.setAttribute("aria-pressed", String(ui.mode === mode));
			b.setAttribute("data-testid", `discomfort-view-${mode}`);
			b.onclick = () => {
				ui.mode = mode;
				ui.limit = PAGE;
				redraw();
			};
			toggle.append(b);
		}
		out.push(el("div", { className: "keys-head" }, el("h3", {}, `Keys (${needle ? `${matching.length} of ` : ""}${s.entries.length})`), toggle), ...s.entries.length > 10 ? [ui.filter] : [], ui.mode === "gallery" ? gallery(images.slice(0, ui.limit), store, active.id) : keysTable(matching.slice(0, ui.limit), s, store, form, active.id));
		if (shown.length > ui.limit) {
			const more = el("button", { textContent: `Show ${Math.min(PAGE, shown.length - ui.limit)} more of ${shown.length - ui.limit}` });
			more.setAttribute("data-testid", "discomfort-more");
			more.onclick = () => {
				ui.limit += PAGE;
				redraw();
			};
			out.push(more);
		}
		out.push(el("h3", {}, "Add or change a value"), form.element);
	}
	const sweeps = Object.values(s.sweeps).sort((a, b) => Number(b.status === "running") - Number(a.status === "running") || b.createdAt.localeCompare(a.createdAt)).slice(0, 5);
	if (sweeps.length) {
		const list = el("div");
		list.setAttribute("data-testid", "discomfort-sweeps");
		for (const w of sweeps) {
			const finished = w.done + w.failed;
			const text = `${w.label ?? w.workflows.join(", ")} · ${finished}/${w.total}${w.failed ? ` · ${w.failed} failed` : ""} · ${w.status}`;
			const line = el("div", {
				className: `run ${w.failed ? "failed" : ""}`,
				title: `${w.id}: outputs in ${w.folder}`
			}, text);
			line.setAttribute("data-sweep", w.id);
			list.append(line, bar(finished, w.total || 1));
		}
		out.push(el("h3", {}, "Sweeps"), list);
	}
	const runs = Object.values(s.runs).slice(-10).reverse();
	if (runs.length) {
		const list = el("div");
		list.setAttribute("data-testid", "discomfort-runs");
		for (const r of runs) {
			const open = ui.openRun === r.runId;
			const text = `${r.source === "page" ? "page" : "script"} · ${r.status}${r.workflow ? ` · ${r.workflow}` : ""} · step ${r.step}/${r.totalSteps}${r.nodesTotal ? ` · nodes ${r.nodesDone}/${r.nodesTotal}` : ""}${r.error ? ` · ${r.error}` : ""}`;
			const line = el("div", {
				className: `run line ${r.status}${open ? " open" : ""}`,
				title: "Show this run"
			}, text);
			line.setAttribute("data-run", r.runId);
			line.onclick = () => {
				ui.openRun = open ? void 0 : r.runId;
				ui.runMessage = void 0;
				redraw();
			};
			list.append(line, bar(r.step, r.totalSteps || 1));
			if (open) list.append(runDetails(r, s, store, ui, redraw));
		}
		out.push(el("h3", {}, "Runs"), list);
	}
	return out;
}
/** The keys as a table: name, value (a thumbnail for images), type, size, download and delete. */
function keysTable(entries, s, store, form, contextId) {
	const table = el("table");
	table.setAttribute("data-testid", "discomfort-keys");
	const cols = el("colgroup");
	for (const c of [
		"key",
		"value",
		"type",
		"size",
		"act"
	]) cols.append(el("col", { className: c }));
	table.append(cols, el("tr", {}, el("th", {}, "key"), el("th", {}, "value"), el("th", {}, "type"), el("th", {}, "size"), el("th", {}, "")));
	for (const e of entries) {
		const value = e.kind === "image" || e.kind === "mask" ? el("img", {
			className: "thumb",
			src: store.client.thumbnailUrl(contextId, e.key, e.version),
			alt: e.key
		}) : el("span", {}, s.summaries[e.key] ?? e.kind);
		const editable = ![
			"image",
			"mask",
			"latent",
			"ref"
		].includes(e.kind);
		const del = el("button", {
			textContent: "✕",
			title: `Delete "${e.key}"`
		});
		del.onclick = () => void store.client.deleteKey(contextId, e.key);
		const download = el("a", {
			textContent: "⤓",
			href: store.client.rawUrl(contextId, e.key),
			title: `Download "${e.key}"`,
			download: e.key
		});
		const row = el("tr", { title: `${e.key}: ${e.comfyType} by ${e.passBy === "ref" ? "reference" : "value"}, in ${e.storage_type}; version ${e.version}, by ${e.producer}, ${new Date(e.updatedAt).toLocaleString()}` }, el("td", {}, e.key), el("td", editable ? {
			className: "editable",
			title: "Change this value",
			onclick: () => void store.client.value(contextId, e.key).then((v) => form.edit(e.key, v.value.value))
		} : {}, value), el("td", {}, e.passBy === "ref" ? `${e.comfyType} (ref)` : e.comfyType), el("td", {}, formatBytes(e.sizeBytes)), el("td", { className: "act" }, download, del));
		row.setAttribute("data-key", e.key);
		table.append(row);
	}
	return table;
}
/** The context's images and masks as tiles; a click opens the full image. */
function gallery(entries, store, contextId) {
	const grid = el("div", { className: "gallery" });
	grid.setAttribute("data-testid", "discomfort-gallery");
	if (!entries.length) return el("div", { className: "muted" }, "No images or masks in this context (yet).");
	for (const e of entries) {
		const tile = el("a", {
			href: store.client.rawUrl(contextId, e.key),
			target: "_blank",
			title: `${e.key}: ${e.comfyType}, ${formatBytes(e.sizeBytes)}, version ${e.version} — open the full image`
		}, el("img", {
			src: store.client.thumbnailUrl(contextId, e.key, e.version),
			alt: e.key,
			loading: "lazy"
		}), el("span", {}, e.key));
		tile.setAttribute("data-key", e.key);
		grid.append(tile);
	}
	return grid;
}
/**
* One run opened: when and how long, its workflows, its full error, and its
* outputs as its context holds them now (a thumbnail for images); "Run
* again" runs the same workflows in that context with its values as they are.
*/
function runDetails(r, s, store, ui, redraw) {
	const box = el("div", { className: "run-details" });
	box.setAttribute("data-testid", "discomfort-run-details");
	const inActive = r.contextId === s.activeContext;
	box.append(el("div", { className: "text" }, `${new Date(r.createdAt).toLocaleString()} · ${duration(r.createdAt, r.finishedAt)} · ${r.workflows.join(", ")}`), el("div", { className: "text muted" }, `context ${r.contextId}`));
	if (r.error) box.append(el("div", { className: "text error" }, r.error));
	if (r.outputs?.length) {
		const outputs = el("div", { className: "outputs" });
		for (const key of r.outputs) {
			const entry = inActive ? store.entry(key) : void 0;
			const image = entry && (entry.kind === "image" || entry.kind === "mask");
			const item = el("a", {
				href: store.client.rawUrl(r.contextId, key),
				target: "_blank",
				title: `${key}: its value in the context now (a later run may have changed it)`
			}, ...image ? [el("img", {
				className: "thumb",
				src: store.client.thumbnailUrl(r.contextId, key, entry.version),
				alt: key
			})] : [], key);
			item.setAttribute("data-output", key);
			outputs.append(item);
		}
		box.append(el("div", { className: "muted" }, "Outputs"), outputs);
	}
	const actions = el("div", { className: "actions" });
	if (r.rerunnable && r.status !== "queued" && r.status !== "running") {
		const again = el("button", {
			textContent: "Run again",
			title: "The same workflows, with the values the context holds now"
		});
		again.setAttribute("data-testid", "discomfort-rerun");
		again.onclick = async () => {
			again.disabled = true;
			try {
				ui.openRun = (await store.rerun(r.runId)).id;
				ui.runMessage = void 0;
			} catch (e) {
				ui.runMessage = e.message;
			}
			redraw();
		};
		actions.append(again);
	}
	if (!inActive && s.contexts.some((c) => c.id === r.contextId)) {
		const show = el("button", { textContent: "Show its context" });
		show.onclick = () => store.setActive(r.contextId);
		actions.append(show);
	}
	if (actions.childElementCount) box.append(actions);
	if (ui.runMessage) box.append(el("div", { className: "text error" }, ui.runMessage));
	return box;
}
// extension/src/state.ts
var fromView = (r) => ({
	runId: r.id,
	source: r.source,
	status: r.status,
	contextId: r.contextId,
	workflows: r.workflows,
	createdAt: r.createdAt,
	step: r.progress.step,
	totalSteps: r.progress.totalSteps,
	...r.finishedAt ? { finishedAt: r.finishedAt } : {},
	...r.progress.workflow ? { workflow: r.progress.workflow } : {},
	...r.error ? { error: r.error.message } : {},
	...r.outputs ? { outputs: r.outputs } : {},
	...r.rerunnable ? { rerunnable: true } : {}
});
var ACTIVE_KEY = "Discomfort.ActiveContext";
var DiscomfortStore = class {
	clientId;
	client;
	state = {
		status: "connecting",
		contexts: [],
		activeContext: void 0,
		entries: [],
		summaries: {},
		runs: {},
		sweeps: {}
	};
	listeners = /* @__PURE__ */ new Set();
	ws;
	retry;
	/**
	* @param clientId the page's ComfyUI client id, for runs started from the
	*   panel (so the page shows their progress as its own)
	*/
	constructor(url, clientId = () => void 0) {
		this.clientId = clientId;
		this.client = new BridgeClient(url);
		this.state.activeContext = localStorage.getItem(ACTIVE_KEY) ?? void 0;
	}
	/** How many views listen (the sidebar while it is open, the port nodes' refresher): for the devtools console and tests. */
	get listenerCount() {
		return this.listeners.size;
	}
	subscribe(listener) {
		this.listeners.add(listener);
		listener(this.state);
		return () => this.listeners.delete(listener);
	}
	emit() {
		for (const l of this.listeners) l(this.state);
	}
	/** A bridge that needs a token (one on another machine): reconnect with it. */
	setToken(token) {
		if (token === this.client.token) return;
		this.client.token = token;
		this.connect();
	}
	setUrl(url) {
		if (url === this.client.url) return;
		this.client.url = url;
		this.connect();
	}
	/** Connect (again) to the bridge's live feed; retries every few seconds while it is down. */
	connect() {
		if (this.retry) clearTimeout(this.retry);
		this.ws?.close();
		let ws;
		try {
			ws = this.client.socket();
		} catch {
			this.down();
			return;
		}
		this.ws = ws;
		ws.onopen = () => {
			this.state.status = "up";
			this.emit();
		};
		ws.onclose = () => {
			if (this.ws === ws) this.down();
		};
		ws.onmessage = (m) => this.onMessage(JSON.parse(String(m.data)));
	}
	down() {
		this.state.status = "down";
		this.emit();
		this.retry = setTimeout(() => this.connect(), 3e3);
	}
	onMessage(message) {
		if (message.type === "hello") {
			this.state.contexts = message.contexts;
			if (!this.state.activeContext || !message.contexts.some((c) => c.id === this.state.activeContext)) this.state.activeContext = message.contexts[0]?.id;
			this.state.sweeps = Object.fromEntries((message.sweeps ?? []).map((s) => [s.id, s]));
			this.state.runs = Object.fromEntries(message.runs.map((r) => [r.id, fromView(r)]));
			this.refreshEntries();
		} else if (message.type === "sweep") this.state.sweeps = {
			...this.state.sweeps,
			[message.sweep.id]: message.sweep
		};
		else if (message.type === "context-changed") {
			const others = this.state.contexts.filter((c) => c.id !== message.context.id);
			this.state.contexts = message.closed ? others : [...others, message.context].sort((a, b) => a.id.localeCompare(b.id));
			if (message.context.id === this.state.activeContext) this.refreshEntries();
			if (!this.state.activeContext && !message.closed) this.setActive(message.context.id);
		} else if (message.type === "run-event") {
			const e = message.event;
			const before = this.state.runs[e.runId];
			const run = {
				...fromView(message.run),
				...before?.nodesTotal !== void 0 ? {
					nodesDone: before.nodesDone,
					nodesTotal: before.nodesTotal
				} : {}
			};
			if (e.type === "workflow-started") Object.assign(run, {
				nodesDone: 0,
				nodesTotal: void 0
			});
			if (e.type === "node") Object.assign(run, {
				nodesDone: e.done,
				nodesTotal: e.total
			});
			this.state.runs = {
				...this.state.runs,
				[e.runId]: run
			};
		}
		this.emit();
	}
	/** Run a past run again; its progress shows on this page. */
	rerun(runId) {
		const clientId = this.clientId();
		return this.client.rerun(runId, clientId ? { client_id: clientId } : {});
	}
	setActive(id) {
		this.state.activeContext = id;
		if (id) localStorage.setItem(ACTIVE_KEY, id);
		this.refreshEntries();
		this.emit();
	}
	refreshing;
	refreshAgain = false;
	/**
	* Read the active context's keys again. Many changes in a row (a script
	* saving a thousand keys) make one request at a time: while one is out,
	* later calls only ask for one more when it is back.
	*/
	refreshEntries() {
		if (this.refreshing) {
			this.refreshAgain = true;
			return this.refreshing;
		}
		this.refreshing = this.readEntries().finally(() => {
			this.refreshing = void 0;
			if (this.refreshAgain) {
				this.refreshAgain = false;
				this.refreshEntries();
			}
		});
		return this.refreshing;
	}
	async readEntries() {
		const id = this.state.activeContext;
		if (!id) {
			this.state.entries = [];
			this.emit();
			return;
		}
		try {
			const entries = await this.client.keys(id);
			const summaries = {};
			for (const e of entries) if (e.summary) summaries[e.key] = e.summary;
			const missing = entries.filter((e) => !e.summary && ![
				"image",
				"mask",
				"latent"
			].includes(e.kind)).slice(0, 50);
			await Promise.all(missing.map(async (e) => {
				summaries[e.key] = (await this.client.value(id, e.key)).summary;
			}));
			if (this.state.activeContext !== id) return;
			this.state.entries = entries;
			this.state.summaries = summaries;
		} catch {
			this.state.entries = [];
		}
		this.emit();
	}
	entry(key) {
		return this.state.entries.find((e) => e.key === key);
	}
};
// extension/src/index.ts
var URL_SETTING = "Discomfort.BridgeUrl";
var TOKEN_SETTING = "Discomfort.BridgeToken";
var DEFAULT_URL = "http://127.0.0.1:8189";
var store;
var getStore = () => store;
var w = window;
function refreshAllPorts(comfy) {
	const graph = comfy.graph;
	for (const node of graph?.nodes ?? graph?._nodes ?? []) if (node.type === "DiscomfortPort") refreshPort(node, store);
}
/** After a graph loads (and its saved view is applied), bring it into view if no node shows. */
function bringIntoView(comfy) {
	const { canvas, graph } = comfy;
	const nodes = graph?.nodes ?? graph?._nodes ?? [];
	if (!canvas?.ds || !nodes.length) return;
	const width = canvas.canvas.clientWidth;
	const height = canvas.canvas.clientHeight;
	if (!width || !height || anyNodeInView(nodes, canvas.ds, width, height)) return;
	const view = viewOfAll(nodes, width, height);
	if (!view) return;
	canvas.ds.scale = view.scale;
	canvas.ds.offset = view.offset;
	canvas.setDirty(true, true);
}
var extension = {
	name: "Discomfort",
	settings: [{
		id: URL_SETTING,
		name: "Discomfort bridge URL",
		type: "text",
		defaultValue: DEFAULT_URL,
		category: [
			"Discomfort",
			"Bridge",
			"URL"
		],
		onChange: (value) => store?.setUrl(String(value || DEFAULT_URL))
	}, {
		id: TOKEN_SETTING,
		name: "Discomfort bridge token (for a bridge on another machine)",
		type: "text",
		defaultValue: "",
		category: [
			"Discomfort",
			"Bridge",
			"Token"
		],
		onChange: (value) => store?.setToken(String(value ?? ""))
	}],
	registerCustomNodes() {
		const node = definePortNode(w.LGraphNode, getStore);
		w.LiteGraph.registerNodeType(PORT_TYPE, node);
		node.category = "Discomfort";
	},
	/** Frontend-only nodes get a synthesised definition: give ours its name, category and help. */
	beforeRegisterVueAppNodeDefs(defs) {
		for (const def of defs) {
			if (def.name !== "DiscomfortPort") continue;
			def.display_name = "Discomfort Port";
			def.category = "Discomfort";
			def.python_module = "custom_nodes.discomfort";
			def.description = "Reads a context value (INPUT), captures one (OUTPUT), or marks a stitching point (PASSTHRU), by its links.";
		}
	},
	/** Runs before the frontend applies a workflow's saved view: look once that is done. */
	afterConfigureGraph() {
		setTimeout(() => bringIntoView(app), 0);
	},
	async setup(comfy) {
		const manager = comfy.extensionManager;
		const page = api;
		store = new DiscomfortStore(String(manager.setting.get(URL_SETTING) || DEFAULT_URL), () => page.clientId ?? page.initialClientId);
		store.client.token = String(manager.setting.get(TOKEN_SETTING) ?? "");
		store.connect();
		store.subscribe(() => refreshAllPorts(comfy));
		window.discomfort = { store };
		let unmountSidebar;
		manager.registerSidebarTab({
			id: "discomfort",
			icon: "pi pi-database",
			title: "Discomfort",
			tooltip: "Discomfort contexts",
			type: "custom",
			render: (el) => {
				unmountSidebar?.();
				unmountSidebar = renderSidebar(el, store);
			},
			destroy: () => {
				unmountSidebar?.();
				unmountSidebar = void 0;
			}
		});
		installQueueHook(page, () => store, (severity, summary, detail) => manager.toast.add({
			severity,
			summary,
			detail,
			life: 8e3
		}), () => app.graph?.nodes ?? []);
	}
};
app.registerExtension(extension);
