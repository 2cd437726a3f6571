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
/** How tall the picture under a port's widgets is at least. */
var PREVIEW_HEIGHT = 120;
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
	const fitted = node.computeSize?.();
	if (fitted && node.size && (src ? node.size[1] < fitted[1] : node.size[1] > fitted[1])) node.setSize?.([node.size[0], fitted[1]]);
	node.setDirtyCanvas?.(true, true);
}
/** A typed entry as the port's type reads it, or why it cannot be. */
function valueForPort(type, text) {
	if (type === "INT" || type === "FLOAT") {
		const n = Number(text);
		if (text.trim() === "" || !Number.isFinite(n)) return { error: `"${text}" is not a number` };
		if (type === "INT" && !Number.isInteger(n)) return { error: `"${text}" is not a whole number (this port is INT)` };
		return { value: n };
	}
	if (type === "BOOLEAN") {
		const t = text.trim().toLowerCase();
		return t === "true" || t === "false" ? { value: t === "true" } : { error: `"${text}" is not true or false` };
	}
	if (type === "STRING" || type === "COMBO") return { value: text };
	try {
		return { value: JSON.parse(text) };
	} catch {
		return { value: text };
	}
}
/**
* What an INPUT port's "set value" asks for: a file for IMAGE, MASK and
* LATENT, else a typed value in the frontend's own prompt dialog; what goes
* wrong is said in its toasts.
*/
async function setValueFromNode(node, given, ui) {
	const key = uniqueIdOf(node).trim();
	const store = given?.state.status === "up" ? given : void 0;
	const ctx = store?.state.activeContext;
	if (!store || !ctx) return ui.toast("warn", "No context", "Connect the bridge and choose a context in the Discomfort panel first.");
	if (!key) return ui.toast("warn", "No key", "Give this port a unique_id first: the key its value is stored under.");
	const type = String(node.properties.discomfortType ?? "*");
	const failed = (e) => ui.toast("error", `"${key}" is unchanged`, e.message);
	if (type === "IMAGE" || type === "MASK" || type === "LATENT") {
		const input = Object.assign(document.createElement("input"), {
			type: "file",
			accept: type === "LATENT" ? ".latent" : ".png,image/png"
		});
		input.onchange = () => {
			const file = input.files?.[0];
			if (file) store.client.putFile(ctx, key, file, type).catch(failed);
		};
		input.click();
		return;
	}
	const current = store.state.summaries[key] ?? "";
	const text = await ui.ask({
		title: `Set "${key}"`,
		message: `The value of "${key}" in context ${ctx} (${type === "*" ? "any type: JSON or text" : type}):`,
		defaultValue: current.replace(/^"|"$/g, "")
	});
	if (text === void 0) return;
	const parsed = valueForPort(type, text);
	if ("error" in parsed) return ui.toast("error", `"${key}" is unchanged`, `${parsed.error}.`);
	const scalar = [
		"INT",
		"FLOAT",
		"BOOLEAN",
		"STRING"
	].includes(type) ? type : void 0;
	await store.client.putValue(ctx, key, parsed.value, scalar).catch(failed);
}
/** Define the node class on the page's litegraph. */
function definePortNode(base, page) {
	const getStore = () => page.store();
	class DiscomfortPortNode extends base {
		static title = "Discomfort Port";
		static category = "Discomfort";
		static description = "Reads a context value (INPUT), captures one (OUTPUT), or marks a stitching point (PASSTHRU), by its links.";
		comfyClass = PORT_TYPE;
		isVirtualNode = false;
		serialize_widgets = true;
		constructor() {
			super();
			const styles = this.strokeStyles;
			for (const [name, style] of Object.entries((styles && page.strokeStyles()) ?? {})) if (styles && !(name in styles)) styles[name] = style;
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
			const set = this.addWidget("button", "set value", null, () => {
				const ui = page.ui();
				if (ui) setValueFromNode(this, getStore(), ui);
			}, { serialize: false });
			set.serialize = false;
			if (typeof this.addDOMWidget === "function") {
				const img = document.createElement("img");
				img.className = "discomfort-preview";
				img.style.cssText = "width:100%;height:100%;object-fit:contain;display:none;image-rendering:pixelated";
				img.alt = "value in the context";
				const preview = this.addDOMWidget("preview", "discomfort-preview", img, {
					serialize: false,
					hideOnZoom: false,
					getMinHeight: () => img.hasAttribute("src") ? PREVIEW_HEIGHT : 0
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
// shared/protocol/paths.ts
var routePaths = {
	health: {
		method: "GET",
		path: "/api/health"
	},
	listContexts: {
		method: "GET",
		path: "/api/contexts"
	},
	createContext: {
		method: "POST",
		path: "/api/contexts"
	},
	context: {
		method: "GET",
		path: "/api/contexts/:id"
	},
	/** Change what can be changed of a context (its name). */
	updateContext: {
		method: "PATCH",
		path: "/api/contexts/:id"
	},
	closeContext: {
		method: "DELETE",
		path: "/api/contexts/:id"
	},
	makeDurable: {
		method: "POST",
		path: "/api/contexts/:id/durable"
	},
	usage: {
		method: "GET",
		path: "/api/contexts/:id/usage"
	},
	receipts: {
		method: "GET",
		path: "/api/contexts/:id/receipts"
	},
	keys: {
		method: "GET",
		path: "/api/contexts/:id/keys"
	},
	storageInfo: {
		method: "GET",
		path: "/api/contexts/:id/values/:key/storage"
	},
	value: {
		method: "GET",
		path: "/api/contexts/:id/values/:key"
	},
	thumbnail: {
		method: "GET",
		path: "/api/contexts/:id/values/:key/thumbnail",
		streams: "bytes"
	},
	saveValue: {
		method: "PUT",
		path: "/api/contexts/:id/values/:key"
	},
	deleteValue: {
		method: "DELETE",
		path: "/api/contexts/:id/values/:key"
	},
	listRuns: {
		method: "GET",
		path: "/api/runs"
	},
	submitRun: {
		method: "POST",
		path: "/api/runs"
	},
	run: {
		method: "GET",
		path: "/api/runs/:id"
	},
	rerun: {
		method: "POST",
		path: "/api/runs/:id/rerun"
	},
	/** The workflows a run ran, as it was given them (the page's graph for a page run), to open again. */
	runWorkflows: {
		method: "GET",
		path: "/api/runs/:id/workflows"
	},
	cancelRun: {
		method: "POST",
		path: "/api/runs/:id/cancel"
	},
	runResult: {
		method: "GET",
		path: "/api/runs/:id/result"
	},
	runEvents: {
		method: "GET",
		path: "/api/runs/:id/events",
		streams: "events"
	},
	listSweeps: {
		method: "GET",
		path: "/api/sweeps"
	},
	submitSweep: {
		method: "POST",
		path: "/api/sweeps"
	},
	sweep: {
		method: "GET",
		path: "/api/sweeps/:id"
	},
	sweepItems: {
		method: "GET",
		path: "/api/sweeps/:id/items"
	},
	cancelSweep: {
		method: "POST",
		path: "/api/sweeps/:id/cancel"
	},
	/** An output file of an item, by the name `item.outputs[].file` gives (`items/<file>`). */
	sweepFile: {
		method: "GET",
		path: "/api/sweeps/:id/items/:file",
		streams: "bytes"
	},
	sweepEvents: {
		method: "GET",
		path: "/api/sweeps/:id/events",
		streams: "events"
	},
	listServers: {
		method: "GET",
		path: "/api/servers"
	},
	/** One server, or several as a pool file's `{servers: [...]}`. */
	addServers: {
		method: "POST",
		path: "/api/servers"
	},
	removeServer: {
		method: "DELETE",
		path: "/api/servers/:label"
	},
	/** Give a server (or, without a label, every server) no new prompts until resumed; what runs there goes on. */
	pauseServer: {
		method: "POST",
		path: "/api/servers/:label/pause"
	},
	resumeServer: {
		method: "POST",
		path: "/api/servers/:label/resume"
	},
	pausePool: {
		method: "POST",
		path: "/api/servers/pause"
	},
	resumePool: {
		method: "POST",
		path: "/api/servers/resume"
	},
	convert: {
		method: "POST",
		path: "/api/convert"
	},
	queue: {
		method: "POST",
		path: "/api/queue"
	},
	hub: {
		method: "GET",
		path: "/api/ws",
		streams: "websocket"
	}
};
[...new Set(Object.values(routePaths).map((r) => r.method))];
/** A route's path with its parameters filled in (each encoded), and a query when given. */
function pathOf(r, params, query) {
	const filled = r.path.replace(/:([A-Za-z]+)/g, (_m, name) => {
		const value = params[name];
		if (value === void 0) throw new Error(`${r.method} ${r.path}: no value for :${name}`);
		return encodeURIComponent(value);
	});
	const q = Object.entries(query ?? {}).filter((e) => e[1] !== void 0);
	return q.length ? `${filled}?${q.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join("&")}` : filled;
}
var isErrorAnswer = (body) => {
	const error = body?.error;
	return typeof error?.type === "string" && typeof error.message === "string";
};
/** What went wrong, from an answer that failed: the bridge's code and message, or a sentence about what came instead. */
function readErrorAnswer(status, body, what) {
	if (isErrorAnswer(body)) {
		const { type, message, ...extra } = body.error;
		return {
			code: type,
			message,
			extra
		};
	}
	return {
		code: "http",
		message: `${what} answered ${status}`,
		extra: {}
	};
}
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
	async call(route, params, body) {
		const path = pathOf(route, params);
		let res;
		try {
			res = await fetch(`${this.base}${path}`, {
				method: route.method,
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
		if (!res.ok && !(route.path === routePaths.queue.path && res.status === 400)) throw new Error(readErrorAnswer(res.status, data, `${route.method} ${path}`).message);
		return data;
	}
	/** The HTTP status the bridge answers its health check with (0: nothing answers), to say why it is out of reach. */
	async probe() {
		try {
			return (await fetch(`${this.base}${pathOf(routePaths.health, {})}`, { headers: this.auth() })).status;
		} catch {
			return 0;
		}
	}
	health() {
		return this.call(routePaths.health, {});
	}
	contexts() {
		return this.call(routePaths.listContexts, {});
	}
	createContext(name) {
		return this.call(routePaths.createContext, {}, { name });
	}
	renameContext(contextId, name) {
		return this.call(routePaths.updateContext, { id: contextId }, { name });
	}
	/** Remove a context and every value in it. */
	deleteContext(contextId) {
		return this.call(routePaths.closeContext, { id: contextId });
	}
	/** What a run ran, to open on the canvas again. */
	runWorkflows(runId) {
		return this.call(routePaths.runWorkflows, { id: runId });
	}
	/** Keep a context from now on: its values go to disk and it outlives the bridge. */
	makeDurable(contextId) {
		return this.call(routePaths.makeDurable, { id: contextId });
	}
	/** Run a recorded run again, in its context with the values it holds now. */
	rerun(runId, body) {
		return this.call(routePaths.rerun, { id: runId }, body);
	}
	keys(contextId) {
		return this.call(routePaths.keys, { id: contextId });
	}
	value(contextId, key) {
		return this.call(routePaths.value, {
			id: contextId,
			key
		});
	}
	deleteKey(contextId, key) {
		return this.call(routePaths.deleteValue, {
			id: contextId,
			key
		});
	}
	thumbnailUrl(contextId, key, version) {
		return `${this.base}${pathOf(routePaths.thumbnail, {
			id: contextId,
			key
		}, {
			v: version,
			token: this.token || void 0
		})}`;
	}
	rawUrl(contextId, key) {
		return `${this.base}${pathOf(routePaths.value, {
			id: contextId,
			key
		}, {
			format: "raw",
			token: this.token || void 0
		})}`;
	}
	/**
	* Store a plain value (string, number, boolean, JSON) under a key, as
	* `comfyType` when given (a port's type); else as the key's own type, or the
	* value's when the key is new.
	*/
	putValue(contextId, key, value, comfyType) {
		return this.call(routePaths.saveValue, {
			id: contextId,
			key
		}, {
			value,
			...comfyType ? { comfyType } : {}
		});
	}
	/** Store a file's bytes: a PNG as IMAGE or MASK, a .latent as LATENT. */
	async putFile(contextId, key, file, type) {
		const path = pathOf(routePaths.saveValue, {
			id: contextId,
			key
		}, { type });
		const res = await fetch(`${this.base}${path}`, {
			method: routePaths.saveValue.method,
			headers: {
				...this.auth(),
				"content-type": type === "LATENT" ? "application/octet-stream" : "image/png"
			},
			body: file
		});
		const data = await res.json().catch(() => void 0);
		if (!res.ok) throw new Error(readErrorAnswer(res.status, data, `PUT ${key}`).message);
		return data;
	}
	/** The ComfyUI servers the bridge drives (its pool), in order. */
	servers() {
		return this.call(routePaths.listServers, {});
	}
	/**
	* Pause a server (by label), or every server without one: it is given no
	* new prompt until resumed (what it runs goes on); or resume it. Answers the pool as it is now.
	*/
	setServerPaused(paused, label) {
		if (label === void 0) return this.call(paused ? routePaths.pausePool : routePaths.resumePool, {});
		return this.call(paused ? routePaths.pauseServer : routePaths.resumeServer, { label });
	}
	/** Queue a prompt with ports: answered in ComfyUI's /prompt shape. */
	queue(body) {
		return this.call(routePaths.queue, {}, body);
	}
	socket() {
		const url = `${this.base}${pathOf(routePaths.hub, {}, { token: this.token || void 0 })}`;
		return new WebSocket(url.replace(/^http/, "ws"));
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
// shared/protocol/refusal.ts
var REFUSED = "Discomfort refused the run";
function refusal(type, sentence, ports = []) {
	if (ports.length === 0) return {
		error: {
			type,
			message: sentence.replace(/\.$/, ""),
			details: "",
			extra_info: {}
		},
		node_errors: {}
	};
	return {
		error: {
			type,
			message: REFUSED,
			details: sentence,
			extra_info: {}
		},
		node_errors: Object.fromEntries(ports.map(({ nodeId, problem, remedy }) => [nodeId, {
			errors: [{
				type: "custom_validation_failed",
				message: problem,
				details: remedy ?? "",
				extra_info: { input_name: "unique_id" }
			}],
			dependent_outputs: [],
			class_type: "DiscomfortPort"
		}]))
	};
}
// extension/src/queueHook.ts
/**
* Queueing from the page: when the prompt contains DiscomfortPort nodes, it
* goes to the bridge with the active context and the page's client id; the
* bridge compiles and queues it, so progress shows in ComfyUI as usual.
* Without ports, queueing is untouched. When Discomfort refuses a run (the
* bridge is down, no context is chosen, the context lacks a port's value),
* nothing is queued and the page shows it exactly as it shows ComfyUI's own
* refusal of a prompt: the frontend's own queueing is run and answered with
* the refusal in ComfyUI's /prompt shape, so its own error surface (dialog or
* errors panel, toast, outlines on each port at fault) is the one message.
*/
var nameOf = (name) => name?.trim() ? { name: name.trim().slice(0, 500) } : {};
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
function installQueueHook(api, { store, toast, nodes, workflowName }) {
	/**
	* Not queued. The frontend's own queuePrompt runs with its request to /prompt answered by
	* the refusal (status 400), so it throws, shows and marks it as it would ComfyUI's own;
	* nothing reaches ComfyUI. A page whose api has no fetchApi gets a toast and the marks.
	*/
	const refuse = async (original, args, body) => {
		const fetchApi = api.fetchApi;
		if (!fetchApi) {
			toast("error", body.error.message, body.error.details || body.error.message);
			keepControlledValues(nodes);
			return { node_errors: body.node_errors };
		}
		const own = Object.hasOwn(api, "fetchApi");
		api.fetchApi = (route, options) => route === "/prompt" ? Promise.resolve(new Response(JSON.stringify(body), {
			status: 400,
			headers: { "content-type": "application/json" }
		})) : fetchApi.call(api, route, options);
		try {
			return await original(...args);
		} finally {
			if (own) api.fetchApi = fetchApi;
			else delete api.fetchApi;
		}
	};
	chainMethod(api, "queuePrompt", async (original, number, data, ...rest) => {
		if (!hasPorts(data.output)) return original(number, data, ...rest);
		const args = [
			number,
			data,
			...rest
		];
		const s = store();
		const contextId = s.state.activeContext;
		if (!contextId) return refuse(original, args, refusal("discomfort_no_context", "Choose or create a context in the Discomfort sidebar before queueing a workflow with Discomfort ports."));
		let answer;
		try {
			answer = await s.client.queue({
				prompt: data.output,
				contextId,
				clientId: api.clientId ?? api.initialClientId ?? "",
				extraData: { extra_pnginfo: { workflow: data.workflow } },
				...nameOf(workflowName())
			});
		} catch (e) {
			return refuse(original, args, e instanceof BridgeDownError ? refusal("discomfort_bridge_down", e.message) : refusal("discomfort_bridge_error", e.message));
		}
		if (answer.error) return refuse(original, args, {
			error: {
				...answer.error,
				details: answer.error.details ?? "",
				extra_info: answer.error.extra_info ?? {}
			},
			node_errors: answer.node_errors ?? {}
		});
		return answer;
	});
}
// extension/src/pageUi.ts
/** How long a toast stays: errors until read a while, the rest briefly. */
var LIFE = {
	success: 3e3,
	info: 4e3,
	warn: 6e3,
	error: 8e3
};
function pageUi(manager, app) {
	const m = manager;
	const a = app;
	return {
		async ask(o) {
			const answer = await m.dialog.prompt(o);
			return answer === null || answer === void 0 ? void 0 : String(answer);
		},
		async confirm(o) {
			return await m.dialog.confirm({
				title: o.title,
				message: o.message,
				type: o.destructive ? "delete" : "default",
				...o.items ? { itemList: o.items } : {}
			}) === true;
		},
		toast(severity, summary, detail) {
			m.toast.add({
				severity,
				summary,
				...detail ? { detail } : {},
				life: LIFE[severity]
			});
		},
		async openWorkflow(w) {
			if (w.format === "ui") await a.loadGraphData(structuredClone(w.workflow), true, true, w.name);
			else await a.loadApiJson(structuredClone(w.workflow), w.name);
		}
	};
}
Object.freeze({ status: "aborted" });
/* @__NO_SIDE_EFFECTS__ */
function $constructor(name, initializer, params) {
	function init(inst, def) {
		var _a;
		Object.defineProperty(inst, "_zod", {
			value: inst._zod ?? {},
			enumerable: false
		});
		(_a = inst._zod).traits ?? (_a.traits = /* @__PURE__ */ new Set());
		inst._zod.traits.add(name);
		initializer(inst, def);
		for (const k in _.prototype) if (!(k in inst)) Object.defineProperty(inst, k, { value: _.prototype[k].bind(inst) });
		inst._zod.constr = _;
		inst._zod.def = def;
	}
	const Parent = params?.Parent ?? Object;
	class Definition extends Parent {}
	Object.defineProperty(Definition, "name", { value: name });
	function _(def) {
		var _a;
		const inst = params?.Parent ? new Definition() : this;
		init(inst, def);
		(_a = inst._zod).deferred ?? (_a.deferred = []);
		for (const fn of inst._zod.deferred) fn();
		return inst;
	}
	Object.defineProperty(_, "init", { value: init });
	Object.defineProperty(_, Symbol.hasInstance, { value: (inst) => {
		if (params?.Parent && inst instanceof params.Parent) return true;
		return inst?._zod?.traits?.has(name);
	} });
	Object.defineProperty(_, "name", { value: name });
	return _;
}
var $ZodAsyncError = class extends Error {
	constructor() {
		super(`Encountered Promise during synchronous parse. Use .parseAsync() instead.`);
	}
};
var globalConfig = {};
function config(newConfig) {
	if (newConfig) Object.assign(globalConfig, newConfig);
	return globalConfig;
}
// node_modules/zod/v4/core/util.js
function getEnumValues(entries) {
	const numericValues = Object.values(entries).filter((v) => typeof v === "number");
	return Object.entries(entries).filter(([k, _]) => numericValues.indexOf(+k) === -1).map(([_, v]) => v);
}
function jsonStringifyReplacer(_, value) {
	if (typeof value === "bigint") return value.toString();
	return value;
}
function cached(getter) {
	return { get value() {
		{
			const value = getter();
			Object.defineProperty(this, "value", { value });
			return value;
		}
	} };
}
function nullish(input) {
	return input === null || input === void 0;
}
function cleanRegex(source) {
	const start = source.startsWith("^") ? 1 : 0;
	const end = source.endsWith("$") ? source.length - 1 : source.length;
	return source.slice(start, end);
}
function floatSafeRemainder(val, step) {
	const valDecCount = (val.toString().split(".")[1] || "").length;
	const stepDecCount = (step.toString().split(".")[1] || "").length;
	const decCount = valDecCount > stepDecCount ? valDecCount : stepDecCount;
	return Number.parseInt(val.toFixed(decCount).replace(".", "")) % Number.parseInt(step.toFixed(decCount).replace(".", "")) / 10 ** decCount;
}
function defineLazy(object, key, getter) {
	Object.defineProperty(object, key, {
		get() {
			{
				const value = getter();
				object[key] = value;
				return value;
			}
		},
		set(v) {
			Object.defineProperty(object, key, { value: v });
		},
		configurable: true
	});
}
function assignProp(target, prop, value) {
	Object.defineProperty(target, prop, {
		value,
		writable: true,
		enumerable: true,
		configurable: true
	});
}
function esc(str) {
	return JSON.stringify(str);
}
var captureStackTrace = Error.captureStackTrace ? Error.captureStackTrace : (..._args) => {};
function isObject(data) {
	return typeof data === "object" && data !== null && !Array.isArray(data);
}
var allowsEval = cached(() => {
	if (typeof navigator !== "undefined" && navigator?.userAgent?.includes("Cloudflare")) return false;
	try {
		new Function("");
		return true;
	} catch (_) {
		return false;
	}
});
function isPlainObject(o) {
	if (isObject(o) === false) return false;
	const ctor = o.constructor;
	if (ctor === void 0) return true;
	const prot = ctor.prototype;
	if (isObject(prot) === false) return false;
	if (Object.prototype.hasOwnProperty.call(prot, "isPrototypeOf") === false) return false;
	return true;
}
var propertyKeyTypes = /* @__PURE__ */ new Set([
	"string",
	"number",
	"symbol"
]);
function escapeRegex(str) {
	return str.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function clone(inst, def, params) {
	const cl = new inst._zod.constr(def ?? inst._zod.def);
	if (!def || params?.parent) cl._zod.parent = inst;
	return cl;
}
function normalizeParams(_params) {
	const params = _params;
	if (!params) return {};
	if (typeof params === "string") return { error: () => params };
	if (params?.message !== void 0) {
		if (params?.error !== void 0) throw new Error("Cannot specify both `message` and `error` params");
		params.error = params.message;
	}
	delete params.message;
	if (typeof params.error === "string") return {
		...params,
		error: () => params.error
	};
	return params;
}
function optionalKeys(shape) {
	return Object.keys(shape).filter((k) => {
		return shape[k]._zod.optin === "optional" && shape[k]._zod.optout === "optional";
	});
}
var NUMBER_FORMAT_RANGES = {
	safeint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
	int32: [-2147483648, 2147483647],
	uint32: [0, 4294967295],
	float32: [-34028234663852886e22, 34028234663852886e22],
	float64: [-Number.MAX_VALUE, Number.MAX_VALUE]
};
function pick(schema, mask) {
	const newShape = {};
	const currDef = schema._zod.def;
	for (const key in mask) {
		if (!(key in currDef.shape)) throw new Error(`Unrecognized key: "${key}"`);
		if (!mask[key]) continue;
		newShape[key] = currDef.shape[key];
	}
	return clone(schema, {
		...schema._zod.def,
		shape: newShape,
		checks: []
	});
}
function omit(schema, mask) {
	const newShape = { ...schema._zod.def.shape };
	const currDef = schema._zod.def;
	for (const key in mask) {
		if (!(key in currDef.shape)) throw new Error(`Unrecognized key: "${key}"`);
		if (!mask[key]) continue;
		delete newShape[key];
	}
	return clone(schema, {
		...schema._zod.def,
		shape: newShape,
		checks: []
	});
}
function extend(schema, shape) {
	if (!isPlainObject(shape)) throw new Error("Invalid input to extend: expected a plain object");
	return clone(schema, {
		...schema._zod.def,
		get shape() {
			const _shape = {
				...schema._zod.def.shape,
				...shape
			};
			assignProp(this, "shape", _shape);
			return _shape;
		},
		checks: []
	});
}
function merge(a, b) {
	return clone(a, {
		...a._zod.def,
		get shape() {
			const _shape = {
				...a._zod.def.shape,
				...b._zod.def.shape
			};
			assignProp(this, "shape", _shape);
			return _shape;
		},
		catchall: b._zod.def.catchall,
		checks: []
	});
}
function partial(Class, schema, mask) {
	const oldShape = schema._zod.def.shape;
	const shape = { ...oldShape };
	if (mask) for (const key in mask) {
		if (!(key in oldShape)) throw new Error(`Unrecognized key: "${key}"`);
		if (!mask[key]) continue;
		shape[key] = Class ? new Class({
			type: "optional",
			innerType: oldShape[key]
		}) : oldShape[key];
	}
	else for (const key in oldShape) shape[key] = Class ? new Class({
		type: "optional",
		innerType: oldShape[key]
	}) : oldShape[key];
	return clone(schema, {
		...schema._zod.def,
		shape,
		checks: []
	});
}
function required(Class, schema, mask) {
	const oldShape = schema._zod.def.shape;
	const shape = { ...oldShape };
	if (mask) for (const key in mask) {
		if (!(key in shape)) throw new Error(`Unrecognized key: "${key}"`);
		if (!mask[key]) continue;
		shape[key] = new Class({
			type: "nonoptional",
			innerType: oldShape[key]
		});
	}
	else for (const key in oldShape) shape[key] = new Class({
		type: "nonoptional",
		innerType: oldShape[key]
	});
	return clone(schema, {
		...schema._zod.def,
		shape,
		checks: []
	});
}
function aborted(x, startIndex = 0) {
	for (let i = startIndex; i < x.issues.length; i++) if (x.issues[i]?.continue !== true) return true;
	return false;
}
function prefixIssues(path, issues) {
	return issues.map((iss) => {
		var _a;
		(_a = iss).path ?? (_a.path = []);
		iss.path.unshift(path);
		return iss;
	});
}
function unwrapMessage(message) {
	return typeof message === "string" ? message : message?.message;
}
function finalizeIssue(iss, ctx, config) {
	const full = {
		...iss,
		path: iss.path ?? []
	};
	if (!iss.message) full.message = unwrapMessage(iss.inst?._zod.def?.error?.(iss)) ?? unwrapMessage(ctx?.error?.(iss)) ?? unwrapMessage(config.customError?.(iss)) ?? unwrapMessage(config.localeError?.(iss)) ?? "Invalid input";
	delete full.inst;
	delete full.continue;
	if (!ctx?.reportInput) delete full.input;
	return full;
}
function getLengthableOrigin(input) {
	if (Array.isArray(input)) return "array";
	if (typeof input === "string") return "string";
	return "unknown";
}
function issue(...args) {
	const [iss, input, inst] = args;
	if (typeof iss === "string") return {
		message: iss,
		code: "custom",
		input,
		inst
	};
	return { ...iss };
}
// node_modules/zod/v4/core/errors.js
var initializer$1 = (inst, def) => {
	inst.name = "$ZodError";
	Object.defineProperty(inst, "_zod", {
		value: inst._zod,
		enumerable: false
	});
	Object.defineProperty(inst, "issues", {
		value: def,
		enumerable: false
	});
	Object.defineProperty(inst, "message", {
		get() {
			return JSON.stringify(def, jsonStringifyReplacer, 2);
		},
		enumerable: true
	});
	Object.defineProperty(inst, "toString", {
		value: () => inst.message,
		enumerable: false
	});
};
var $ZodError = /* @__PURE__ */ $constructor("$ZodError", initializer$1);
var $ZodRealError = /* @__PURE__ */ $constructor("$ZodError", initializer$1, { Parent: Error });
function flattenError(error, mapper = (issue) => issue.message) {
	const fieldErrors = {};
	const formErrors = [];
	for (const sub of error.issues) if (sub.path.length > 0) {
		fieldErrors[sub.path[0]] = fieldErrors[sub.path[0]] || [];
		fieldErrors[sub.path[0]].push(mapper(sub));
	} else formErrors.push(mapper(sub));
	return {
		formErrors,
		fieldErrors
	};
}
function formatError(error, _mapper) {
	const mapper = _mapper || function(issue) {
		return issue.message;
	};
	const fieldErrors = { _errors: [] };
	const processError = (error) => {
		for (const issue of error.issues) if (issue.code === "invalid_union" && issue.errors.length) issue.errors.map((issues) => processError({ issues }));
		else if (issue.code === "invalid_key") processError({ issues: issue.issues });
		else if (issue.code === "invalid_element") processError({ issues: issue.issues });
		else if (issue.path.length === 0) fieldErrors._errors.push(mapper(issue));
		else {
			let curr = fieldErrors;
			let i = 0;
			while (i < issue.path.length) {
				const el = issue.path[i];
				if (!(i === issue.path.length - 1)) curr[el] = curr[el] || { _errors: [] };
				else {
					curr[el] = curr[el] || { _errors: [] };
					curr[el]._errors.push(mapper(issue));
				}
				curr = curr[el];
				i++;
			}
		}
	};
	processError(error);
	return fieldErrors;
}
// node_modules/zod/v4/core/parse.js
var _parse = (_Err) => (schema, value, _ctx, _params) => {
	const ctx = _ctx ? Object.assign(_ctx, { async: false }) : { async: false };
	const result = schema._zod.run({
		value,
		issues: []
	}, ctx);
	if (result instanceof Promise) throw new $ZodAsyncError();
	if (result.issues.length) {
		const e = new ((_params?.Err) ?? _Err)(result.issues.map((iss) => finalizeIssue(iss, ctx, config())));
		captureStackTrace(e, _params?.callee);
		throw e;
	}
	return result.value;
};
var _parseAsync = (_Err) => async (schema, value, _ctx, params) => {
	const ctx = _ctx ? Object.assign(_ctx, { async: true }) : { async: true };
	let result = schema._zod.run({
		value,
		issues: []
	}, ctx);
	if (result instanceof Promise) result = await result;
	if (result.issues.length) {
		const e = new ((params?.Err) ?? _Err)(result.issues.map((iss) => finalizeIssue(iss, ctx, config())));
		captureStackTrace(e, params?.callee);
		throw e;
	}
	return result.value;
};
var _safeParse = (_Err) => (schema, value, _ctx) => {
	const ctx = _ctx ? {
		..._ctx,
		async: false
	} : { async: false };
	const result = schema._zod.run({
		value,
		issues: []
	}, ctx);
	if (result instanceof Promise) throw new $ZodAsyncError();
	return result.issues.length ? {
		success: false,
		error: new (_Err ?? $ZodError)(result.issues.map((iss) => finalizeIssue(iss, ctx, config())))
	} : {
		success: true,
		data: result.value
	};
};
var safeParse$1 = /* @__PURE__*/ _safeParse($ZodRealError);
var _safeParseAsync = (_Err) => async (schema, value, _ctx) => {
	const ctx = _ctx ? Object.assign(_ctx, { async: true }) : { async: true };
	let result = schema._zod.run({
		value,
		issues: []
	}, ctx);
	if (result instanceof Promise) result = await result;
	return result.issues.length ? {
		success: false,
		error: new _Err(result.issues.map((iss) => finalizeIssue(iss, ctx, config())))
	} : {
		success: true,
		data: result.value
	};
};
var safeParseAsync$1 = /* @__PURE__*/ _safeParseAsync($ZodRealError);
// node_modules/zod/v4/core/regexes.js
var cuid = /^[cC][^\s-]{8,}$/;
var cuid2 = /^[0-9a-z]+$/;
var ulid = /^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$/;
var xid = /^[0-9a-vA-V]{20}$/;
var ksuid = /^[A-Za-z0-9]{27}$/;
var nanoid = /^[a-zA-Z0-9_-]{21}$/;
/** ISO 8601-1 duration regex. Does not support the 8601-2 extensions like negative durations or fractional/negative components. */
var duration$2 = /^P(?:(\d+W)|(?!.*W)(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+([.,]\d+)?S)?)?)$/;
/** A regex for any UUID-like identifier: 8-4-4-4-12 hex pattern */
var guid = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
/** Returns a regex for validating an RFC 4122 UUID.
*
* @param version Optionally specify a version 1-8. If no version is specified, all versions are supported. */
var uuid = (version) => {
	if (!version) return /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000)$/;
	return new RegExp(`^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-${version}[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12})$`);
};
/** Practical email validation */
var email = /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;
var _emoji$1 = `^(\\p{Extended_Pictographic}|\\p{Emoji_Component})+$`;
function emoji() {
	return new RegExp(_emoji$1, "u");
}
var ipv4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/;
var ipv6 = /^(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|::|([0-9a-fA-F]{1,4})?::([0-9a-fA-F]{1,4}:?){0,6})$/;
var cidrv4 = /^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\/([0-9]|[1-2][0-9]|3[0-2])$/;
var cidrv6 = /^(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|::|([0-9a-fA-F]{1,4})?::([0-9a-fA-F]{1,4}:?){0,6})\/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$/;
var base64 = /^$|^(?:[0-9a-zA-Z+/]{4})*(?:(?:[0-9a-zA-Z+/]{2}==)|(?:[0-9a-zA-Z+/]{3}=))?$/;
var base64url = /^[A-Za-z0-9_-]*$/;
var hostname = /^([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+$/;
var e164 = /^\+(?:[0-9]){6,14}[0-9]$/;
var dateSource = `(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))`;
var date$1 = /*@__PURE__*/ new RegExp(`^${dateSource}$`);
function timeSource(args) {
	const hhmm = `(?:[01]\\d|2[0-3]):[0-5]\\d`;
	return typeof args.precision === "number" ? args.precision === -1 ? `${hhmm}` : args.precision === 0 ? `${hhmm}:[0-5]\\d` : `${hhmm}:[0-5]\\d\\.\\d{${args.precision}}` : `${hhmm}(?::[0-5]\\d(?:\\.\\d+)?)?`;
}
function time$1(args) {
	return new RegExp(`^${timeSource(args)}$`);
}
function datetime$1(args) {
	const time = timeSource({ precision: args.precision });
	const opts = ["Z"];
	if (args.local) opts.push("");
	if (args.offset) opts.push(`([+-]\\d{2}:\\d{2})`);
	const timeRegex = `${time}(?:${opts.join("|")})`;
	return new RegExp(`^${dateSource}T(?:${timeRegex})$`);
}
var string$1 = (params) => {
	const regex = params ? `[\\s\\S]{${params?.minimum ?? 0},${params?.maximum ?? ""}}` : `[\\s\\S]*`;
	return new RegExp(`^${regex}$`);
};
var integer = /^\d+$/;
var number$2 = /^-?\d+(?:\.\d+)?/i;
var boolean$1 = /true|false/i;
var lowercase = /^[^A-Z]*$/;
var uppercase = /^[^a-z]*$/;
// node_modules/zod/v4/core/checks.js
var $ZodCheck = /*@__PURE__*/ $constructor("$ZodCheck", (inst, def) => {
	var _a;
	inst._zod ?? (inst._zod = {});
	inst._zod.def = def;
	(_a = inst._zod).onattach ?? (_a.onattach = []);
});
var numericOriginMap = {
	number: "number",
	bigint: "bigint",
	object: "date"
};
var $ZodCheckLessThan = /*@__PURE__*/ $constructor("$ZodCheckLessThan", (inst, def) => {
	$ZodCheck.init(inst, def);
	const origin = numericOriginMap[typeof def.value];
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		const curr = (def.inclusive ? bag.maximum : bag.exclusiveMaximum) ?? Number.POSITIVE_INFINITY;
		if (def.value < curr) {
			if (def.inclusive) bag.maximum = def.value;
			else bag.exclusiveMaximum = def.value;
		}
	});
	inst._zod.check = (payload) => {
		if (def.inclusive ? payload.value <= def.value : payload.value < def.value) return;
		payload.issues.push({
			origin,
			code: "too_big",
			maximum: def.value,
			input: payload.value,
			inclusive: def.inclusive,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckGreaterThan = /*@__PURE__*/ $constructor("$ZodCheckGreaterThan", (inst, def) => {
	$ZodCheck.init(inst, def);
	const origin = numericOriginMap[typeof def.value];
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		const curr = (def.inclusive ? bag.minimum : bag.exclusiveMinimum) ?? Number.NEGATIVE_INFINITY;
		if (def.value > curr) {
			if (def.inclusive) bag.minimum = def.value;
			else bag.exclusiveMinimum = def.value;
		}
	});
	inst._zod.check = (payload) => {
		if (def.inclusive ? payload.value >= def.value : payload.value > def.value) return;
		payload.issues.push({
			origin,
			code: "too_small",
			minimum: def.value,
			input: payload.value,
			inclusive: def.inclusive,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckMultipleOf = /*@__PURE__*/ $constructor("$ZodCheckMultipleOf", (inst, def) => {
	$ZodCheck.init(inst, def);
	inst._zod.onattach.push((inst) => {
		var _a;
		(_a = inst._zod.bag).multipleOf ?? (_a.multipleOf = def.value);
	});
	inst._zod.check = (payload) => {
		if (typeof payload.value !== typeof def.value) throw new Error("Cannot mix number and bigint in multiple_of check.");
		if (typeof payload.value === "bigint" ? payload.value % def.value === BigInt(0) : floatSafeRemainder(payload.value, def.value) === 0) return;
		payload.issues.push({
			origin: typeof payload.value,
			code: "not_multiple_of",
			divisor: def.value,
			input: payload.value,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckNumberFormat = /*@__PURE__*/ $constructor("$ZodCheckNumberFormat", (inst, def) => {
	$ZodCheck.init(inst, def);
	def.format = def.format || "float64";
	const isInt = def.format?.includes("int");
	const origin = isInt ? "int" : "number";
	const [minimum, maximum] = NUMBER_FORMAT_RANGES[def.format];
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		bag.format = def.format;
		bag.minimum = minimum;
		bag.maximum = maximum;
		if (isInt) bag.pattern = integer;
	});
	inst._zod.check = (payload) => {
		const input = payload.value;
		if (isInt) {
			if (!Number.isInteger(input)) {
				payload.issues.push({
					expected: origin,
					format: def.format,
					code: "invalid_type",
					input,
					inst
				});
				return;
			}
			if (!Number.isSafeInteger(input)) {
				if (input > 0) payload.issues.push({
					input,
					code: "too_big",
					maximum: Number.MAX_SAFE_INTEGER,
					note: "Integers must be within the safe integer range.",
					inst,
					origin,
					continue: !def.abort
				});
				else payload.issues.push({
					input,
					code: "too_small",
					minimum: Number.MIN_SAFE_INTEGER,
					note: "Integers must be within the safe integer range.",
					inst,
					origin,
					continue: !def.abort
				});
				return;
			}
		}
		if (input < minimum) payload.issues.push({
			origin: "number",
			input,
			code: "too_small",
			minimum,
			inclusive: true,
			inst,
			continue: !def.abort
		});
		if (input > maximum) payload.issues.push({
			origin: "number",
			input,
			code: "too_big",
			maximum,
			inst
		});
	};
});
var $ZodCheckMaxLength = /*@__PURE__*/ $constructor("$ZodCheckMaxLength", (inst, def) => {
	var _a;
	$ZodCheck.init(inst, def);
	(_a = inst._zod.def).when ?? (_a.when = (payload) => {
		const val = payload.value;
		return !nullish(val) && val.length !== void 0;
	});
	inst._zod.onattach.push((inst) => {
		const curr = inst._zod.bag.maximum ?? Number.POSITIVE_INFINITY;
		if (def.maximum < curr) inst._zod.bag.maximum = def.maximum;
	});
	inst._zod.check = (payload) => {
		const input = payload.value;
		if (input.length <= def.maximum) return;
		const origin = getLengthableOrigin(input);
		payload.issues.push({
			origin,
			code: "too_big",
			maximum: def.maximum,
			inclusive: true,
			input,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckMinLength = /*@__PURE__*/ $constructor("$ZodCheckMinLength", (inst, def) => {
	var _a;
	$ZodCheck.init(inst, def);
	(_a = inst._zod.def).when ?? (_a.when = (payload) => {
		const val = payload.value;
		return !nullish(val) && val.length !== void 0;
	});
	inst._zod.onattach.push((inst) => {
		const curr = inst._zod.bag.minimum ?? Number.NEGATIVE_INFINITY;
		if (def.minimum > curr) inst._zod.bag.minimum = def.minimum;
	});
	inst._zod.check = (payload) => {
		const input = payload.value;
		if (input.length >= def.minimum) return;
		const origin = getLengthableOrigin(input);
		payload.issues.push({
			origin,
			code: "too_small",
			minimum: def.minimum,
			inclusive: true,
			input,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckLengthEquals = /*@__PURE__*/ $constructor("$ZodCheckLengthEquals", (inst, def) => {
	var _a;
	$ZodCheck.init(inst, def);
	(_a = inst._zod.def).when ?? (_a.when = (payload) => {
		const val = payload.value;
		return !nullish(val) && val.length !== void 0;
	});
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		bag.minimum = def.length;
		bag.maximum = def.length;
		bag.length = def.length;
	});
	inst._zod.check = (payload) => {
		const input = payload.value;
		const length = input.length;
		if (length === def.length) return;
		const origin = getLengthableOrigin(input);
		const tooBig = length > def.length;
		payload.issues.push({
			origin,
			...tooBig ? {
				code: "too_big",
				maximum: def.length
			} : {
				code: "too_small",
				minimum: def.length
			},
			inclusive: true,
			exact: true,
			input: payload.value,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckStringFormat = /*@__PURE__*/ $constructor("$ZodCheckStringFormat", (inst, def) => {
	var _a, _b;
	$ZodCheck.init(inst, def);
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		bag.format = def.format;
		if (def.pattern) {
			bag.patterns ?? (bag.patterns = /* @__PURE__ */ new Set());
			bag.patterns.add(def.pattern);
		}
	});
	if (def.pattern) (_a = inst._zod).check ?? (_a.check = (payload) => {
		def.pattern.lastIndex = 0;
		if (def.pattern.test(payload.value)) return;
		payload.issues.push({
			origin: "string",
			code: "invalid_format",
			format: def.format,
			input: payload.value,
			...def.pattern ? { pattern: def.pattern.toString() } : {},
			inst,
			continue: !def.abort
		});
	});
	else (_b = inst._zod).check ?? (_b.check = () => {});
});
var $ZodCheckRegex = /*@__PURE__*/ $constructor("$ZodCheckRegex", (inst, def) => {
	$ZodCheckStringFormat.init(inst, def);
	inst._zod.check = (payload) => {
		def.pattern.lastIndex = 0;
		if (def.pattern.test(payload.value)) return;
		payload.issues.push({
			origin: "string",
			code: "invalid_format",
			format: "regex",
			input: payload.value,
			pattern: def.pattern.toString(),
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckLowerCase = /*@__PURE__*/ $constructor("$ZodCheckLowerCase", (inst, def) => {
	def.pattern ?? (def.pattern = lowercase);
	$ZodCheckStringFormat.init(inst, def);
});
var $ZodCheckUpperCase = /*@__PURE__*/ $constructor("$ZodCheckUpperCase", (inst, def) => {
	def.pattern ?? (def.pattern = uppercase);
	$ZodCheckStringFormat.init(inst, def);
});
var $ZodCheckIncludes = /*@__PURE__*/ $constructor("$ZodCheckIncludes", (inst, def) => {
	$ZodCheck.init(inst, def);
	const escapedRegex = escapeRegex(def.includes);
	const pattern = new RegExp(typeof def.position === "number" ? `^.{${def.position}}${escapedRegex}` : escapedRegex);
	def.pattern = pattern;
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		bag.patterns ?? (bag.patterns = /* @__PURE__ */ new Set());
		bag.patterns.add(pattern);
	});
	inst._zod.check = (payload) => {
		if (payload.value.includes(def.includes, def.position)) return;
		payload.issues.push({
			origin: "string",
			code: "invalid_format",
			format: "includes",
			includes: def.includes,
			input: payload.value,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckStartsWith = /*@__PURE__*/ $constructor("$ZodCheckStartsWith", (inst, def) => {
	$ZodCheck.init(inst, def);
	const pattern = new RegExp(`^${escapeRegex(def.prefix)}.*`);
	def.pattern ?? (def.pattern = pattern);
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		bag.patterns ?? (bag.patterns = /* @__PURE__ */ new Set());
		bag.patterns.add(pattern);
	});
	inst._zod.check = (payload) => {
		if (payload.value.startsWith(def.prefix)) return;
		payload.issues.push({
			origin: "string",
			code: "invalid_format",
			format: "starts_with",
			prefix: def.prefix,
			input: payload.value,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckEndsWith = /*@__PURE__*/ $constructor("$ZodCheckEndsWith", (inst, def) => {
	$ZodCheck.init(inst, def);
	const pattern = new RegExp(`.*${escapeRegex(def.suffix)}$`);
	def.pattern ?? (def.pattern = pattern);
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		bag.patterns ?? (bag.patterns = /* @__PURE__ */ new Set());
		bag.patterns.add(pattern);
	});
	inst._zod.check = (payload) => {
		if (payload.value.endsWith(def.suffix)) return;
		payload.issues.push({
			origin: "string",
			code: "invalid_format",
			format: "ends_with",
			suffix: def.suffix,
			input: payload.value,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodCheckOverwrite = /*@__PURE__*/ $constructor("$ZodCheckOverwrite", (inst, def) => {
	$ZodCheck.init(inst, def);
	inst._zod.check = (payload) => {
		payload.value = def.tx(payload.value);
	};
});
// node_modules/zod/v4/core/doc.js
var Doc = class {
	constructor(args = []) {
		this.content = [];
		this.indent = 0;
		if (this) this.args = args;
	}
	indented(fn) {
		this.indent += 1;
		fn(this);
		this.indent -= 1;
	}
	write(arg) {
		if (typeof arg === "function") {
			arg(this, { execution: "sync" });
			arg(this, { execution: "async" });
			return;
		}
		const lines = arg.split("\n").filter((x) => x);
		const minIndent = Math.min(...lines.map((x) => x.length - x.trimStart().length));
		const dedented = lines.map((x) => x.slice(minIndent)).map((x) => " ".repeat(this.indent * 2) + x);
		for (const line of dedented) this.content.push(line);
	}
	compile() {
		const F = Function;
		const args = this?.args;
		const lines = [...(this?.content ?? [``]).map((x) => `  ${x}`)];
		return new F(...args, lines.join("\n"));
	}
};
// node_modules/zod/v4/core/versions.js
var version = {
	major: 4,
	minor: 0,
	patch: 0
};
// node_modules/zod/v4/core/schemas.js
var $ZodType = /*@__PURE__*/ $constructor("$ZodType", (inst, def) => {
	var _a;
	inst ?? (inst = {});
	inst._zod.def = def;
	inst._zod.bag = inst._zod.bag || {};
	inst._zod.version = version;
	const checks = [...inst._zod.def.checks ?? []];
	if (inst._zod.traits.has("$ZodCheck")) checks.unshift(inst);
	for (const ch of checks) for (const fn of ch._zod.onattach) fn(inst);
	if (checks.length === 0) {
		(_a = inst._zod).deferred ?? (_a.deferred = []);
		inst._zod.deferred?.push(() => {
			inst._zod.run = inst._zod.parse;
		});
	} else {
		const runChecks = (payload, checks, ctx) => {
			let isAborted = aborted(payload);
			let asyncResult;
			for (const ch of checks) {
				if (ch._zod.def.when) {
					if (!ch._zod.def.when(payload)) continue;
				} else if (isAborted) continue;
				const currLen = payload.issues.length;
				const _ = ch._zod.check(payload);
				if (_ instanceof Promise && ctx?.async === false) throw new $ZodAsyncError();
				if (asyncResult || _ instanceof Promise) asyncResult = (asyncResult ?? Promise.resolve()).then(async () => {
					await _;
					if (payload.issues.length === currLen) return;
					if (!isAborted) isAborted = aborted(payload, currLen);
				});
				else {
					if (payload.issues.length === currLen) continue;
					if (!isAborted) isAborted = aborted(payload, currLen);
				}
			}
			if (asyncResult) return asyncResult.then(() => {
				return payload;
			});
			return payload;
		};
		inst._zod.run = (payload, ctx) => {
			const result = inst._zod.parse(payload, ctx);
			if (result instanceof Promise) {
				if (ctx.async === false) throw new $ZodAsyncError();
				return result.then((result) => runChecks(result, checks, ctx));
			}
			return runChecks(result, checks, ctx);
		};
	}
	inst["~standard"] = {
		validate: (value) => {
			try {
				const r = safeParse$1(inst, value);
				return r.success ? { value: r.data } : { issues: r.error?.issues };
			} catch (_) {
				return safeParseAsync$1(inst, value).then((r) => r.success ? { value: r.data } : { issues: r.error?.issues });
			}
		},
		vendor: "zod",
		version: 1
	};
});
var $ZodString = /*@__PURE__*/ $constructor("$ZodString", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.pattern = [...inst?._zod.bag?.patterns ?? []].pop() ?? string$1(inst._zod.bag);
	inst._zod.parse = (payload, _) => {
		if (def.coerce) try {
			payload.value = String(payload.value);
		} catch (_) {}
		if (typeof payload.value === "string") return payload;
		payload.issues.push({
			expected: "string",
			code: "invalid_type",
			input: payload.value,
			inst
		});
		return payload;
	};
});
var $ZodStringFormat = /*@__PURE__*/ $constructor("$ZodStringFormat", (inst, def) => {
	$ZodCheckStringFormat.init(inst, def);
	$ZodString.init(inst, def);
});
var $ZodGUID = /*@__PURE__*/ $constructor("$ZodGUID", (inst, def) => {
	def.pattern ?? (def.pattern = guid);
	$ZodStringFormat.init(inst, def);
});
var $ZodUUID = /*@__PURE__*/ $constructor("$ZodUUID", (inst, def) => {
	if (def.version) {
		const v = {
			v1: 1,
			v2: 2,
			v3: 3,
			v4: 4,
			v5: 5,
			v6: 6,
			v7: 7,
			v8: 8
		}[def.version];
		if (v === void 0) throw new Error(`Invalid UUID version: "${def.version}"`);
		def.pattern ?? (def.pattern = uuid(v));
	} else def.pattern ?? (def.pattern = uuid());
	$ZodStringFormat.init(inst, def);
});
var $ZodEmail = /*@__PURE__*/ $constructor("$ZodEmail", (inst, def) => {
	def.pattern ?? (def.pattern = email);
	$ZodStringFormat.init(inst, def);
});
var $ZodURL = /*@__PURE__*/ $constructor("$ZodURL", (inst, def) => {
	$ZodStringFormat.init(inst, def);
	inst._zod.check = (payload) => {
		try {
			const orig = payload.value;
			const url = new URL(orig);
			const href = url.href;
			if (def.hostname) {
				def.hostname.lastIndex = 0;
				if (!def.hostname.test(url.hostname)) payload.issues.push({
					code: "invalid_format",
					format: "url",
					note: "Invalid hostname",
					pattern: hostname.source,
					input: payload.value,
					inst,
					continue: !def.abort
				});
			}
			if (def.protocol) {
				def.protocol.lastIndex = 0;
				if (!def.protocol.test(url.protocol.endsWith(":") ? url.protocol.slice(0, -1) : url.protocol)) payload.issues.push({
					code: "invalid_format",
					format: "url",
					note: "Invalid protocol",
					pattern: def.protocol.source,
					input: payload.value,
					inst,
					continue: !def.abort
				});
			}
			if (!orig.endsWith("/") && href.endsWith("/")) payload.value = href.slice(0, -1);
			else payload.value = href;
			return;
		} catch (_) {
			payload.issues.push({
				code: "invalid_format",
				format: "url",
				input: payload.value,
				inst,
				continue: !def.abort
			});
		}
	};
});
var $ZodEmoji = /*@__PURE__*/ $constructor("$ZodEmoji", (inst, def) => {
	def.pattern ?? (def.pattern = emoji());
	$ZodStringFormat.init(inst, def);
});
var $ZodNanoID = /*@__PURE__*/ $constructor("$ZodNanoID", (inst, def) => {
	def.pattern ?? (def.pattern = nanoid);
	$ZodStringFormat.init(inst, def);
});
var $ZodCUID = /*@__PURE__*/ $constructor("$ZodCUID", (inst, def) => {
	def.pattern ?? (def.pattern = cuid);
	$ZodStringFormat.init(inst, def);
});
var $ZodCUID2 = /*@__PURE__*/ $constructor("$ZodCUID2", (inst, def) => {
	def.pattern ?? (def.pattern = cuid2);
	$ZodStringFormat.init(inst, def);
});
var $ZodULID = /*@__PURE__*/ $constructor("$ZodULID", (inst, def) => {
	def.pattern ?? (def.pattern = ulid);
	$ZodStringFormat.init(inst, def);
});
var $ZodXID = /*@__PURE__*/ $constructor("$ZodXID", (inst, def) => {
	def.pattern ?? (def.pattern = xid);
	$ZodStringFormat.init(inst, def);
});
var $ZodKSUID = /*@__PURE__*/ $constructor("$ZodKSUID", (inst, def) => {
	def.pattern ?? (def.pattern = ksuid);
	$ZodStringFormat.init(inst, def);
});
var $ZodISODateTime = /*@__PURE__*/ $constructor("$ZodISODateTime", (inst, def) => {
	def.pattern ?? (def.pattern = datetime$1(def));
	$ZodStringFormat.init(inst, def);
});
var $ZodISODate = /*@__PURE__*/ $constructor("$ZodISODate", (inst, def) => {
	def.pattern ?? (def.pattern = date$1);
	$ZodStringFormat.init(inst, def);
});
var $ZodISOTime = /*@__PURE__*/ $constructor("$ZodISOTime", (inst, def) => {
	def.pattern ?? (def.pattern = time$1(def));
	$ZodStringFormat.init(inst, def);
});
var $ZodISODuration = /*@__PURE__*/ $constructor("$ZodISODuration", (inst, def) => {
	def.pattern ?? (def.pattern = duration$2);
	$ZodStringFormat.init(inst, def);
});
var $ZodIPv4 = /*@__PURE__*/ $constructor("$ZodIPv4", (inst, def) => {
	def.pattern ?? (def.pattern = ipv4);
	$ZodStringFormat.init(inst, def);
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		bag.format = `ipv4`;
	});
});
var $ZodIPv6 = /*@__PURE__*/ $constructor("$ZodIPv6", (inst, def) => {
	def.pattern ?? (def.pattern = ipv6);
	$ZodStringFormat.init(inst, def);
	inst._zod.onattach.push((inst) => {
		const bag = inst._zod.bag;
		bag.format = `ipv6`;
	});
	inst._zod.check = (payload) => {
		try {
			new URL(`http://[${payload.value}]`);
		} catch {
			payload.issues.push({
				code: "invalid_format",
				format: "ipv6",
				input: payload.value,
				inst,
				continue: !def.abort
			});
		}
	};
});
var $ZodCIDRv4 = /*@__PURE__*/ $constructor("$ZodCIDRv4", (inst, def) => {
	def.pattern ?? (def.pattern = cidrv4);
	$ZodStringFormat.init(inst, def);
});
var $ZodCIDRv6 = /*@__PURE__*/ $constructor("$ZodCIDRv6", (inst, def) => {
	def.pattern ?? (def.pattern = cidrv6);
	$ZodStringFormat.init(inst, def);
	inst._zod.check = (payload) => {
		const [address, prefix] = payload.value.split("/");
		try {
			if (!prefix) throw new Error();
			const prefixNum = Number(prefix);
			if (`${prefixNum}` !== prefix) throw new Error();
			if (prefixNum < 0 || prefixNum > 128) throw new Error();
			new URL(`http://[${address}]`);
		} catch {
			payload.issues.push({
				code: "invalid_format",
				format: "cidrv6",
				input: payload.value,
				inst,
				continue: !def.abort
			});
		}
	};
});
function isValidBase64(data) {
	if (data === "") return true;
	if (data.length % 4 !== 0) return false;
	try {
		atob(data);
		return true;
	} catch {
		return false;
	}
}
var $ZodBase64 = /*@__PURE__*/ $constructor("$ZodBase64", (inst, def) => {
	def.pattern ?? (def.pattern = base64);
	$ZodStringFormat.init(inst, def);
	inst._zod.onattach.push((inst) => {
		inst._zod.bag.contentEncoding = "base64";
	});
	inst._zod.check = (payload) => {
		if (isValidBase64(payload.value)) return;
		payload.issues.push({
			code: "invalid_format",
			format: "base64",
			input: payload.value,
			inst,
			continue: !def.abort
		});
	};
});
function isValidBase64URL(data) {
	if (!base64url.test(data)) return false;
	const base64 = data.replace(/[-_]/g, (c) => c === "-" ? "+" : "/");
	return isValidBase64(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
}
var $ZodBase64URL = /*@__PURE__*/ $constructor("$ZodBase64URL", (inst, def) => {
	def.pattern ?? (def.pattern = base64url);
	$ZodStringFormat.init(inst, def);
	inst._zod.onattach.push((inst) => {
		inst._zod.bag.contentEncoding = "base64url";
	});
	inst._zod.check = (payload) => {
		if (isValidBase64URL(payload.value)) return;
		payload.issues.push({
			code: "invalid_format",
			format: "base64url",
			input: payload.value,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodE164 = /*@__PURE__*/ $constructor("$ZodE164", (inst, def) => {
	def.pattern ?? (def.pattern = e164);
	$ZodStringFormat.init(inst, def);
});
function isValidJWT(token, algorithm = null) {
	try {
		const tokensParts = token.split(".");
		if (tokensParts.length !== 3) return false;
		const [header] = tokensParts;
		if (!header) return false;
		const parsedHeader = JSON.parse(atob(header));
		if ("typ" in parsedHeader && parsedHeader?.typ !== "JWT") return false;
		if (!parsedHeader.alg) return false;
		if (algorithm && (!("alg" in parsedHeader) || parsedHeader.alg !== algorithm)) return false;
		return true;
	} catch {
		return false;
	}
}
var $ZodJWT = /*@__PURE__*/ $constructor("$ZodJWT", (inst, def) => {
	$ZodStringFormat.init(inst, def);
	inst._zod.check = (payload) => {
		if (isValidJWT(payload.value, def.alg)) return;
		payload.issues.push({
			code: "invalid_format",
			format: "jwt",
			input: payload.value,
			inst,
			continue: !def.abort
		});
	};
});
var $ZodNumber = /*@__PURE__*/ $constructor("$ZodNumber", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.pattern = inst._zod.bag.pattern ?? number$2;
	inst._zod.parse = (payload, _ctx) => {
		if (def.coerce) try {
			payload.value = Number(payload.value);
		} catch (_) {}
		const input = payload.value;
		if (typeof input === "number" && !Number.isNaN(input) && Number.isFinite(input)) return payload;
		const received = typeof input === "number" ? Number.isNaN(input) ? "NaN" : !Number.isFinite(input) ? "Infinity" : void 0 : void 0;
		payload.issues.push({
			expected: "number",
			code: "invalid_type",
			input,
			inst,
			...received ? { received } : {}
		});
		return payload;
	};
});
var $ZodNumberFormat = /*@__PURE__*/ $constructor("$ZodNumber", (inst, def) => {
	$ZodCheckNumberFormat.init(inst, def);
	$ZodNumber.init(inst, def);
});
var $ZodBoolean = /*@__PURE__*/ $constructor("$ZodBoolean", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.pattern = boolean$1;
	inst._zod.parse = (payload, _ctx) => {
		if (def.coerce) try {
			payload.value = Boolean(payload.value);
		} catch (_) {}
		const input = payload.value;
		if (typeof input === "boolean") return payload;
		payload.issues.push({
			expected: "boolean",
			code: "invalid_type",
			input,
			inst
		});
		return payload;
	};
});
var $ZodUnknown = /*@__PURE__*/ $constructor("$ZodUnknown", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.parse = (payload) => payload;
});
var $ZodNever = /*@__PURE__*/ $constructor("$ZodNever", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.parse = (payload, _ctx) => {
		payload.issues.push({
			expected: "never",
			code: "invalid_type",
			input: payload.value,
			inst
		});
		return payload;
	};
});
function handleArrayResult(result, final, index) {
	if (result.issues.length) final.issues.push(...prefixIssues(index, result.issues));
	final.value[index] = result.value;
}
var $ZodArray = /*@__PURE__*/ $constructor("$ZodArray", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.parse = (payload, ctx) => {
		const input = payload.value;
		if (!Array.isArray(input)) {
			payload.issues.push({
				expected: "array",
				code: "invalid_type",
				input,
				inst
			});
			return payload;
		}
		payload.value = Array(input.length);
		const proms = [];
		for (let i = 0; i < input.length; i++) {
			const item = input[i];
			const result = def.element._zod.run({
				value: item,
				issues: []
			}, ctx);
			if (result instanceof Promise) proms.push(result.then((result) => handleArrayResult(result, payload, i)));
			else handleArrayResult(result, payload, i);
		}
		if (proms.length) return Promise.all(proms).then(() => payload);
		return payload;
	};
});
function handleObjectResult(result, final, key) {
	if (result.issues.length) final.issues.push(...prefixIssues(key, result.issues));
	final.value[key] = result.value;
}
function handleOptionalObjectResult(result, final, key, input) {
	if (result.issues.length) {
		if (input[key] === void 0) {
			if (key in input) final.value[key] = void 0;
			else final.value[key] = result.value;
		} else final.issues.push(...prefixIssues(key, result.issues));
	} else if (result.value === void 0) {
		if (key in input) final.value[key] = void 0;
	} else final.value[key] = result.value;
}
var $ZodObject = /*@__PURE__*/ $constructor("$ZodObject", (inst, def) => {
	$ZodType.init(inst, def);
	const _normalized = cached(() => {
		const keys = Object.keys(def.shape);
		for (const k of keys) if (!(def.shape[k] instanceof $ZodType)) throw new Error(`Invalid element at key "${k}": expected a Zod schema`);
		const okeys = optionalKeys(def.shape);
		return {
			shape: def.shape,
			keys,
			keySet: new Set(keys),
			numKeys: keys.length,
			optionalKeys: new Set(okeys)
		};
	});
	defineLazy(inst._zod, "propValues", () => {
		const shape = def.shape;
		const propValues = {};
		for (const key in shape) {
			const field = shape[key]._zod;
			if (field.values) {
				propValues[key] ?? (propValues[key] = /* @__PURE__ */ new Set());
				for (const v of field.values) propValues[key].add(v);
			}
		}
		return propValues;
	});
	const generateFastpass = (shape) => {
		const doc = new Doc([
			"shape",
			"payload",
			"ctx"
		]);
		const normalized = _normalized.value;
		const parseStr = (key) => {
			const k = esc(key);
			return `shape[${k}]._zod.run({ value: input[${k}], issues: [] }, ctx)`;
		};
		doc.write(`const input = payload.value;`);
		const ids = Object.create(null);
		let counter = 0;
		for (const key of normalized.keys) ids[key] = `key_${counter++}`;
		doc.write(`const newResult = {}`);
		for (const key of normalized.keys) if (normalized.optionalKeys.has(key)) {
			const id = ids[key];
			doc.write(`const ${id} = ${parseStr(key)};`);
			const k = esc(key);
			doc.write(`
        if (${id}.issues.length) {
          if (input[${k}] === undefined) {
            if (${k} in input) {
              newResult[${k}] = undefined;
            }
          } else {
            payload.issues = payload.issues.concat(
              ${id}.issues.map((iss) => ({
                ...iss,
                path: iss.path ? [${k}, ...iss.path] : [${k}],
              }))
            );
          }
        } else if (${id}.value === undefined) {
          if (${k} in input) newResult[${k}] = undefined;
        } else {
          newResult[${k}] = ${id}.value;
        }
        `);
		} else {
			const id = ids[key];
			doc.write(`const ${id} = ${parseStr(key)};`);
			doc.write(`
          if (${id}.issues.length) payload.issues = payload.issues.concat(${id}.issues.map(iss => ({
            ...iss,
            path: iss.path ? [${esc(key)}, ...iss.path] : [${esc(key)}]
          })));`);
			doc.write(`newResult[${esc(key)}] = ${id}.value`);
		}
		doc.write(`payload.value = newResult;`);
		doc.write(`return payload;`);
		const fn = doc.compile();
		return (payload, ctx) => fn(shape, payload, ctx);
	};
	let fastpass;
	const isObject$1 = isObject;
	const jit = !globalConfig.jitless;
	const fastEnabled = jit && allowsEval.value;
	const catchall = def.catchall;
	let value;
	inst._zod.parse = (payload, ctx) => {
		value ?? (value = _normalized.value);
		const input = payload.value;
		if (!isObject$1(input)) {
			payload.issues.push({
				expected: "object",
				code: "invalid_type",
				input,
				inst
			});
			return payload;
		}
		const proms = [];
		if (jit && fastEnabled && ctx?.async === false && ctx.jitless !== true) {
			if (!fastpass) fastpass = generateFastpass(def.shape);
			payload = fastpass(payload, ctx);
		} else {
			payload.value = {};
			const shape = value.shape;
			for (const key of value.keys) {
				const el = shape[key];
				const r = el._zod.run({
					value: input[key],
					issues: []
				}, ctx);
				const isOptional = el._zod.optin === "optional" && el._zod.optout === "optional";
				if (r instanceof Promise) proms.push(r.then((r) => isOptional ? handleOptionalObjectResult(r, payload, key, input) : handleObjectResult(r, payload, key)));
				else if (isOptional) handleOptionalObjectResult(r, payload, key, input);
				else handleObjectResult(r, payload, key);
			}
		}
		if (!catchall) return proms.length ? Promise.all(proms).then(() => payload) : payload;
		const unrecognized = [];
		const keySet = value.keySet;
		const _catchall = catchall._zod;
		const t = _catchall.def.type;
		for (const key of Object.keys(input)) {
			if (keySet.has(key)) continue;
			if (t === "never") {
				unrecognized.push(key);
				continue;
			}
			const r = _catchall.run({
				value: input[key],
				issues: []
			}, ctx);
			if (r instanceof Promise) proms.push(r.then((r) => handleObjectResult(r, payload, key)));
			else handleObjectResult(r, payload, key);
		}
		if (unrecognized.length) payload.issues.push({
			code: "unrecognized_keys",
			keys: unrecognized,
			input,
			inst
		});
		if (!proms.length) return payload;
		return Promise.all(proms).then(() => {
			return payload;
		});
	};
});
function handleUnionResults(results, final, inst, ctx) {
	for (const result of results) if (result.issues.length === 0) {
		final.value = result.value;
		return final;
	}
	final.issues.push({
		code: "invalid_union",
		input: final.value,
		inst,
		errors: results.map((result) => result.issues.map((iss) => finalizeIssue(iss, ctx, config())))
	});
	return final;
}
var $ZodUnion = /*@__PURE__*/ $constructor("$ZodUnion", (inst, def) => {
	$ZodType.init(inst, def);
	defineLazy(inst._zod, "optin", () => def.options.some((o) => o._zod.optin === "optional") ? "optional" : void 0);
	defineLazy(inst._zod, "optout", () => def.options.some((o) => o._zod.optout === "optional") ? "optional" : void 0);
	defineLazy(inst._zod, "values", () => {
		if (def.options.every((o) => o._zod.values)) return new Set(def.options.flatMap((option) => Array.from(option._zod.values)));
	});
	defineLazy(inst._zod, "pattern", () => {
		if (def.options.every((o) => o._zod.pattern)) {
			const patterns = def.options.map((o) => o._zod.pattern);
			return new RegExp(`^(${patterns.map((p) => cleanRegex(p.source)).join("|")})$`);
		}
	});
	inst._zod.parse = (payload, ctx) => {
		let async = false;
		const results = [];
		for (const option of def.options) {
			const result = option._zod.run({
				value: payload.value,
				issues: []
			}, ctx);
			if (result instanceof Promise) {
				results.push(result);
				async = true;
			} else {
				if (result.issues.length === 0) return result;
				results.push(result);
			}
		}
		if (!async) return handleUnionResults(results, payload, inst, ctx);
		return Promise.all(results).then((results) => {
			return handleUnionResults(results, payload, inst, ctx);
		});
	};
});
var $ZodDiscriminatedUnion = /*@__PURE__*/ $constructor("$ZodDiscriminatedUnion", (inst, def) => {
	$ZodUnion.init(inst, def);
	const _super = inst._zod.parse;
	defineLazy(inst._zod, "propValues", () => {
		const propValues = {};
		for (const option of def.options) {
			const pv = option._zod.propValues;
			if (!pv || Object.keys(pv).length === 0) throw new Error(`Invalid discriminated union option at index "${def.options.indexOf(option)}"`);
			for (const [k, v] of Object.entries(pv)) {
				if (!propValues[k]) propValues[k] = /* @__PURE__ */ new Set();
				for (const val of v) propValues[k].add(val);
			}
		}
		return propValues;
	});
	const disc = cached(() => {
		const opts = def.options;
		const map = /* @__PURE__ */ new Map();
		for (const o of opts) {
			const values = o._zod.propValues[def.discriminator];
			if (!values || values.size === 0) throw new Error(`Invalid discriminated union option at index "${def.options.indexOf(o)}"`);
			for (const v of values) {
				if (map.has(v)) throw new Error(`Duplicate discriminator value "${String(v)}"`);
				map.set(v, o);
			}
		}
		return map;
	});
	inst._zod.parse = (payload, ctx) => {
		const input = payload.value;
		if (!isObject(input)) {
			payload.issues.push({
				code: "invalid_type",
				expected: "object",
				input,
				inst
			});
			return payload;
		}
		const opt = disc.value.get(input?.[def.discriminator]);
		if (opt) return opt._zod.run(payload, ctx);
		if (def.unionFallback) return _super(payload, ctx);
		payload.issues.push({
			code: "invalid_union",
			errors: [],
			note: "No matching discriminator",
			input,
			path: [def.discriminator],
			inst
		});
		return payload;
	};
});
var $ZodIntersection = /*@__PURE__*/ $constructor("$ZodIntersection", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.parse = (payload, ctx) => {
		const input = payload.value;
		const left = def.left._zod.run({
			value: input,
			issues: []
		}, ctx);
		const right = def.right._zod.run({
			value: input,
			issues: []
		}, ctx);
		if (left instanceof Promise || right instanceof Promise) return Promise.all([left, right]).then(([left, right]) => {
			return handleIntersectionResults(payload, left, right);
		});
		return handleIntersectionResults(payload, left, right);
	};
});
function mergeValues(a, b) {
	if (a === b) return {
		valid: true,
		data: a
	};
	if (a instanceof Date && b instanceof Date && +a === +b) return {
		valid: true,
		data: a
	};
	if (isPlainObject(a) && isPlainObject(b)) {
		const bKeys = Object.keys(b);
		const sharedKeys = Object.keys(a).filter((key) => bKeys.indexOf(key) !== -1);
		const newObj = {
			...a,
			...b
		};
		for (const key of sharedKeys) {
			const sharedValue = mergeValues(a[key], b[key]);
			if (!sharedValue.valid) return {
				valid: false,
				mergeErrorPath: [key, ...sharedValue.mergeErrorPath]
			};
			newObj[key] = sharedValue.data;
		}
		return {
			valid: true,
			data: newObj
		};
	}
	if (Array.isArray(a) && Array.isArray(b)) {
		if (a.length !== b.length) return {
			valid: false,
			mergeErrorPath: []
		};
		const newArray = [];
		for (let index = 0; index < a.length; index++) {
			const itemA = a[index];
			const itemB = b[index];
			const sharedValue = mergeValues(itemA, itemB);
			if (!sharedValue.valid) return {
				valid: false,
				mergeErrorPath: [index, ...sharedValue.mergeErrorPath]
			};
			newArray.push(sharedValue.data);
		}
		return {
			valid: true,
			data: newArray
		};
	}
	return {
		valid: false,
		mergeErrorPath: []
	};
}
function handleIntersectionResults(result, left, right) {
	if (left.issues.length) result.issues.push(...left.issues);
	if (right.issues.length) result.issues.push(...right.issues);
	if (aborted(result)) return result;
	const merged = mergeValues(left.value, right.value);
	if (!merged.valid) throw new Error(`Unmergable intersection. Error path: ${JSON.stringify(merged.mergeErrorPath)}`);
	result.value = merged.data;
	return result;
}
var $ZodRecord = /*@__PURE__*/ $constructor("$ZodRecord", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.parse = (payload, ctx) => {
		const input = payload.value;
		if (!isPlainObject(input)) {
			payload.issues.push({
				expected: "record",
				code: "invalid_type",
				input,
				inst
			});
			return payload;
		}
		const proms = [];
		if (def.keyType._zod.values) {
			const values = def.keyType._zod.values;
			payload.value = {};
			for (const key of values) if (typeof key === "string" || typeof key === "number" || typeof key === "symbol") {
				const result = def.valueType._zod.run({
					value: input[key],
					issues: []
				}, ctx);
				if (result instanceof Promise) proms.push(result.then((result) => {
					if (result.issues.length) payload.issues.push(...prefixIssues(key, result.issues));
					payload.value[key] = result.value;
				}));
				else {
					if (result.issues.length) payload.issues.push(...prefixIssues(key, result.issues));
					payload.value[key] = result.value;
				}
			}
			let unrecognized;
			for (const key in input) if (!values.has(key)) {
				unrecognized = unrecognized ?? [];
				unrecognized.push(key);
			}
			if (unrecognized && unrecognized.length > 0) payload.issues.push({
				code: "unrecognized_keys",
				input,
				inst,
				keys: unrecognized
			});
		} else {
			payload.value = {};
			for (const key of Reflect.ownKeys(input)) {
				if (key === "__proto__") continue;
				const keyResult = def.keyType._zod.run({
					value: key,
					issues: []
				}, ctx);
				if (keyResult instanceof Promise) throw new Error("Async schemas not supported in object keys currently");
				if (keyResult.issues.length) {
					payload.issues.push({
						origin: "record",
						code: "invalid_key",
						issues: keyResult.issues.map((iss) => finalizeIssue(iss, ctx, config())),
						input: key,
						path: [key],
						inst
					});
					payload.value[keyResult.value] = keyResult.value;
					continue;
				}
				const result = def.valueType._zod.run({
					value: input[key],
					issues: []
				}, ctx);
				if (result instanceof Promise) proms.push(result.then((result) => {
					if (result.issues.length) payload.issues.push(...prefixIssues(key, result.issues));
					payload.value[keyResult.value] = result.value;
				}));
				else {
					if (result.issues.length) payload.issues.push(...prefixIssues(key, result.issues));
					payload.value[keyResult.value] = result.value;
				}
			}
		}
		if (proms.length) return Promise.all(proms).then(() => payload);
		return payload;
	};
});
var $ZodEnum = /*@__PURE__*/ $constructor("$ZodEnum", (inst, def) => {
	$ZodType.init(inst, def);
	const values = getEnumValues(def.entries);
	inst._zod.values = new Set(values);
	inst._zod.pattern = new RegExp(`^(${values.filter((k) => propertyKeyTypes.has(typeof k)).map((o) => typeof o === "string" ? escapeRegex(o) : o.toString()).join("|")})$`);
	inst._zod.parse = (payload, _ctx) => {
		const input = payload.value;
		if (inst._zod.values.has(input)) return payload;
		payload.issues.push({
			code: "invalid_value",
			values,
			input,
			inst
		});
		return payload;
	};
});
var $ZodLiteral = /*@__PURE__*/ $constructor("$ZodLiteral", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.values = new Set(def.values);
	inst._zod.pattern = new RegExp(`^(${def.values.map((o) => typeof o === "string" ? escapeRegex(o) : o ? o.toString() : String(o)).join("|")})$`);
	inst._zod.parse = (payload, _ctx) => {
		const input = payload.value;
		if (inst._zod.values.has(input)) return payload;
		payload.issues.push({
			code: "invalid_value",
			values: def.values,
			input,
			inst
		});
		return payload;
	};
});
var $ZodTransform = /*@__PURE__*/ $constructor("$ZodTransform", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.parse = (payload, _ctx) => {
		const _out = def.transform(payload.value, payload);
		if (_ctx.async) return (_out instanceof Promise ? _out : Promise.resolve(_out)).then((output) => {
			payload.value = output;
			return payload;
		});
		if (_out instanceof Promise) throw new $ZodAsyncError();
		payload.value = _out;
		return payload;
	};
});
var $ZodOptional = /*@__PURE__*/ $constructor("$ZodOptional", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.optin = "optional";
	inst._zod.optout = "optional";
	defineLazy(inst._zod, "values", () => {
		return def.innerType._zod.values ? /* @__PURE__ */ new Set([...def.innerType._zod.values, void 0]) : void 0;
	});
	defineLazy(inst._zod, "pattern", () => {
		const pattern = def.innerType._zod.pattern;
		return pattern ? new RegExp(`^(${cleanRegex(pattern.source)})?$`) : void 0;
	});
	inst._zod.parse = (payload, ctx) => {
		if (def.innerType._zod.optin === "optional") return def.innerType._zod.run(payload, ctx);
		if (payload.value === void 0) return payload;
		return def.innerType._zod.run(payload, ctx);
	};
});
var $ZodNullable = /*@__PURE__*/ $constructor("$ZodNullable", (inst, def) => {
	$ZodType.init(inst, def);
	defineLazy(inst._zod, "optin", () => def.innerType._zod.optin);
	defineLazy(inst._zod, "optout", () => def.innerType._zod.optout);
	defineLazy(inst._zod, "pattern", () => {
		const pattern = def.innerType._zod.pattern;
		return pattern ? new RegExp(`^(${cleanRegex(pattern.source)}|null)$`) : void 0;
	});
	defineLazy(inst._zod, "values", () => {
		return def.innerType._zod.values ? /* @__PURE__ */ new Set([...def.innerType._zod.values, null]) : void 0;
	});
	inst._zod.parse = (payload, ctx) => {
		if (payload.value === null) return payload;
		return def.innerType._zod.run(payload, ctx);
	};
});
var $ZodDefault = /*@__PURE__*/ $constructor("$ZodDefault", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.optin = "optional";
	defineLazy(inst._zod, "values", () => def.innerType._zod.values);
	inst._zod.parse = (payload, ctx) => {
		if (payload.value === void 0) {
			payload.value = def.defaultValue;
			/**
			* $ZodDefault always returns the default value immediately.
			* It doesn't pass the default value into the validator ("prefault"). There's no reason to pass the default value through validation. The validity of the default is enforced by TypeScript statically. Otherwise, it's the responsibility of the user to ensure the default is valid. In the case of pipes with divergent in/out types, you can specify the default on the `in` schema of your ZodPipe to set a "prefault" for the pipe.   */
			return payload;
		}
		const result = def.innerType._zod.run(payload, ctx);
		if (result instanceof Promise) return result.then((result) => handleDefaultResult(result, def));
		return handleDefaultResult(result, def);
	};
});
function handleDefaultResult(payload, def) {
	if (payload.value === void 0) payload.value = def.defaultValue;
	return payload;
}
var $ZodPrefault = /*@__PURE__*/ $constructor("$ZodPrefault", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.optin = "optional";
	defineLazy(inst._zod, "values", () => def.innerType._zod.values);
	inst._zod.parse = (payload, ctx) => {
		if (payload.value === void 0) payload.value = def.defaultValue;
		return def.innerType._zod.run(payload, ctx);
	};
});
var $ZodNonOptional = /*@__PURE__*/ $constructor("$ZodNonOptional", (inst, def) => {
	$ZodType.init(inst, def);
	defineLazy(inst._zod, "values", () => {
		const v = def.innerType._zod.values;
		return v ? new Set([...v].filter((x) => x !== void 0)) : void 0;
	});
	inst._zod.parse = (payload, ctx) => {
		const result = def.innerType._zod.run(payload, ctx);
		if (result instanceof Promise) return result.then((result) => handleNonOptionalResult(result, inst));
		return handleNonOptionalResult(result, inst);
	};
});
function handleNonOptionalResult(payload, inst) {
	if (!payload.issues.length && payload.value === void 0) payload.issues.push({
		code: "invalid_type",
		expected: "nonoptional",
		input: payload.value,
		inst
	});
	return payload;
}
var $ZodCatch = /*@__PURE__*/ $constructor("$ZodCatch", (inst, def) => {
	$ZodType.init(inst, def);
	inst._zod.optin = "optional";
	defineLazy(inst._zod, "optout", () => def.innerType._zod.optout);
	defineLazy(inst._zod, "values", () => def.innerType._zod.values);
	inst._zod.parse = (payload, ctx) => {
		const result = def.innerType._zod.run(payload, ctx);
		if (result instanceof Promise) return result.then((result) => {
			payload.value = result.value;
			if (result.issues.length) {
				payload.value = def.catchValue({
					...payload,
					error: { issues: result.issues.map((iss) => finalizeIssue(iss, ctx, config())) },
					input: payload.value
				});
				payload.issues = [];
			}
			return payload;
		});
		payload.value = result.value;
		if (result.issues.length) {
			payload.value = def.catchValue({
				...payload,
				error: { issues: result.issues.map((iss) => finalizeIssue(iss, ctx, config())) },
				input: payload.value
			});
			payload.issues = [];
		}
		return payload;
	};
});
var $ZodPipe = /*@__PURE__*/ $constructor("$ZodPipe", (inst, def) => {
	$ZodType.init(inst, def);
	defineLazy(inst._zod, "values", () => def.in._zod.values);
	defineLazy(inst._zod, "optin", () => def.in._zod.optin);
	defineLazy(inst._zod, "optout", () => def.out._zod.optout);
	inst._zod.parse = (payload, ctx) => {
		const left = def.in._zod.run(payload, ctx);
		if (left instanceof Promise) return left.then((left) => handlePipeResult(left, def, ctx));
		return handlePipeResult(left, def, ctx);
	};
});
function handlePipeResult(left, def, ctx) {
	if (aborted(left)) return left;
	return def.out._zod.run({
		value: left.value,
		issues: left.issues
	}, ctx);
}
var $ZodReadonly = /*@__PURE__*/ $constructor("$ZodReadonly", (inst, def) => {
	$ZodType.init(inst, def);
	defineLazy(inst._zod, "propValues", () => def.innerType._zod.propValues);
	defineLazy(inst._zod, "values", () => def.innerType._zod.values);
	defineLazy(inst._zod, "optin", () => def.innerType._zod.optin);
	defineLazy(inst._zod, "optout", () => def.innerType._zod.optout);
	inst._zod.parse = (payload, ctx) => {
		const result = def.innerType._zod.run(payload, ctx);
		if (result instanceof Promise) return result.then(handleReadonlyResult);
		return handleReadonlyResult(result);
	};
});
function handleReadonlyResult(payload) {
	payload.value = Object.freeze(payload.value);
	return payload;
}
var $ZodCustom = /*@__PURE__*/ $constructor("$ZodCustom", (inst, def) => {
	$ZodCheck.init(inst, def);
	$ZodType.init(inst, def);
	inst._zod.parse = (payload, _) => {
		return payload;
	};
	inst._zod.check = (payload) => {
		const input = payload.value;
		const r = def.fn(input);
		if (r instanceof Promise) return r.then((r) => handleRefineResult(r, payload, input, inst));
		handleRefineResult(r, payload, input, inst);
	};
});
function handleRefineResult(result, payload, input, inst) {
	if (!result) {
		const _iss = {
			code: "custom",
			input,
			inst,
			path: [...inst._zod.def.path ?? []],
			continue: !inst._zod.def.abort
		};
		if (inst._zod.def.params) _iss.params = inst._zod.def.params;
		payload.issues.push(issue(_iss));
	}
}
// node_modules/zod/v4/core/registries.js
var $ZodRegistry = class {
	constructor() {
		this._map = /* @__PURE__ */ new Map();
		this._idmap = /* @__PURE__ */ new Map();
	}
	add(schema, ..._meta) {
		const meta = _meta[0];
		this._map.set(schema, meta);
		if (meta && typeof meta === "object" && "id" in meta) {
			if (this._idmap.has(meta.id)) throw new Error(`ID ${meta.id} already exists in the registry`);
			this._idmap.set(meta.id, schema);
		}
		return this;
	}
	clear() {
		this._map = /* @__PURE__ */ new Map();
		this._idmap = /* @__PURE__ */ new Map();
		return this;
	}
	remove(schema) {
		const meta = this._map.get(schema);
		if (meta && typeof meta === "object" && "id" in meta) this._idmap.delete(meta.id);
		this._map.delete(schema);
		return this;
	}
	get(schema) {
		const p = schema._zod.parent;
		if (p) {
			const pm = { ...this.get(p) ?? {} };
			delete pm.id;
			return {
				...pm,
				...this._map.get(schema)
			};
		}
		return this._map.get(schema);
	}
	has(schema) {
		return this._map.has(schema);
	}
};
function registry() {
	return new $ZodRegistry();
}
var globalRegistry = /*@__PURE__*/ registry();
// node_modules/zod/v4/core/api.js
function _string(Class, params) {
	return new Class({
		type: "string",
		...normalizeParams(params)
	});
}
function _email(Class, params) {
	return new Class({
		type: "string",
		format: "email",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _guid(Class, params) {
	return new Class({
		type: "string",
		format: "guid",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _uuid(Class, params) {
	return new Class({
		type: "string",
		format: "uuid",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _uuidv4(Class, params) {
	return new Class({
		type: "string",
		format: "uuid",
		check: "string_format",
		abort: false,
		version: "v4",
		...normalizeParams(params)
	});
}
function _uuidv6(Class, params) {
	return new Class({
		type: "string",
		format: "uuid",
		check: "string_format",
		abort: false,
		version: "v6",
		...normalizeParams(params)
	});
}
function _uuidv7(Class, params) {
	return new Class({
		type: "string",
		format: "uuid",
		check: "string_format",
		abort: false,
		version: "v7",
		...normalizeParams(params)
	});
}
function _url(Class, params) {
	return new Class({
		type: "string",
		format: "url",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _emoji(Class, params) {
	return new Class({
		type: "string",
		format: "emoji",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _nanoid(Class, params) {
	return new Class({
		type: "string",
		format: "nanoid",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _cuid(Class, params) {
	return new Class({
		type: "string",
		format: "cuid",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _cuid2(Class, params) {
	return new Class({
		type: "string",
		format: "cuid2",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _ulid(Class, params) {
	return new Class({
		type: "string",
		format: "ulid",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _xid(Class, params) {
	return new Class({
		type: "string",
		format: "xid",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _ksuid(Class, params) {
	return new Class({
		type: "string",
		format: "ksuid",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _ipv4(Class, params) {
	return new Class({
		type: "string",
		format: "ipv4",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _ipv6(Class, params) {
	return new Class({
		type: "string",
		format: "ipv6",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _cidrv4(Class, params) {
	return new Class({
		type: "string",
		format: "cidrv4",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _cidrv6(Class, params) {
	return new Class({
		type: "string",
		format: "cidrv6",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _base64(Class, params) {
	return new Class({
		type: "string",
		format: "base64",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _base64url(Class, params) {
	return new Class({
		type: "string",
		format: "base64url",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _e164(Class, params) {
	return new Class({
		type: "string",
		format: "e164",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _jwt(Class, params) {
	return new Class({
		type: "string",
		format: "jwt",
		check: "string_format",
		abort: false,
		...normalizeParams(params)
	});
}
function _isoDateTime(Class, params) {
	return new Class({
		type: "string",
		format: "datetime",
		check: "string_format",
		offset: false,
		local: false,
		precision: null,
		...normalizeParams(params)
	});
}
function _isoDate(Class, params) {
	return new Class({
		type: "string",
		format: "date",
		check: "string_format",
		...normalizeParams(params)
	});
}
function _isoTime(Class, params) {
	return new Class({
		type: "string",
		format: "time",
		check: "string_format",
		precision: null,
		...normalizeParams(params)
	});
}
function _isoDuration(Class, params) {
	return new Class({
		type: "string",
		format: "duration",
		check: "string_format",
		...normalizeParams(params)
	});
}
function _number(Class, params) {
	return new Class({
		type: "number",
		checks: [],
		...normalizeParams(params)
	});
}
function _coercedNumber(Class, params) {
	return new Class({
		type: "number",
		coerce: true,
		checks: [],
		...normalizeParams(params)
	});
}
function _int(Class, params) {
	return new Class({
		type: "number",
		check: "number_format",
		abort: false,
		format: "safeint",
		...normalizeParams(params)
	});
}
function _boolean(Class, params) {
	return new Class({
		type: "boolean",
		...normalizeParams(params)
	});
}
function _unknown(Class) {
	return new Class({ type: "unknown" });
}
function _never(Class, params) {
	return new Class({
		type: "never",
		...normalizeParams(params)
	});
}
function _lt(value, params) {
	return new $ZodCheckLessThan({
		check: "less_than",
		...normalizeParams(params),
		value,
		inclusive: false
	});
}
function _lte(value, params) {
	return new $ZodCheckLessThan({
		check: "less_than",
		...normalizeParams(params),
		value,
		inclusive: true
	});
}
function _gt(value, params) {
	return new $ZodCheckGreaterThan({
		check: "greater_than",
		...normalizeParams(params),
		value,
		inclusive: false
	});
}
function _gte(value, params) {
	return new $ZodCheckGreaterThan({
		check: "greater_than",
		...normalizeParams(params),
		value,
		inclusive: true
	});
}
function _multipleOf(value, params) {
	return new $ZodCheckMultipleOf({
		check: "multiple_of",
		...normalizeParams(params),
		value
	});
}
function _maxLength(maximum, params) {
	return new $ZodCheckMaxLength({
		check: "max_length",
		...normalizeParams(params),
		maximum
	});
}
function _minLength(minimum, params) {
	return new $ZodCheckMinLength({
		check: "min_length",
		...normalizeParams(params),
		minimum
	});
}
function _length(length, params) {
	return new $ZodCheckLengthEquals({
		check: "length_equals",
		...normalizeParams(params),
		length
	});
}
function _regex(pattern, params) {
	return new $ZodCheckRegex({
		check: "string_format",
		format: "regex",
		...normalizeParams(params),
		pattern
	});
}
function _lowercase(params) {
	return new $ZodCheckLowerCase({
		check: "string_format",
		format: "lowercase",
		...normalizeParams(params)
	});
}
function _uppercase(params) {
	return new $ZodCheckUpperCase({
		check: "string_format",
		format: "uppercase",
		...normalizeParams(params)
	});
}
function _includes(includes, params) {
	return new $ZodCheckIncludes({
		check: "string_format",
		format: "includes",
		...normalizeParams(params),
		includes
	});
}
function _startsWith(prefix, params) {
	return new $ZodCheckStartsWith({
		check: "string_format",
		format: "starts_with",
		...normalizeParams(params),
		prefix
	});
}
function _endsWith(suffix, params) {
	return new $ZodCheckEndsWith({
		check: "string_format",
		format: "ends_with",
		...normalizeParams(params),
		suffix
	});
}
function _overwrite(tx) {
	return new $ZodCheckOverwrite({
		check: "overwrite",
		tx
	});
}
function _normalize(form) {
	return _overwrite((input) => input.normalize(form));
}
function _trim() {
	return _overwrite((input) => input.trim());
}
function _toLowerCase() {
	return _overwrite((input) => input.toLowerCase());
}
function _toUpperCase() {
	return _overwrite((input) => input.toUpperCase());
}
function _array(Class, element, params) {
	return new Class({
		type: "array",
		element,
		...normalizeParams(params)
	});
}
function _refine(Class, fn, _params) {
	return new Class({
		type: "custom",
		check: "custom",
		fn,
		...normalizeParams(_params)
	});
}
// node_modules/zod/v4/classic/iso.js
var ZodISODateTime = /*@__PURE__*/ $constructor("ZodISODateTime", (inst, def) => {
	$ZodISODateTime.init(inst, def);
	ZodStringFormat.init(inst, def);
});
function datetime(params) {
	return _isoDateTime(ZodISODateTime, params);
}
var ZodISODate = /*@__PURE__*/ $constructor("ZodISODate", (inst, def) => {
	$ZodISODate.init(inst, def);
	ZodStringFormat.init(inst, def);
});
function date(params) {
	return _isoDate(ZodISODate, params);
}
var ZodISOTime = /*@__PURE__*/ $constructor("ZodISOTime", (inst, def) => {
	$ZodISOTime.init(inst, def);
	ZodStringFormat.init(inst, def);
});
function time(params) {
	return _isoTime(ZodISOTime, params);
}
var ZodISODuration = /*@__PURE__*/ $constructor("ZodISODuration", (inst, def) => {
	$ZodISODuration.init(inst, def);
	ZodStringFormat.init(inst, def);
});
function duration$1(params) {
	return _isoDuration(ZodISODuration, params);
}
// node_modules/zod/v4/classic/errors.js
var initializer = (inst, issues) => {
	$ZodError.init(inst, issues);
	inst.name = "ZodError";
	Object.defineProperties(inst, {
		format: { value: (mapper) => formatError(inst, mapper) },
		flatten: { value: (mapper) => flattenError(inst, mapper) },
		addIssue: { value: (issue) => inst.issues.push(issue) },
		addIssues: { value: (issues) => inst.issues.push(...issues) },
		isEmpty: { get() {
			return inst.issues.length === 0;
		} }
	});
};
var ZodRealError = /* @__PURE__ */ $constructor("ZodError", initializer, { Parent: Error });
// node_modules/zod/v4/classic/parse.js
var parse = /* @__PURE__ */ _parse(ZodRealError);
var parseAsync = /* @__PURE__ */ _parseAsync(ZodRealError);
var safeParse = /* @__PURE__ */ _safeParse(ZodRealError);
var safeParseAsync = /* @__PURE__ */ _safeParseAsync(ZodRealError);
// node_modules/zod/v4/classic/schemas.js
var ZodType = /*@__PURE__*/ $constructor("ZodType", (inst, def) => {
	$ZodType.init(inst, def);
	inst.def = def;
	Object.defineProperty(inst, "_def", { value: def });
	inst.check = (...checks) => {
		return inst.clone({
			...def,
			checks: [...def.checks ?? [], ...checks.map((ch) => typeof ch === "function" ? { _zod: {
				check: ch,
				def: { check: "custom" },
				onattach: []
			} } : ch)]
		});
	};
	inst.clone = (def, params) => clone(inst, def, params);
	inst.brand = () => inst;
	inst.register = ((reg, meta) => {
		reg.add(inst, meta);
		return inst;
	});
	inst.parse = (data, params) => parse(inst, data, params, { callee: inst.parse });
	inst.safeParse = (data, params) => safeParse(inst, data, params);
	inst.parseAsync = async (data, params) => parseAsync(inst, data, params, { callee: inst.parseAsync });
	inst.safeParseAsync = async (data, params) => safeParseAsync(inst, data, params);
	inst.spa = inst.safeParseAsync;
	inst.refine = (check, params) => inst.check(refine(check, params));
	inst.superRefine = (refinement) => inst.check(superRefine(refinement));
	inst.overwrite = (fn) => inst.check(_overwrite(fn));
	inst.optional = () => optional(inst);
	inst.nullable = () => nullable(inst);
	inst.nullish = () => optional(nullable(inst));
	inst.nonoptional = (params) => nonoptional(inst, params);
	inst.array = () => array(inst);
	inst.or = (arg) => union([inst, arg]);
	inst.and = (arg) => intersection(inst, arg);
	inst.transform = (tx) => pipe(inst, transform(tx));
	inst.default = (def) => _default(inst, def);
	inst.prefault = (def) => prefault(inst, def);
	inst.catch = (params) => _catch(inst, params);
	inst.pipe = (target) => pipe(inst, target);
	inst.readonly = () => readonly(inst);
	inst.describe = (description) => {
		const cl = inst.clone();
		globalRegistry.add(cl, { description });
		return cl;
	};
	Object.defineProperty(inst, "description", {
		get() {
			return globalRegistry.get(inst)?.description;
		},
		configurable: true
	});
	inst.meta = (...args) => {
		if (args.length === 0) return globalRegistry.get(inst);
		const cl = inst.clone();
		globalRegistry.add(cl, args[0]);
		return cl;
	};
	inst.isOptional = () => inst.safeParse(void 0).success;
	inst.isNullable = () => inst.safeParse(null).success;
	return inst;
});
/** @internal */
var _ZodString = /*@__PURE__*/ $constructor("_ZodString", (inst, def) => {
	$ZodString.init(inst, def);
	ZodType.init(inst, def);
	const bag = inst._zod.bag;
	inst.format = bag.format ?? null;
	inst.minLength = bag.minimum ?? null;
	inst.maxLength = bag.maximum ?? null;
	inst.regex = (...args) => inst.check(_regex(...args));
	inst.includes = (...args) => inst.check(_includes(...args));
	inst.startsWith = (...args) => inst.check(_startsWith(...args));
	inst.endsWith = (...args) => inst.check(_endsWith(...args));
	inst.min = (...args) => inst.check(_minLength(...args));
	inst.max = (...args) => inst.check(_maxLength(...args));
	inst.length = (...args) => inst.check(_length(...args));
	inst.nonempty = (...args) => inst.check(_minLength(1, ...args));
	inst.lowercase = (params) => inst.check(_lowercase(params));
	inst.uppercase = (params) => inst.check(_uppercase(params));
	inst.trim = () => inst.check(_trim());
	inst.normalize = (...args) => inst.check(_normalize(...args));
	inst.toLowerCase = () => inst.check(_toLowerCase());
	inst.toUpperCase = () => inst.check(_toUpperCase());
});
var ZodString = /*@__PURE__*/ $constructor("ZodString", (inst, def) => {
	$ZodString.init(inst, def);
	_ZodString.init(inst, def);
	inst.email = (params) => inst.check(_email(ZodEmail, params));
	inst.url = (params) => inst.check(_url(ZodURL, params));
	inst.jwt = (params) => inst.check(_jwt(ZodJWT, params));
	inst.emoji = (params) => inst.check(_emoji(ZodEmoji, params));
	inst.guid = (params) => inst.check(_guid(ZodGUID, params));
	inst.uuid = (params) => inst.check(_uuid(ZodUUID, params));
	inst.uuidv4 = (params) => inst.check(_uuidv4(ZodUUID, params));
	inst.uuidv6 = (params) => inst.check(_uuidv6(ZodUUID, params));
	inst.uuidv7 = (params) => inst.check(_uuidv7(ZodUUID, params));
	inst.nanoid = (params) => inst.check(_nanoid(ZodNanoID, params));
	inst.guid = (params) => inst.check(_guid(ZodGUID, params));
	inst.cuid = (params) => inst.check(_cuid(ZodCUID, params));
	inst.cuid2 = (params) => inst.check(_cuid2(ZodCUID2, params));
	inst.ulid = (params) => inst.check(_ulid(ZodULID, params));
	inst.base64 = (params) => inst.check(_base64(ZodBase64, params));
	inst.base64url = (params) => inst.check(_base64url(ZodBase64URL, params));
	inst.xid = (params) => inst.check(_xid(ZodXID, params));
	inst.ksuid = (params) => inst.check(_ksuid(ZodKSUID, params));
	inst.ipv4 = (params) => inst.check(_ipv4(ZodIPv4, params));
	inst.ipv6 = (params) => inst.check(_ipv6(ZodIPv6, params));
	inst.cidrv4 = (params) => inst.check(_cidrv4(ZodCIDRv4, params));
	inst.cidrv6 = (params) => inst.check(_cidrv6(ZodCIDRv6, params));
	inst.e164 = (params) => inst.check(_e164(ZodE164, params));
	inst.datetime = (params) => inst.check(datetime(params));
	inst.date = (params) => inst.check(date(params));
	inst.time = (params) => inst.check(time(params));
	inst.duration = (params) => inst.check(duration$1(params));
});
function string(params) {
	return _string(ZodString, params);
}
var ZodStringFormat = /*@__PURE__*/ $constructor("ZodStringFormat", (inst, def) => {
	$ZodStringFormat.init(inst, def);
	_ZodString.init(inst, def);
});
var ZodEmail = /*@__PURE__*/ $constructor("ZodEmail", (inst, def) => {
	$ZodEmail.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodGUID = /*@__PURE__*/ $constructor("ZodGUID", (inst, def) => {
	$ZodGUID.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodUUID = /*@__PURE__*/ $constructor("ZodUUID", (inst, def) => {
	$ZodUUID.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodURL = /*@__PURE__*/ $constructor("ZodURL", (inst, def) => {
	$ZodURL.init(inst, def);
	ZodStringFormat.init(inst, def);
});
function url(params) {
	return _url(ZodURL, params);
}
var ZodEmoji = /*@__PURE__*/ $constructor("ZodEmoji", (inst, def) => {
	$ZodEmoji.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodNanoID = /*@__PURE__*/ $constructor("ZodNanoID", (inst, def) => {
	$ZodNanoID.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodCUID = /*@__PURE__*/ $constructor("ZodCUID", (inst, def) => {
	$ZodCUID.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodCUID2 = /*@__PURE__*/ $constructor("ZodCUID2", (inst, def) => {
	$ZodCUID2.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodULID = /*@__PURE__*/ $constructor("ZodULID", (inst, def) => {
	$ZodULID.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodXID = /*@__PURE__*/ $constructor("ZodXID", (inst, def) => {
	$ZodXID.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodKSUID = /*@__PURE__*/ $constructor("ZodKSUID", (inst, def) => {
	$ZodKSUID.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodIPv4 = /*@__PURE__*/ $constructor("ZodIPv4", (inst, def) => {
	$ZodIPv4.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodIPv6 = /*@__PURE__*/ $constructor("ZodIPv6", (inst, def) => {
	$ZodIPv6.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodCIDRv4 = /*@__PURE__*/ $constructor("ZodCIDRv4", (inst, def) => {
	$ZodCIDRv4.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodCIDRv6 = /*@__PURE__*/ $constructor("ZodCIDRv6", (inst, def) => {
	$ZodCIDRv6.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodBase64 = /*@__PURE__*/ $constructor("ZodBase64", (inst, def) => {
	$ZodBase64.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodBase64URL = /*@__PURE__*/ $constructor("ZodBase64URL", (inst, def) => {
	$ZodBase64URL.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodE164 = /*@__PURE__*/ $constructor("ZodE164", (inst, def) => {
	$ZodE164.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodJWT = /*@__PURE__*/ $constructor("ZodJWT", (inst, def) => {
	$ZodJWT.init(inst, def);
	ZodStringFormat.init(inst, def);
});
var ZodNumber = /*@__PURE__*/ $constructor("ZodNumber", (inst, def) => {
	$ZodNumber.init(inst, def);
	ZodType.init(inst, def);
	inst.gt = (value, params) => inst.check(_gt(value, params));
	inst.gte = (value, params) => inst.check(_gte(value, params));
	inst.min = (value, params) => inst.check(_gte(value, params));
	inst.lt = (value, params) => inst.check(_lt(value, params));
	inst.lte = (value, params) => inst.check(_lte(value, params));
	inst.max = (value, params) => inst.check(_lte(value, params));
	inst.int = (params) => inst.check(int(params));
	inst.safe = (params) => inst.check(int(params));
	inst.positive = (params) => inst.check(_gt(0, params));
	inst.nonnegative = (params) => inst.check(_gte(0, params));
	inst.negative = (params) => inst.check(_lt(0, params));
	inst.nonpositive = (params) => inst.check(_lte(0, params));
	inst.multipleOf = (value, params) => inst.check(_multipleOf(value, params));
	inst.step = (value, params) => inst.check(_multipleOf(value, params));
	inst.finite = () => inst;
	const bag = inst._zod.bag;
	inst.minValue = Math.max(bag.minimum ?? Number.NEGATIVE_INFINITY, bag.exclusiveMinimum ?? Number.NEGATIVE_INFINITY) ?? null;
	inst.maxValue = Math.min(bag.maximum ?? Number.POSITIVE_INFINITY, bag.exclusiveMaximum ?? Number.POSITIVE_INFINITY) ?? null;
	inst.isInt = (bag.format ?? "").includes("int") || Number.isSafeInteger(bag.multipleOf ?? .5);
	inst.isFinite = true;
	inst.format = bag.format ?? null;
});
function number$1(params) {
	return _number(ZodNumber, params);
}
var ZodNumberFormat = /*@__PURE__*/ $constructor("ZodNumberFormat", (inst, def) => {
	$ZodNumberFormat.init(inst, def);
	ZodNumber.init(inst, def);
});
function int(params) {
	return _int(ZodNumberFormat, params);
}
var ZodBoolean = /*@__PURE__*/ $constructor("ZodBoolean", (inst, def) => {
	$ZodBoolean.init(inst, def);
	ZodType.init(inst, def);
});
function boolean(params) {
	return _boolean(ZodBoolean, params);
}
var ZodUnknown = /*@__PURE__*/ $constructor("ZodUnknown", (inst, def) => {
	$ZodUnknown.init(inst, def);
	ZodType.init(inst, def);
});
function unknown() {
	return _unknown(ZodUnknown);
}
var ZodNever = /*@__PURE__*/ $constructor("ZodNever", (inst, def) => {
	$ZodNever.init(inst, def);
	ZodType.init(inst, def);
});
function never(params) {
	return _never(ZodNever, params);
}
var ZodArray = /*@__PURE__*/ $constructor("ZodArray", (inst, def) => {
	$ZodArray.init(inst, def);
	ZodType.init(inst, def);
	inst.element = def.element;
	inst.min = (minLength, params) => inst.check(_minLength(minLength, params));
	inst.nonempty = (params) => inst.check(_minLength(1, params));
	inst.max = (maxLength, params) => inst.check(_maxLength(maxLength, params));
	inst.length = (len, params) => inst.check(_length(len, params));
	inst.unwrap = () => inst.element;
});
function array(element, params) {
	return _array(ZodArray, element, params);
}
var ZodObject = /*@__PURE__*/ $constructor("ZodObject", (inst, def) => {
	$ZodObject.init(inst, def);
	ZodType.init(inst, def);
	defineLazy(inst, "shape", () => def.shape);
	inst.keyof = () => _enum(Object.keys(inst._zod.def.shape));
	inst.catchall = (catchall) => inst.clone({
		...inst._zod.def,
		catchall
	});
	inst.passthrough = () => inst.clone({
		...inst._zod.def,
		catchall: unknown()
	});
	inst.loose = () => inst.clone({
		...inst._zod.def,
		catchall: unknown()
	});
	inst.strict = () => inst.clone({
		...inst._zod.def,
		catchall: never()
	});
	inst.strip = () => inst.clone({
		...inst._zod.def,
		catchall: void 0
	});
	inst.extend = (incoming) => {
		return extend(inst, incoming);
	};
	inst.merge = (other) => merge(inst, other);
	inst.pick = (mask) => pick(inst, mask);
	inst.omit = (mask) => omit(inst, mask);
	inst.partial = (...args) => partial(ZodOptional, inst, args[0]);
	inst.required = (...args) => required(ZodNonOptional, inst, args[0]);
});
function object(shape, params) {
	return new ZodObject({
		type: "object",
		get shape() {
			assignProp(this, "shape", { ...shape });
			return this.shape;
		},
		...normalizeParams(params)
	});
}
function strictObject(shape, params) {
	return new ZodObject({
		type: "object",
		get shape() {
			assignProp(this, "shape", { ...shape });
			return this.shape;
		},
		catchall: never(),
		...normalizeParams(params)
	});
}
function looseObject(shape, params) {
	return new ZodObject({
		type: "object",
		get shape() {
			assignProp(this, "shape", { ...shape });
			return this.shape;
		},
		catchall: unknown(),
		...normalizeParams(params)
	});
}
var ZodUnion = /*@__PURE__*/ $constructor("ZodUnion", (inst, def) => {
	$ZodUnion.init(inst, def);
	ZodType.init(inst, def);
	inst.options = def.options;
});
function union(options, params) {
	return new ZodUnion({
		type: "union",
		options,
		...normalizeParams(params)
	});
}
var ZodDiscriminatedUnion = /*@__PURE__*/ $constructor("ZodDiscriminatedUnion", (inst, def) => {
	ZodUnion.init(inst, def);
	$ZodDiscriminatedUnion.init(inst, def);
});
function discriminatedUnion(discriminator, options, params) {
	return new ZodDiscriminatedUnion({
		type: "union",
		options,
		discriminator,
		...normalizeParams(params)
	});
}
var ZodIntersection = /*@__PURE__*/ $constructor("ZodIntersection", (inst, def) => {
	$ZodIntersection.init(inst, def);
	ZodType.init(inst, def);
});
function intersection(left, right) {
	return new ZodIntersection({
		type: "intersection",
		left,
		right
	});
}
var ZodRecord = /*@__PURE__*/ $constructor("ZodRecord", (inst, def) => {
	$ZodRecord.init(inst, def);
	ZodType.init(inst, def);
	inst.keyType = def.keyType;
	inst.valueType = def.valueType;
});
function record(keyType, valueType, params) {
	return new ZodRecord({
		type: "record",
		keyType,
		valueType,
		...normalizeParams(params)
	});
}
var ZodEnum = /*@__PURE__*/ $constructor("ZodEnum", (inst, def) => {
	$ZodEnum.init(inst, def);
	ZodType.init(inst, def);
	inst.enum = def.entries;
	inst.options = Object.values(def.entries);
	const keys = new Set(Object.keys(def.entries));
	inst.extract = (values, params) => {
		const newEntries = {};
		for (const value of values) if (keys.has(value)) newEntries[value] = def.entries[value];
		else throw new Error(`Key ${value} not found in enum`);
		return new ZodEnum({
			...def,
			checks: [],
			...normalizeParams(params),
			entries: newEntries
		});
	};
	inst.exclude = (values, params) => {
		const newEntries = { ...def.entries };
		for (const value of values) if (keys.has(value)) delete newEntries[value];
		else throw new Error(`Key ${value} not found in enum`);
		return new ZodEnum({
			...def,
			checks: [],
			...normalizeParams(params),
			entries: newEntries
		});
	};
});
function _enum(values, params) {
	return new ZodEnum({
		type: "enum",
		entries: Array.isArray(values) ? Object.fromEntries(values.map((v) => [v, v])) : values,
		...normalizeParams(params)
	});
}
var ZodLiteral = /*@__PURE__*/ $constructor("ZodLiteral", (inst, def) => {
	$ZodLiteral.init(inst, def);
	ZodType.init(inst, def);
	inst.values = new Set(def.values);
	Object.defineProperty(inst, "value", { get() {
		if (def.values.length > 1) throw new Error("This schema contains multiple valid literal values. Use `.values` instead.");
		return def.values[0];
	} });
});
function literal(value, params) {
	return new ZodLiteral({
		type: "literal",
		values: Array.isArray(value) ? value : [value],
		...normalizeParams(params)
	});
}
var ZodTransform = /*@__PURE__*/ $constructor("ZodTransform", (inst, def) => {
	$ZodTransform.init(inst, def);
	ZodType.init(inst, def);
	inst._zod.parse = (payload, _ctx) => {
		payload.addIssue = (issue$2) => {
			if (typeof issue$2 === "string") payload.issues.push(issue(issue$2, payload.value, def));
			else {
				const _issue = issue$2;
				if (_issue.fatal) _issue.continue = false;
				_issue.code ?? (_issue.code = "custom");
				_issue.input ?? (_issue.input = payload.value);
				_issue.inst ?? (_issue.inst = inst);
				_issue.continue ?? (_issue.continue = true);
				payload.issues.push(issue(_issue));
			}
		};
		const output = def.transform(payload.value, payload);
		if (output instanceof Promise) return output.then((output) => {
			payload.value = output;
			return payload;
		});
		payload.value = output;
		return payload;
	};
});
function transform(fn) {
	return new ZodTransform({
		type: "transform",
		transform: fn
	});
}
var ZodOptional = /*@__PURE__*/ $constructor("ZodOptional", (inst, def) => {
	$ZodOptional.init(inst, def);
	ZodType.init(inst, def);
	inst.unwrap = () => inst._zod.def.innerType;
});
function optional(innerType) {
	return new ZodOptional({
		type: "optional",
		innerType
	});
}
var ZodNullable = /*@__PURE__*/ $constructor("ZodNullable", (inst, def) => {
	$ZodNullable.init(inst, def);
	ZodType.init(inst, def);
	inst.unwrap = () => inst._zod.def.innerType;
});
function nullable(innerType) {
	return new ZodNullable({
		type: "nullable",
		innerType
	});
}
var ZodDefault = /*@__PURE__*/ $constructor("ZodDefault", (inst, def) => {
	$ZodDefault.init(inst, def);
	ZodType.init(inst, def);
	inst.unwrap = () => inst._zod.def.innerType;
	inst.removeDefault = inst.unwrap;
});
function _default(innerType, defaultValue) {
	return new ZodDefault({
		type: "default",
		innerType,
		get defaultValue() {
			return typeof defaultValue === "function" ? defaultValue() : defaultValue;
		}
	});
}
var ZodPrefault = /*@__PURE__*/ $constructor("ZodPrefault", (inst, def) => {
	$ZodPrefault.init(inst, def);
	ZodType.init(inst, def);
	inst.unwrap = () => inst._zod.def.innerType;
});
function prefault(innerType, defaultValue) {
	return new ZodPrefault({
		type: "prefault",
		innerType,
		get defaultValue() {
			return typeof defaultValue === "function" ? defaultValue() : defaultValue;
		}
	});
}
var ZodNonOptional = /*@__PURE__*/ $constructor("ZodNonOptional", (inst, def) => {
	$ZodNonOptional.init(inst, def);
	ZodType.init(inst, def);
	inst.unwrap = () => inst._zod.def.innerType;
});
function nonoptional(innerType, params) {
	return new ZodNonOptional({
		type: "nonoptional",
		innerType,
		...normalizeParams(params)
	});
}
var ZodCatch = /*@__PURE__*/ $constructor("ZodCatch", (inst, def) => {
	$ZodCatch.init(inst, def);
	ZodType.init(inst, def);
	inst.unwrap = () => inst._zod.def.innerType;
	inst.removeCatch = inst.unwrap;
});
function _catch(innerType, catchValue) {
	return new ZodCatch({
		type: "catch",
		innerType,
		catchValue: typeof catchValue === "function" ? catchValue : () => catchValue
	});
}
var ZodPipe = /*@__PURE__*/ $constructor("ZodPipe", (inst, def) => {
	$ZodPipe.init(inst, def);
	ZodType.init(inst, def);
	inst.in = def.in;
	inst.out = def.out;
});
function pipe(in_, out) {
	return new ZodPipe({
		type: "pipe",
		in: in_,
		out
	});
}
var ZodReadonly = /*@__PURE__*/ $constructor("ZodReadonly", (inst, def) => {
	$ZodReadonly.init(inst, def);
	ZodType.init(inst, def);
});
function readonly(innerType) {
	return new ZodReadonly({
		type: "readonly",
		innerType
	});
}
var ZodCustom = /*@__PURE__*/ $constructor("ZodCustom", (inst, def) => {
	$ZodCustom.init(inst, def);
	ZodType.init(inst, def);
});
function check(fn) {
	const ch = new $ZodCheck({ check: "custom" });
	ch._zod.check = fn;
	return ch;
}
function refine(fn, _params = {}) {
	return _refine(ZodCustom, fn, _params);
}
function superRefine(fn) {
	const ch = check((payload) => {
		payload.addIssue = (issue$1) => {
			if (typeof issue$1 === "string") payload.issues.push(issue(issue$1, payload.value, ch._zod.def));
			else {
				const _issue = issue$1;
				if (_issue.fatal) _issue.continue = false;
				_issue.code ?? (_issue.code = "custom");
				_issue.input ?? (_issue.input = payload.value);
				_issue.inst ?? (_issue.inst = ch);
				_issue.continue ?? (_issue.continue = !ch._zod.def.abort);
				payload.issues.push(issue(_issue));
			}
		};
		return fn(payload.value, payload);
	});
	return ch;
}
function preprocess(fn, schema) {
	return pipe(transform(fn), schema);
}
// node_modules/zod/v4/classic/coerce.js
function number(params) {
	return _coercedNumber(ZodNumber, params);
}
// shared/protocol/context.ts
/** Contexts on the wire: entries, usage, storage info, summaries, and the bodies that create and fill them. */
var PassBySchema = _enum(["val", "ref"]);
var TierSchema = _enum([
	"ram",
	"disk",
	"redis"
]);
var ValueKindSchema = _enum([
	"string",
	"number",
	"boolean",
	"json",
	"image",
	"mask",
	"latent",
	"ref"
]);
/** One entry of a context, as receipts.json records it. */
var EntryMetaSchema = object({
	key: string(),
	comfyType: string(),
	passBy: PassBySchema,
	kind: ValueKindSchema,
	tier: TierSchema,
	sizeBytes: number$1(),
	hash: string(),
	version: number$1(),
	/** The run that produced it, or "user" for direct saves. */
	producer: string(),
	updatedAt: string(),
	/** File of this version on disk, if written. */
	file: string().optional()
});
/** `get_usage()`, with the original's field names. */
var UsageSchema = object({
	ram_usage_gb: number$1(),
	ram_capacity_gb: number$1(),
	temp_disk_usage_mb: number$1(),
	stored_keys_count: number$1(),
	ram_usage_bytes: number$1(),
	ram_capacity_bytes: number$1(),
	disk_usage_bytes: number$1()
});
object({
	key: string(),
	storage_type: TierSchema,
	size: number$1(),
	pass_by: PassBySchema,
	comfy_type: string(),
	kind: ValueKindSchema,
	version: number$1(),
	hash: string(),
	producer: string(),
	updated_at: string(),
	path: string().optional()
});
/** A workflow run committed into a context. */
var CommittedRunSchema = object({
	runId: string(),
	status: literal("committed"),
	read: array(string()),
	wrote: array(string()),
	at: string()
});
var ContextSummarySchema = object({
	id: string(),
	name: string().optional(),
	durable: boolean(),
	keys: number$1(),
	usage: UsageSchema
});
/** `GET /api/contexts/:id/keys`: each entry, where its value is now, and a line about it when it is in RAM. */
var KeyEntrySchema = EntryMetaSchema.extend({
	storageType: TierSchema,
	summary: string().optional()
});
ContextSummarySchema.extend({
	entries: array(EntryMetaSchema),
	runs: array(CommittedRunSchema)
});
/** `POST /api/contexts`. */
var CreateContextBodySchema = strictObject({
	id: string().optional(),
	name: string().max(200).optional(),
	durable: boolean().optional()
});
strictObject({ name: string().trim().min(1, "a name has at least one character").max(200) });
/** A ComfyUI type name: a short word (IMAGE, INT, MY_TYPE...). */
var ComfyTypeSchema = string().regex(/^[A-Za-z0-9_*]{1,64}$/, "a ComfyUI type is a word of letters, digits and _ (at most 64)");
/** `PUT /api/contexts/:id/values/:key` with a JSON body (raw PNG / .latent bytes are the other form). */
var PutValueBodySchema = strictObject({
	/** A plain value, or a context value in its JSON form (bytes as {"$bytes": base64}). */
	value: unknown(),
	comfyType: ComfyTypeSchema.optional(),
	passBy: PassBySchema.optional()
});
object({
	ok: boolean(),
	service: literal("discomfort-bridge"),
	version: string(),
	comfy: object({
		url: string(),
		reachable: boolean(),
		version: string().optional(),
		error: string().optional()
	}),
	contexts: number$1()
});
// shared/protocol/limits.ts
/** The largest things the wire takes (loads nothing: clients use them). */
/** The largest `iterations` of one run: longer is a sweep, not a loop. */
var MAX_ITERATIONS = 1e5;
/** The most items one sweep may have. */
var MAX_SWEEP_ITEMS = 1e5;
// shared/protocol/runs.ts
/** Runs on the wire: the submit body, the events a run emits, and how a run is shown. */
/** Why a run failed: the error's class name, its stable code and its message. */
var RunFailureSchema = object({
	name: string(),
	code: string(),
	message: string(),
	/** What went wrong underneath, when the failure wraps it (e.g. `comfy_validation`, `comfy_lost`): its class and stable code. */
	cause: object({
		name: string(),
		code: string()
	}).optional()
});
var base = { runId: string() };
var at = {
	...base,
	workflow: string(),
	iteration: number$1(),
	step: number$1()
};
var RunEventSchema = discriminatedUnion("type", [
	object({
		type: literal("run-started"),
		...base,
		contextId: string(),
		workflows: array(string()),
		iterations: number$1(),
		totalSteps: number$1()
	}),
	object({
		type: literal("workflow-started"),
		...at,
		index: number$1(),
		totalSteps: number$1(),
		nodes: number$1(),
		/** The pool's server it went to. */
		server: string().optional()
	}),
	object({
		type: literal("node"),
		...at,
		node: string(),
		title: string(),
		done: number$1(),
		total: number$1()
	}),
	object({
		type: literal("progress"),
		...at,
		node: string(),
		title: string(),
		value: number$1(),
		max: number$1()
	}),
	object({
		type: literal("workflow-finished"),
		...at,
		index: number$1(),
		totalSteps: number$1(),
		executed: number$1(),
		cached: number$1(),
		wrote: array(string()),
		/**
		* What ComfyUI's own output nodes wrote (SaveImage's files...), as its history gives them
		* (node id → its `ui`), on which server and for which prompt: the v2 jobs' outputs come from here.
		*/
		comfy: object({
			server: string(),
			promptId: string(),
			outputs: record(string(), record(string(), unknown()))
		}).optional()
	}),
	object({
		type: literal("workflow-resubmitted"),
		...at,
		index: number$1(),
		attempt: number$1(),
		reason: string()
	}),
	object({
		type: literal("run-finished"),
		...base,
		outputs: array(string())
	}),
	object({
		type: literal("run-failed"),
		...base,
		error: RunFailureSchema
	})
]);
var RunStatusSchema = _enum([
	"queued",
	"running",
	"succeeded",
	"failed",
	"cancelled"
]);
/** A run that is queued or running: it has not ended yet. */
var runIsOpen = (status) => status === "queued" || status === "running";
var RunProgressSchema = object({
	step: number$1(),
	totalSteps: number$1(),
	workflow: string().optional(),
	iteration: number$1().optional()
});
/** A run as `/api/runs` and the WebSocket hub show it. */
var RunViewSchema = object({
	id: string(),
	status: RunStatusSchema,
	source: _enum(["script", "page"]),
	contextId: string(),
	workflows: array(string()),
	iterations: number$1(),
	createdAt: string(),
	finishedAt: string().optional(),
	error: RunFailureSchema.optional(),
	/** The OUTPUT keys the run wrote. */
	outputs: array(string()).optional(),
	progress: RunProgressSchema,
	events: array(RunEventSchema).optional(),
	/** The bridge still has what it takes to run it again (`POST /api/runs/:id/rerun`). */
	rerunnable: boolean().optional(),
	/** How many times a prompt of it was submitted again after ComfyUI lost it (a restart). */
	resubmitted: number$1().optional()
});
/** A workflow sent over HTTP: its name and its content (UI or API format); never a path. */
var NamedWorkflowSchema = object({
	name: string().min(1).max(500),
	workflow: record(string(), unknown())
}, { error: "a workflow is {\"name\": ..., \"workflow\": {...}} with its content, never a path (the bridge does not read files named by HTTP clients)" });
/**
* What a run is asked to do: the one declaration of a run. Every edge
* (HTTP, CLI, TypeScript client, page rerun, the Redis queue between
* bridges) builds one and hands it on whole to the runner; adding an option
* is one line here plus its use.
*/
var RunSpecSchema = strictObject({
	workflows: array(NamedWorkflowSchema).min(1, "give at least one workflow").max(100),
	/** The context to run in; a new one (removed afterwards) when absent. */
	context: string().optional(),
	/** Values for INPUT ports, saved before the first workflow runs (bytes as {"$bytes": base64}, or raw in the envelope). */
	inputs: record(string(), unknown()).optional(),
	/** Run the whole list this many times, each iteration reading what the last one wrote. */
	iterations: number$1().int().min(1).max(MAX_ITERATIONS, `at most ${MAX_ITERATIONS}; for more, submit several runs`).optional(),
	/** Join the workflows into one prompt (INPUTs linked to earlier OUTPUTs of the same key). */
	stitch: boolean().optional(),
	/** Pass-by for OUTPUT keys, over the rules (e.g. {"base": "ref"} keeps a costly image as a recipe). */
	passBy: record(string(), PassBySchema).optional(),
	/** OUTPUT keys the caller will read: a run whose workflows lack one fails before anything runs. */
	expectOutputs: array(string()).max(1e3).optional(),
	/** Queue for this ComfyUI client id, so its page shows the progress. */
	clientId: string().max(200).optional(),
	/**
	* How many times a workflow whose prompt ComfyUI lost (it restarted before
	* saying it was done) is submitted again (default 2; 0: the run fails).
	* Nothing is committed until ComfyUI says a prompt is done, so nothing is committed twice.
	*/
	resubmitLost: number$1().int().min(0).max(10).optional()
});
object({
	limit: number().int().min(1).max(1e3).optional(),
	before: datetime({ error: "before is a run's createdAt, e.g. 2026-11-29T06:52:51.000Z" }).optional()
});
var RerunBodySchema = strictObject({ 
/** A page's ComfyUI client id, so that page shows the progress. */
clientId: RunSpecSchema.shape.clientId });
/** `POST /api/queue`: what the extension sends when the page queues a graph with ports. */
var QueueBodySchema = object({
	prompt: record(string(), unknown()),
	contextId: string().optional(),
	clientId: string().optional(),
	/** ComfyUI's `extra_data` of the page's queue request (the workflow for its history), passed on as is. */
	extraData: record(string(), unknown()).optional(),
	front: boolean().optional(),
	/** The name of the page's workflow (its tab), which the run is listed under. */
	name: string().trim().min(1).max(500).optional()
});
object({
	prompt_id: string().optional(),
	number: number$1().optional(),
	node_errors: record(string(), unknown()).optional(),
	error: object({
		type: string(),
		message: string(),
		details: string(),
		extra_info: record(string(), unknown())
	}).optional(),
	discomfort: object({
		runId: string(),
		contextId: string()
	}).optional()
});
object({
	runId: string(),
	workflows: array(object({
		name: string(),
		format: _enum(["ui", "api"]),
		workflow: record(string(), unknown())
	}))
});
object({
	workflow: record(string(), unknown()),
	name: string().optional()
});
// shared/protocol/sweeps.ts
/**
* Sweeps: many runs of the same workflows, each with its own input values,
* recorded in the bridge's ledger before they are acknowledged.
*/
var Value = union([
	string(),
	number$1(),
	boolean()
]);
/** One item's inputs: key → value. */
var ItemInputsSchema = record(string(), Value);
/**
* What a sweep is asked to do, the one declaration of a sweep (`POST /api/sweeps`, the CLI, the client).
* Items: `vary` (a cartesian product over `base`) or `items` (input sets), not both.
*/
var SweepSpecSchema = strictObject({
	workflows: array(NamedWorkflowSchema).min(1, "give at least one workflow").max(100),
	/** The master context the items read (through their own receipts); none: an empty one. */
	context: string().optional(),
	/** Inputs every item gets. */
	base: ItemInputsSchema.optional(),
	/** Key → the values to try; the items are every combination, in order (the last key varies fastest). */
	vary: record(string(), array(Value).min(1).max(MAX_SWEEP_ITEMS)).optional(),
	/** Input sets, one item each. */
	items: array(ItemInputsSchema).min(1).max(MAX_SWEEP_ITEMS).optional(),
	/** Items in flight at once (default: four times the pool's slots plus 16, so it can choose by affinity). */
	concurrency: number$1().int().min(1).max(1e4).optional(),
	/** Attempts per item on different servers when a server fails under it (default 3). */
	attempts: number$1().int().min(1).max(10).optional(),
	/** Also commit each item's outputs into the master context, as `<key>.<item number>`. */
	commitToContext: boolean().optional(),
	label: string().max(200).optional()
}).refine((b) => (b.vary ? 1 : 0) + (b.items ? 1 : 0) === 1, { message: "give either \"vary\" (values per key) or \"items\" (input sets)" });
var ItemStatusSchema = _enum([
	"pending",
	"running",
	"done",
	"failed"
]);
/** An output of an item: the key, its kind, and the file it is stored in (under the sweep's folder). */
var ItemOutputSchema = object({
	key: string(),
	kind: string(),
	file: string(),
	bytes: number$1(),
	/** The value itself, for a plain one of at most INLINE_OUTPUT_BYTES: the file holds its JSON, no need to fetch it. */
	value: unknown().optional()
});
var SweepItemSchema = object({
	sweepId: string(),
	index: number$1(),
	status: ItemStatusSchema,
	inputs: ItemInputsSchema,
	attempts: number$1(),
	server: string().optional(),
	/** Why that server (affinity or load). */
	reason: string().optional(),
	outputs: array(ItemOutputSchema).optional(),
	error: RunFailureSchema.optional(),
	/** Each failed attempt: on which server, and why. */
	failures: array(object({
		server: string(),
		error: RunFailureSchema
	})).optional(),
	startedAt: string().optional(),
	finishedAt: string().optional()
});
var SweepStatusSchema = _enum([
	"running",
	"finished",
	"cancelled"
]);
var SweepViewSchema = object({
	id: string(),
	label: string().optional(),
	status: SweepStatusSchema,
	contextId: string(),
	workflows: array(string()),
	total: number$1(),
	done: number$1(),
	failed: number$1(),
	running: number$1(),
	createdAt: string(),
	finishedAt: string().optional(),
	/** Where its outputs and manifest.jsonl are, on the bridge's machine. */
	folder: string()
});
discriminatedUnion("type", [object({
	type: literal("item"),
	item: SweepItemSchema
}), object({
	type: literal("sweep"),
	sweep: SweepViewSchema
})]);
discriminatedUnion("type", [
	object({
		type: literal("hello"),
		contexts: array(ContextSummarySchema),
		runs: array(RunViewSchema),
		/** The latest sweeps (running ones first). */
		sweeps: array(SweepViewSchema).optional()
	}),
	object({
		type: literal("sweep"),
		sweep: SweepViewSchema
	}),
	object({
		type: literal("run-event"),
		run: RunViewSchema,
		event: RunEventSchema
	}),
	object({
		type: literal("context-changed"),
		context: ContextSummarySchema,
		keys: array(string()),
		deleted: boolean().optional(),
		closed: boolean().optional()
	})
]);
// shared/protocol/envelope.ts
var runtime = globalThis;
new runtime.TextEncoder(), new runtime.TextDecoder();
// shared/protocol/casing.ts
/**
* The wire is camelCase. Bodies written for 0.1 of the API used snake_case
* for some fields (`pass_by`, `client_id`, `max_queued`...): their top-level
* keys are still read, as the camelCase field of the same name. Only the top
* level: the values under them (workflows, inputs) are the caller's own data.
*/
var camel = (key) => key.replace(/_([a-z])/g, (_m, c) => c.toUpperCase());
/** An object's snake_case keys as camelCase (a camelCase key given as well wins). */
function camelCaseKeys(body) {
	if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
	const entries = Object.entries(body);
	if (!entries.some(([k]) => k.includes("_"))) return body;
	const out = {};
	for (const [k, v] of entries) if (!k.includes("_")) out[k] = v;
	for (const [k, v] of entries) if (k.includes("_") && !(camel(k) in out)) out[camel(k)] = v;
	return out;
}
/** A body schema that also reads the snake_case spellings of its fields. */
var readingSnakeCase = (schema) => preprocess(camelCaseKeys, schema);
// shared/protocol/pool.ts
/** The ComfyUI servers behind a bridge, as `/api/servers` shows and takes them. */
var ServerSpecSchema = strictObject({
	url: url({
		protocol: /^https?$/,
		error: "a ComfyUI address such as http://127.0.0.1:8188"
	}),
	label: string().min(1).max(100).optional(),
	weight: number$1().positive().max(1e3).optional(),
	/** Prompts it may hold queued or running at once (default 1). */
	maxQueued: number$1().int().min(1).max(64).optional()
});
/** A pool file (`--pool FILE`): the servers, in order. */
var PoolFileSchema = strictObject({ servers: array(readingSnakeCase(ServerSpecSchema)).min(1).max(1e3) });
var ServerInfoSchema = object({
	url: string(),
	label: string(),
	weight: number$1(),
	maxQueued: number$1(),
	/** false: it stopped answering; it is probed and taken back when it answers. */
	up: boolean(),
	/** Paused: it is given no new prompt (those it has go on) until resumed. */
	paused: boolean(),
	inflight: number$1(),
	runs: number$1(),
	failures: number$1(),
	/** What its last prompt loaded (the affinity keys its cache holds). */
	holds: array(string()),
	lastError: string().optional()
});
({ ...routePaths.health }), { ...routePaths.listContexts }, array(ContextSummarySchema), { ...routePaths.createContext }, readingSnakeCase(CreateContextBodySchema), { ...routePaths.context }, { ...routePaths.updateContext }, { ...routePaths.closeContext }, { ...routePaths.makeDurable }, { ...routePaths.usage }, { ...routePaths.receipts }, { ...routePaths.keys }, array(KeyEntrySchema), { ...routePaths.storageInfo }, { ...routePaths.value }, { ...routePaths.thumbnail }, { ...routePaths.saveValue }, readingSnakeCase(PutValueBodySchema), { ...routePaths.deleteValue }, { ...routePaths.listRuns }, array(RunViewSchema), { ...routePaths.submitRun }, readingSnakeCase(RunSpecSchema), { ...routePaths.run }, { ...routePaths.rerun }, readingSnakeCase(RerunBodySchema), { ...routePaths.cancelRun }, { ...routePaths.runResult }, { ...routePaths.runWorkflows }, { ...routePaths.runEvents }, { ...routePaths.listSweeps }, array(SweepViewSchema), { ...routePaths.submitSweep }, readingSnakeCase(SweepSpecSchema), { ...routePaths.sweep }, { ...routePaths.sweepItems }, array(SweepItemSchema), { ...routePaths.cancelSweep }, { ...routePaths.sweepFile }, { ...routePaths.sweepEvents }, { ...routePaths.listServers }, array(ServerInfoSchema), { ...routePaths.addServers }, union([readingSnakeCase(ServerSpecSchema), PoolFileSchema]), array(ServerInfoSchema), { ...routePaths.removeServer }, array(ServerInfoSchema), { ...routePaths.pauseServer }, array(ServerInfoSchema), { ...routePaths.resumeServer }, array(ServerInfoSchema), { ...routePaths.pausePool }, array(ServerInfoSchema), { ...routePaths.resumePool }, array(ServerInfoSchema), { ...routePaths.convert }, { ...routePaths.queue }, readingSnakeCase(QueueBodySchema), { ...routePaths.hub };
object({ error: looseObject({
	type: string(),
	message: string()
}) });
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
		className: "p-button p-component p-button-sm"
	});
	save.setAttribute("data-testid", "discomfort-save-value");
	const file = Object.assign(document.createElement("input"), {
		type: "file",
		accept: ".png,.latent,image/png",
		multiple: true
	});
	file.hidden = true;
	file.setAttribute("data-testid", "discomfort-upload");
	const choose = Object.assign(document.createElement("button"), {
		className: "text p-button p-component p-button-sm p-button-secondary",
		title: "Store PNG images (IMAGE, or MASK) and ComfyUI .latent files, each under its file name"
	});
	choose.append(Object.assign(document.createElement("i"), { className: "pi pi-upload" }), " Upload files…");
	choose.onclick = () => file.click();
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
	element.append(row(key, kind), row(value, save), row(choose, maskLabel, file), Object.assign(document.createElement("div"), {
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
* The "Discomfort" sidebar tab, laid out as ComfyUI's own tabs are (a header
* with the title and icon buttons, compact rows with icons, actions on the
* row): bridge status, the contexts (new, rename, keep, delete), for the
* selected one its keys (type, pass-by, tier, size, last update, thumbnails),
* RAM and disk usage, and the sweeps and runs, each run named after its
* workflow, with a status icon, and its workflow one click from the canvas;
* and, when the bridge drives several ComfyUI servers (or its one is paused or
* down), each server with its state, its load, and pause and resume.
* Questions go through the frontend's own dialogs, news through its toasts.
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
.discomfort .header { display: flex; align-items: center; justify-content: space-between; gap: 8px; min-height: 32px; border-bottom: 1px solid var(--border-color); padding-bottom: 4px; }
.discomfort .header .title { font-weight: bold; text-transform: uppercase; white-space: nowrap; }
.discomfort .tools { display: flex; gap: 2px; }
.discomfort .status { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; color: var(--descrip-text); }
.discomfort .status.down { white-space: normal; overflow-wrap: anywhere; line-height: 1.4; color: var(--fg-color); }
.discomfort button.icon { display: inline-flex; align-items: center; justify-content: center; width: 24px; height: 24px; padding: 0; margin: 0;
  border: none; border-radius: 4px; background: none; color: var(--descrip-text); flex: none; box-shadow: none; }
.discomfort button.icon:hover, .discomfort button.icon:focus-visible { color: var(--fg-color); background: var(--content-hover-bg, var(--comfy-menu-secondary-bg)); }
.discomfort button.icon .pi { font-size: 12px; }
.discomfort button.text { display: inline-flex; align-items: center; gap: 4px; }
.discomfort .list { display: flex; flex-direction: column; gap: 1px; }
.discomfort .list.contexts { max-height: 168px; overflow-y: auto; }
.discomfort .item { display: flex; align-items: center; gap: 6px; min-height: 28px; padding: 0 4px 0 6px; border-radius: 4px; cursor: pointer; min-width: 0; }
.discomfort .item:hover { background: var(--content-hover-bg, var(--comfy-menu-secondary-bg)); }
.discomfort .item.selected { background: var(--comfy-menu-secondary-bg); }
.discomfort .item > .pi { flex: none; width: 14px; text-align: center; color: var(--descrip-text); font-size: 12px; }
.discomfort .item .name { flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort .item .meta { flex: none; color: var(--descrip-text); white-space: nowrap; font-variant-numeric: tabular-nums; }
.discomfort .item .actions { display: flex; flex: none; visibility: hidden; }
.discomfort .item:hover .actions, .discomfort .item.selected .actions, .discomfort .item:focus-within .actions { visibility: visible; }
.discomfort .item.succeeded > .pi { color: var(--fg-color); }
.discomfort .item.failed > .pi, .discomfort .item.failed .meta { color: var(--error-text, #f44336); }
.discomfort .item.running > .pi, .discomfort .item.queued > .pi { color: var(--p-primary-color, var(--fg-color)); }
.discomfort .item + .bar { margin: 0 6px 2px 26px; height: 3px; }
.discomfort .status.up::before { content: '● '; color: var(--p-green-500, #4caf50); }
.discomfort .status.down::before, .discomfort .status.connecting::before { content: '● '; color: var(--error-text, #f44336); }
.discomfort h3 { margin: 4px 0 0; font-size: 12px; font-weight: bold; color: var(--descrip-text); text-transform: uppercase; }
.discomfort select, .discomfort input:not([type=checkbox]):not([type=file]), .discomfort button {
  background: var(--comfy-input-bg); color: var(--input-text, var(--fg-color)); border: 1px solid var(--border-color);
  border-radius: 4px; font-size: 12px; padding: 3px 6px; min-width: 0; }
.discomfort button { cursor: pointer; white-space: nowrap; }
.discomfort button:hover { background: var(--content-hover-bg, var(--comfy-menu-secondary-bg)); }
.discomfort input[type=file] { min-width: 0; max-width: 100%; color: var(--descrip-text); }
.discomfort table { width: 100%; table-layout: fixed; border-collapse: collapse; }
/* The type, size and actions take what they need; the key and the value share the rest (the whole row is in its tooltip). */
.discomfort col.type { width: 58px; } .discomfort col.size { width: 50px; } .discomfort col.act { width: 44px; }
/* A narrow sidebar (1.25's default) gives the key and the value the size column's room (the size is in the row's tooltip). */
.discomfort { container-type: inline-size; }
@container (max-width: 250px) { .discomfort col.size, .discomfort .size { display: none; } }
.discomfort td.act { text-overflow: clip; }
.discomfort td, .discomfort th { border-bottom: 1px solid var(--border-color); padding: 2px 4px; text-align: left;
  vertical-align: middle; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort th { color: var(--descrip-text); font-weight: normal; }
.discomfort tr:nth-child(even) td { background: var(--tr-even-bg-color, transparent); }
.discomfort img.thumb { max-width: 40px; max-height: 32px; image-rendering: pixelated; vertical-align: middle; }
.discomfort td.act { padding: 0; }
.discomfort td.act a { display: inline-flex; align-items: center; justify-content: center; width: 20px; height: 20px; color: var(--descrip-text); text-decoration: none; vertical-align: middle; }
.discomfort td.act a:hover { color: var(--fg-color); }
.discomfort td.act button.icon { width: 20px; height: 20px; vertical-align: middle; }
.discomfort .bar { height: 6px; background: var(--comfy-input-bg); border-radius: 3px; overflow: hidden; }
.discomfort .bar > div { height: 100%; background: var(--p-primary-color, #4a90e2); }
.discomfort .muted { color: var(--descrip-text); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.discomfort .usage { display: grid; grid-template-columns: auto 1fr; align-items: center; gap: 2px 8px; color: var(--descrip-text); }
.discomfort .usage span { white-space: nowrap; }
.discomfort .filter { width: 100%; }
.discomfort .value-form { display: flex; flex-direction: column; gap: 4px; }
.discomfort .value-form .row { display: flex; gap: 4px; align-items: center; min-width: 0; }
.discomfort .value-form input:not([type]) { flex: 1; min-width: 0; }
.discomfort .value-form .hint { color: var(--descrip-text); }
.discomfort .value-form .message { color: var(--descrip-text); overflow-wrap: anywhere; }
.discomfort .value-form .message.bad { color: var(--error-text, #f44336); }
.discomfort.dropping { outline: 2px dashed var(--p-primary-color, #4a90e2); outline-offset: -4px; }
.discomfort td.editable { cursor: pointer; text-decoration: underline dotted; }
.discomfort .keys-head, .discomfort .servers-head { display: flex; align-items: center; justify-content: space-between; gap: 4px; }
.discomfort .toggle { display: flex; gap: 2px; }
.discomfort .toggle button[aria-pressed=true] { color: var(--fg-color); background: var(--comfy-menu-secondary-bg); }
.discomfort .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(88px, 1fr)); gap: 6px; }
.discomfort .gallery a { display: flex; flex-direction: column; gap: 2px; min-width: 0; color: var(--descrip-text); text-decoration: none; }
.discomfort .gallery img { width: 100%; aspect-ratio: 1; object-fit: contain; background: var(--comfy-input-bg); border: 1px solid var(--border-color); border-radius: 4px; image-rendering: pixelated; }
.discomfort .gallery span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
/* Servers: a state icon, the label, prompts held of those it may hold, and pause or resume (always shown on a paused one). */
.discomfort .list.servers { max-height: 168px; overflow-y: auto; }
.discomfort .item.server { cursor: default; }
.discomfort .item.server.up > .pi { color: var(--p-green-500, #4caf50); }
.discomfort .item.server.paused > .pi { color: var(--fg-color); }
.discomfort .item.server.down > .pi, .discomfort .item.server.down .meta { color: var(--error-text, #f44336); }
.discomfort .item.server.paused .actions { visibility: visible; }
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
/** A PrimeIcons glyph (the icon font every supported frontend loads). */
var icon = (name) => el("i", { className: `pi pi-${name}` });
/** A small icon button as the frontend's own panels have them, with its tooltip; `testId` for the tests. */
function iconButton(name, title, onclick, testId) {
	const b = el("button", {
		className: "icon p-button p-component p-button-icon-only p-button-text p-button-secondary",
		title
	}, icon(name));
	b.setAttribute("aria-label", title);
	b.onclick = (e) => {
		e.stopPropagation();
		onclick(e);
	};
	if (testId) b.setAttribute("data-testid", testId);
	return b;
}
var bar = (used, capacity) => {
	const pct = capacity > 0 ? Math.min(100, used / capacity * 100) : 0;
	const inner = el("div");
	inner.style.width = `${pct}%`;
	return el("div", {
		className: "bar",
		title: `${formatBytes(used)} of ${formatBytes(capacity)}`
	}, inner);
};
function renderSidebar(root, store, ui) {
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
	const page = ui;
	const keys = {
		filter: el("input", {
			className: "filter p-inputtext",
			placeholder: "Filter keys…"
		}),
		limit: PAGE,
		mode: "list"
	};
	keys.filter.setAttribute("data-testid", "discomfort-filter");
	keys.filter.oninput = () => {
		keys.limit = PAGE;
		draw(store.state);
	};
	const draw = (s) => {
		container.replaceChildren(...view(s, {
			store,
			form,
			ui: page,
			view: keys,
			redraw: () => draw(store.state)
		}));
	};
	const off = store.subscribe(draw);
	if (store.state.status === "up") store.refreshEntries();
	const unwatch = store.watchServers();
	return () => {
		off();
		unwatch();
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
/** Why the bridge is out of reach, and the one thing to do about it (naming the setting when it is one). */
function downText(s, store) {
	const url = store.client.url;
	if (s.downReason === "token") return `The bridge at ${url} asks for a token: set it in Settings › Discomfort › Bridge token (the one it was started with).`;
	if (store.urlSource === "setting") return `Bridge not reachable at ${url} (Settings › Discomfort › Bridge URL). Start it with "npx discomfort up".`;
	if (store.urlSource === "announced") return `The bridge this ComfyUI announced (${url}) does not answer. Start it again with "npx discomfort up", or set Settings › Discomfort › Bridge URL.`;
	return `No bridge found: none announced itself to this ComfyUI, and none answers at ${url}. Start one with "npx discomfort up", or set Settings › Discomfort › Bridge URL.`;
}
/** Run an action from a button; what goes wrong is said in a toast titled `failing`. */
var act = (p, failing, work) => {
	work().catch((e) => p.ui.toast("error", failing, e.message));
};
function view(s, p) {
	const { store } = p;
	const out = [];
	const statusText = s.status === "up" ? `Bridge connected: ${store.client.url}` : s.status === "down" ? downText(s, store) : "Connecting…";
	const status = el("div", {
		className: `status ${s.status}`,
		title: statusText
	}, statusText);
	status.setAttribute("data-testid", "discomfort-status");
	const tools = el("div", { className: "tools" });
	if (s.status === "up") tools.append(iconButton("plus", "New context", () => newContext(p), "discomfort-new-context"));
	out.push(el("div", { className: "header" }, el("span", { className: "title" }, "Discomfort"), tools), status);
	if (s.status !== "up") return out;
	out.push(...serversSection(s, p));
	out.push(el("h3", {}, `Contexts (${s.contexts.length})`), contextList(s, p));
	const active = s.contexts.find((c) => c.id === s.activeContext);
	if (active) {
		const usage = el("div", { className: "usage" }, el("span", {}, `RAM ${formatBytes(active.usage.ram_usage_bytes)} of ${formatBytes(active.usage.ram_capacity_bytes)}`), bar(active.usage.ram_usage_bytes, active.usage.ram_capacity_bytes), el("span", {}, `Disk ${formatBytes(active.usage.disk_usage_bytes)}`), bar(active.usage.disk_usage_bytes, Math.max(active.usage.disk_usage_bytes, active.usage.ram_capacity_bytes)));
		out.push(usage);
		out.push(...keysSection(s, p, active.id));
	}
	const sweeps = Object.values(s.sweeps).sort((a, b) => Number(b.status === "running") - Number(a.status === "running") || b.createdAt.localeCompare(a.createdAt)).slice(0, 5);
	if (sweeps.length) {
		const list = el("div", { className: "list" });
		list.setAttribute("data-testid", "discomfort-sweeps");
		for (const w of sweeps) {
			const finished = w.done + w.failed;
			const state = w.status === "running" ? "running" : w.failed ? "failed" : w.status === "cancelled" ? "cancelled" : "succeeded";
			const line = el("div", {
				className: `item sweep ${state}`,
				title: `${w.label ?? w.workflows.join(", ")}: ${finished} of ${w.total} finished${w.failed ? `, ${w.failed} failed` : ""}, ${w.status}. ${w.id}: outputs in ${w.folder}`
			}, icon(STATUS_ICONS[state]), el("span", { className: "name" }, w.label ?? w.workflows.join(", ")), el("span", { className: "meta" }, `${finished}/${w.total}${w.failed ? ` · ${w.failed} failed` : ""}`));
			line.setAttribute("data-sweep", w.id);
			list.append(line, bar(finished, w.total || 1));
		}
		out.push(el("h3", {}, "Sweeps"), list);
	}
	const runs = Object.values(s.runs).slice(-10).reverse();
	if (runs.length) {
		const list = el("div", { className: "list" });
		list.setAttribute("data-testid", "discomfort-runs");
		for (const r of runs) {
			const open = p.view.openRun === r.runId;
			const name = runName(r);
			const line = el("div", {
				className: `item run ${r.status}${open ? " selected" : ""}`,
				title: `${name} — ${r.status}${r.source === "page" ? ", from the page" : ", from a script"}, ${new Date(r.createdAt).toLocaleString()}${r.error ? `: ${r.error}` : ""}`
			}, icon(STATUS_ICONS[r.status]), el("span", { className: "name" }, name), ...r.resubmitted ? [el("span", {
				className: "meta resubmitted",
				title: `ComfyUI lost it ${r.resubmitted === 1 ? "once" : `${r.resubmitted} times`} (it restarted); submitted again, committed once`
			}, icon("replay"), ` ${r.resubmitted}`)] : [], el("span", { className: "meta" }, runMeta(r)));
			line.setAttribute("data-run", r.runId);
			line.setAttribute("data-status", r.status);
			line.onclick = () => {
				p.view.openRun = open ? void 0 : r.runId;
				p.view.runMessage = void 0;
				p.redraw();
			};
			list.append(line);
			if (runIsOpen(r.status)) list.append(bar(r.step, r.totalSteps || 1));
			if (open) list.append(runDetails(r, s, p));
		}
		out.push(el("h3", {}, "Runs"), list);
	}
	return out;
}
/** The icon of each run status (PrimeIcons). */
var STATUS_ICONS = {
	queued: "clock",
	running: "spin pi-spinner",
	succeeded: "check",
	failed: "times-circle",
	cancelled: "ban"
};
/** What a run is called: its workflows (the page's tab name for a run from the page). */
var runName = (r) => r.workflows.join(" → ") || r.runId;
/** The short line at a run's right: where it is while open, how long it took once done. */
function runMeta(r) {
	if (r.status === "queued") return "queued";
	if (r.status === "running") return r.nodesTotal ? `${r.nodesDone ?? 0}/${r.nodesTotal} nodes` : `step ${r.step}/${r.totalSteps}`;
	return duration(r.createdAt, r.finishedAt);
}
/** The icon of each server state (PrimeIcons). */
var SERVER_ICONS = {
	up: "check-circle",
	paused: "pause-circle",
	down: "times-circle"
};
/** What a server's tooltip says of what its cache holds (the affinity keys of its last prompt), shortened past a few. */
var holdsText = (holds) => holds.length ? `holds ${holds.slice(0, 6).join(", ")}${holds.length > 6 ? ` and ${holds.length - 6} more` : ""}` : "holds nothing known yet";
/**
* The bridge's ComfyUI servers, one row each: up, paused or down, its label,
* the prompts it holds of those it may, and pause or resume; pause-all and
* resume-all in the header. Shown only when there is something to tell: more
* than one server, or the one there is paused or down (then runs wait, and
* this is where to see why and resume). One server up says nothing the status line does not.
*/
function serversSection(s, p) {
	const servers = s.servers ?? [];
	if (servers.length <= 1 && !servers.some((x) => x.paused || !x.up)) return [];
	const tools = el("div", { className: "tools" });
	if (servers.some((x) => !x.paused)) tools.append(iconButton("pause", "Pause every server: none is given a new prompt until resumed (what they run goes on)", () => act(p, "The servers are not paused", () => p.store.setServerPaused(true)), "discomfort-pause-all"));
	if (servers.some((x) => x.paused)) tools.append(iconButton("play", "Resume every server: waiting prompts are handed out at once", () => act(p, "The servers are not resumed", () => p.store.setServerPaused(false)), "discomfort-resume-all"));
	const list = el("div", { className: "list servers" });
	list.setAttribute("data-testid", "discomfort-servers");
	for (const x of servers) {
		const state = !x.up ? "down" : x.paused ? "paused" : "up";
		const said = (!x.up ? "down: taken out of the pool, and probed until it answers again" : "up") + (x.paused ? ", paused: given no new prompt until resumed (what it has goes on)" : "");
		const toggle = x.paused ? iconButton("play", `Resume ${x.label}: it takes waiting prompts at once`, () => act(p, `"${x.label}" is not resumed`, () => p.store.setServerPaused(false, x.label)), "discomfort-resume-server") : iconButton("pause", `Pause ${x.label}: it is given no new prompt until resumed (what it runs goes on)`, () => act(p, `"${x.label}" is not paused`, () => p.store.setServerPaused(true, x.label)), "discomfort-pause-server");
		const row = el("div", {
			className: `item server ${state}`,
			title: [
				`${x.label} (${x.url}): ${said}`,
				`${x.inflight}/${x.maxQueued} prompts queued or running; ${x.runs} runs, ${x.failures} failed${x.weight !== 1 ? `; weight ${x.weight}` : ""}`,
				holdsText(x.holds),
				...x.lastError ? [`Last error: ${x.lastError}`] : []
			].join("\n")
		}, icon(SERVER_ICONS[state]), el("span", { className: "name" }, x.label), el("span", { className: "meta" }, `${x.inflight}/${x.maxQueued}`), el("span", { className: "actions" }, toggle));
		row.setAttribute("data-server", x.label);
		row.setAttribute("data-state", state);
		list.append(row);
	}
	return [el("div", { className: "servers-head" }, el("h3", {}, `Servers (${servers.length})`), tools), list];
}
/** The contexts as rows: a click makes one active; rename, keep and delete on the row. */
function contextList(s, p) {
	const list = el("div", { className: "list contexts" });
	list.setAttribute("data-testid", "discomfort-contexts");
	for (const c of s.contexts) {
		const selected = c.id === s.activeContext;
		const label = c.name || c.id;
		const actions = el("span", { className: "actions" }, iconButton("pencil", `Rename "${label}"`, () => renameContext(p, c), "discomfort-rename"));
		if (!c.durable) actions.append(iconButton("bookmark", "Keep this context: its values go to disk, and it is still here after the bridge restarts", () => act(p, `"${label}" is not kept`, () => p.store.client.makeDurable(c.id)), "discomfort-keep"));
		actions.append(iconButton("trash", `Delete "${label}"`, () => deleteContext(p, c), "discomfort-delete-context"));
		const row = el("div", {
			className: `item context${selected ? " selected" : ""}`,
			title: `${label}${c.name ? ` (${c.id})` : ""}: ${c.keys} keys, ${c.durable ? "kept on disk (durable)" : "in memory until the bridge stops"}`
		}, icon(c.durable ? "save" : "box"), el("span", { className: "name" }, label), el("span", { className: "meta" }, String(c.keys)), actions);
		row.setAttribute("data-context", c.id);
		row.setAttribute("aria-selected", String(selected));
		row.onclick = () => p.store.setActive(c.id);
		list.append(row);
	}
	if (!s.contexts.length) list.append(el("div", { className: "muted" }, "No context yet: make one with +."));
	return list;
}
function newContext(p) {
	act(p, "No context made", async () => {
		const name = await p.ui.ask({
			title: "New context",
			message: "A name for the new context (what its values are for):",
			defaultValue: `context ${p.store.state.contexts.length + 1}`
		});
		if (name === void 0) return;
		const c = await p.store.client.createContext(name.trim() || "context");
		p.store.setActive(c.id);
	});
}
function renameContext(p, c) {
	act(p, "Not renamed", async () => {
		const name = await p.ui.ask({
			title: "Rename context",
			message: `A new name for context ${c.id}:`,
			defaultValue: c.name ?? ""
		});
		if (name === void 0 || !name.trim() || name.trim() === c.name) return;
		await p.store.client.renameContext(c.id, name.trim());
	});
}
function deleteContext(p, c) {
	const label = c.name || c.id;
	act(p, `"${label}" is not deleted`, async () => {
		if (!await p.ui.confirm({
			title: "Delete context",
			message: `Delete "${label}" and its ${c.keys} values? Runs that used it cannot run again.`,
			destructive: true
		})) return;
		await p.store.client.deleteContext(c.id);
		p.ui.toast("success", `Deleted "${label}"`);
	});
}
/** The active context's keys: the list or the gallery, filtered and paged, and the form that adds one. */
function keysSection(s, p, contextId) {
	const { view: ui, store, form } = p;
	const out = [];
	const needle = ui.filter.value.trim().toLowerCase();
	const matching = needle ? s.entries.filter((e) => e.key.toLowerCase().includes(needle)) : s.entries;
	const images = matching.filter((e) => e.kind === "image" || e.kind === "mask");
	const shown = ui.mode === "gallery" ? images : matching;
	const toggle = el("div", { className: "toggle" });
	for (const [mode, name, title] of [[
		"list",
		"list",
		"Every key, as a list"
	], [
		"gallery",
		"images",
		"The images and masks, as a gallery"
	]]) {
		const b = iconButton(name, title, () => {
			ui.mode = mode;
			ui.limit = PAGE;
			p.redraw();
		}, `discomfort-view-${mode}`);
		b.setAttribute("aria-pressed", String(ui.mode === mode));
		toggle.append(b);
	}
	out.push(el("div", { className: "keys-head" }, el("h3", {}, `Keys (${needle ? `${matching.length} of ` : ""}${s.entries.length})`), toggle), ...s.entries.length > 10 ? [ui.filter] : [], ui.mode === "gallery" ? gallery(images.slice(0, ui.limit), store, contextId) : keysTable(matching.slice(0, ui.limit), s, p, contextId));
	if (shown.length > ui.limit) {
		const more = el("button", {
			className: "p-button p-component p-button-text p-button-secondary",
			textContent: `Show ${Math.min(PAGE, shown.length - ui.limit)} more of ${shown.length - ui.limit}`
		});
		more.setAttribute("data-testid", "discomfort-more");
		more.onclick = () => {
			ui.limit += PAGE;
			p.redraw();
		};
		out.push(more);
	}
	out.push(el("h3", {}, "Add or change a value"), form.element);
	return out;
}
/** The keys as a table: name, value (a thumbnail for images), type, size, download and delete. */
function keysTable(entries, s, p, contextId) {
	const { store, form } = p;
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
	table.append(cols, el("tr", {}, el("th", {}, "key"), el("th", {}, "value"), el("th", {}, "type"), el("th", { className: "size" }, "size"), el("th", {}, "")));
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
		const del = iconButton("trash", `Delete "${e.key}"`, () => act(p, `"${e.key}" is not deleted`, () => store.client.deleteKey(contextId, e.key)));
		const download = el("a", {
			href: store.client.rawUrl(contextId, e.key),
			title: `Download "${e.key}"`,
			download: e.key
		}, icon("download"));
		const row = el("tr", { title: `${e.key}: ${s.summaries[e.key] ?? e.kind}, ${e.comfyType} by ${e.passBy === "ref" ? "reference" : "value"}, ${formatBytes(e.sizeBytes)} in ${e.storageType}; version ${e.version}, by ${e.producer}, ${new Date(e.updatedAt).toLocaleString()}` }, el("td", {}, e.key), el("td", editable ? {
			className: "editable",
			title: `${s.summaries[e.key] ?? e.kind}: click to change it`,
			onclick: () => act(p, `"${e.key}" could not be read`, () => store.client.value(contextId, e.key).then((v) => form.edit(e.key, v.value.value)))
		} : {}, value), el("td", {}, e.passBy === "ref" ? `${e.comfyType} (ref)` : e.comfyType), el("td", { className: "size" }, formatBytes(e.sizeBytes)), el("td", { className: "act" }, download, del));
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
function runDetails(r, s, p) {
	const { store, view: ui, redraw } = p;
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
	/** A text button with its icon, styled as the frontend's secondary buttons. */
	const button = (name, text, title, testId) => {
		const b = el("button", {
			className: "text p-button p-component p-button-sm p-button-secondary",
			title
		}, icon(name), el("span", {}, text));
		b.setAttribute("data-testid", testId);
		return b;
	};
	if (r.rerunnable) {
		const openIt = button("folder-open", "Open workflow", "Open what this run ran on the canvas, as it was queued", "discomfort-open-workflow");
		openIt.onclick = () => act(p, "The workflow could not be opened", async () => {
			const { workflows } = await store.client.runWorkflows(r.runId);
			for (const w of workflows) await p.ui.openWorkflow(w);
		});
		actions.append(openIt);
	}
	if (r.rerunnable && !runIsOpen(r.status)) {
		const again = button("replay", "Run again", "The same workflows, with the values the context holds now", "discomfort-rerun");
		again.onclick = async () => {
			again.disabled = true;
			try {
				const next = await store.rerun(r.runId);
				ui.openRun = next.id;
				ui.runMessage = void 0;
			} catch (e) {
				ui.runMessage = e.message;
			}
			redraw();
		};
		actions.append(again);
	}
	if (!inActive && s.contexts.some((c) => c.id === r.contextId)) {
		const show = button("arrow-right", "Show its context", `Make ${r.contextId} the active context`, "discomfort-show-context");
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
	...r.rerunnable ? { rerunnable: true } : {},
	...r.resubmitted ? { resubmitted: r.resubmitted } : {}
});
var ACTIVE_KEY = "Discomfort.ActiveContext";
/** How often the servers are read again while nothing on the hub says runs moved (a server can go down or be paused from elsewhere). */
var SERVERS_EVERY_MS = 5e3;
/** After a run or sweep event, how soon they are read (events in a burst make one read). */
var SERVERS_SOON_MS = 300;
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
	* Where the bridge is when no URL is set: asked before each (re)connect
	* (the bridge the page's ComfyUI announced, shared/protocol/announcement.ts).
	* Absent: the URL was set by hand.
	*/
	locate;
	/** How the URL in use was found, for what the panel says. */
	urlSource = "default";
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
	/** How many views watch the servers (the sidebar while it is open): for the devtools console and tests. */
	get serverWatchers() {
		return this.watchingServers;
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
		this.locate = void 0;
		this.urlSource = "setting";
		if (url === this.client.url) return;
		this.client.url = url;
		this.connect();
	}
	/** No URL set: find the bridge before each connection (and use `fallback` while none is announced). */
	findBridge(locate, fallback) {
		this.locate = locate;
		this.client.url = fallback;
		this.urlSource = "default";
		this.connect();
	}
	/** Connect (again) to the bridge's live feed; retries every few seconds while it is down. */
	connect() {
		if (this.retry) clearTimeout(this.retry);
		const locate = this.locate;
		if (!locate) {
			this.open();
			return;
		}
		locate().catch(() => void 0).then((url) => {
			if (this.locate !== locate) return;
			if (url) {
				this.client.url = url;
				this.urlSource = "announced";
			}
			this.open();
		});
	}
	open() {
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
			delete this.state.downReason;
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
		const url = this.client.url;
		this.client.probe().then((status) => {
			const reason = status === 401 || status === 403 ? "token" : "unreachable";
			if (this.state.status !== "down" || this.client.url !== url || this.state.downReason === reason) return;
			this.state.downReason = reason;
			this.emit();
		});
		this.retry = setTimeout(() => this.connect(), 3e3);
	}
	onMessage(message) {
		if (message.type === "hello") {
			this.state.contexts = message.contexts;
			if (!this.state.activeContext || !message.contexts.some((c) => c.id === this.state.activeContext)) this.state.activeContext = message.contexts[0]?.id;
			this.state.sweeps = Object.fromEntries((message.sweeps ?? []).map((s) => [s.id, s]));
			this.state.runs = Object.fromEntries(message.runs.map((r) => [r.id, fromView(r)]));
			this.refreshEntries();
			this.serversSoon();
		} else if (message.type === "sweep") {
			this.state.sweeps = {
				...this.state.sweeps,
				[message.sweep.id]: message.sweep
			};
			this.serversSoon();
		} else if (message.type === "context-changed") {
			const others = this.state.contexts.filter((c) => c.id !== message.context.id);
			this.state.contexts = message.closed ? others : [...others, message.context].sort((a, b) => a.id.localeCompare(b.id));
			if (message.closed && message.context.id === this.state.activeContext) this.setActive(this.state.contexts[0]?.id);
			else if (message.context.id === this.state.activeContext) this.refreshEntries();
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
			if (e.type !== "node" && e.type !== "progress") this.serversSoon();
		}
		this.emit();
	}
	/** Run a past run again; its progress shows on this page. */
	rerun(runId) {
		const clientId = this.clientId();
		return this.client.rerun(runId, clientId ? { clientId } : {});
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
	watchingServers = 0;
	serversTimer;
	serversSoonTimer;
	readingServers;
	serversAgain = false;
	/** Counts the pause and resume answers shown. */
	serversEpoch = 0;
	/**
	* Keep the servers read while a view shows them: now, shortly after each
	* hub event that moves a run or sweep, and every SERVERS_EVERY_MS otherwise
	* (not while the page is hidden). One read at a time, and the state changes
	* (and views redraw) only when what the bridge says changed. Returns the stop.
	*/
	watchServers() {
		this.watchingServers++;
		if (!this.serversTimer) this.serversTimer = setInterval(() => {
			if (document.visibilityState !== "hidden") this.refreshServers();
		}, SERVERS_EVERY_MS);
		this.refreshServers();
		let stopped = false;
		return () => {
			if (stopped) return;
			stopped = true;
			if (--this.watchingServers > 0) return;
			clearInterval(this.serversTimer);
			clearTimeout(this.serversSoonTimer);
			this.serversTimer = void 0;
			this.serversSoonTimer = void 0;
		};
	}
	/** Read the servers shortly (once for a burst of events), when a view watches them. */
	serversSoon() {
		if (!this.watchingServers || this.serversSoonTimer) return;
		this.serversSoonTimer = setTimeout(() => {
			this.serversSoonTimer = void 0;
			this.refreshServers();
		}, SERVERS_SOON_MS);
	}
	/**
	* Read the servers again. One read at a time: while one is out, a later
	* call asks for one more when it is back (what changed meanwhile is not missed).
	*/
	refreshServers() {
		if (this.state.status !== "up") return Promise.resolve();
		if (this.readingServers) {
			this.serversAgain = true;
			return this.readingServers;
		}
		const epoch = this.serversEpoch;
		this.readingServers = this.client.servers().then((servers) => {
			if (epoch === this.serversEpoch) this.showServers(servers);
		}, () => void 0).finally(() => {
			this.readingServers = void 0;
			if (this.serversAgain) {
				this.serversAgain = false;
				this.refreshServers();
			}
		});
		return this.readingServers;
	}
	/** Pause or resume a server (by label), or every server; the pool as the bridge answers it is shown at once. */
	async setServerPaused(paused, label) {
		const servers = await this.client.setServerPaused(paused, label);
		this.serversEpoch++;
		this.showServers(servers);
	}
	showServers(servers) {
		if (JSON.stringify(servers) === JSON.stringify(this.state.servers)) return;
		this.state.servers = servers;
		this.emit();
	}
	entry(key) {
		return this.state.entries.find((e) => e.key === key);
	}
};
// shared/protocol/announcement.ts
/**
* How the ComfyUI page finds its bridge: a bridge writes where it listens
* into the user data of the ComfyUI it drives (the page's own store, so it
* reaches the page wherever the two run), and the page reads it when no
* bridge URL is set in its settings. Loads nothing.
*/
/** The user-data file (under ComfyUI's `user/<user>/`). */
var ANNOUNCEMENT_FILE = "discomfort/bridge.json";
/** Where the page reaches an announced bridge, seen from the page's own address. */
function announcedUrl(a, pageHost) {
	if (a.url) return a.url;
	return `http://${pageHost.includes(":") && !pageHost.startsWith("[") ? `[${pageHost}]` : pageHost}:${a.port}`;
}
// extension/src/index.ts
var URL_SETTING = "Discomfort.BridgeUrl";
var TOKEN_SETTING = "Discomfort.BridgeToken";
var DEFAULT_URL = "http://127.0.0.1:8189";
/** The bridge the page's ComfyUI announced (a bridge writes where it listens into ComfyUI's user data). */
async function announcedBridge() {
	const res = await api.fetchApi(`/userdata/${encodeURIComponent(ANNOUNCEMENT_FILE)}`);
	if (!res.ok) return void 0;
	const a = await res.json();
	return typeof a?.port === "number" ? announcedUrl(a, window.location.hostname) : void 0;
}
/**
* A setting typed into a text box changes on every keystroke: it is applied
* once the typing stops, not once per character (no connection to
* "http://127.0.0.1:8", then ":81", ...).
*/
var pendingSettings = /* @__PURE__ */ new Map();
function whenTypingStops(apply, ms = 800) {
	return (value) => {
		const pending = pendingSettings.get(apply);
		if (pending) clearTimeout(pending.timer);
		const timer = setTimeout(() => {
			pendingSettings.delete(apply);
			apply(value);
		}, ms);
		pendingSettings.set(apply, {
			timer,
			value
		});
	};
}
/** A run queued right after a setting changed uses the new value: what is still waiting is applied now. */
function applyPendingSettings() {
	for (const [apply, { timer, value }] of pendingSettings) {
		clearTimeout(timer);
		apply(value);
	}
	pendingSettings.clear();
}
/** A URL set by hand (the old default counts as not set: the page then finds its bridge itself). */
var chosenUrl = (value) => {
	const url = String(value ?? "").trim();
	return url && url !== DEFAULT_URL ? url : void 0;
};
/** The open workflow's name as its tab shows it ("invert.json" → "invert"), on every supported frontend. */
function activeWorkflowName(manager) {
	const active = manager.workflow?.activeWorkflow;
	return (active?.filename ?? active?.path?.split("/").pop())?.replace(/\.json$/i, "") || void 0;
}
var store;
/** The frontend's dialogs, toasts and canvas (once the page is set up). */
var ui;
var getStore = () => store;
var w = window;
/** Nodes ComfyUI makes from server definitions on every frontend: where its outline styles are borrowed from. */
var STYLE_DONORS = [
	"ImageInvert",
	"PreviewImage",
	"KSampler",
	"SaveImage"
];
var borrowedStyles = null;
/** The outline styles of ComfyUI's own nodes (taken once from a node made, not added to any graph). */
function comfyStrokeStyles() {
	if (borrowedStyles !== null) return borrowedStyles;
	borrowedStyles = void 0;
	for (const type of STYLE_DONORS) {
		if (!(type in w.LiteGraph.registered_node_types)) continue;
		const styles = w.LiteGraph.createNode(type)?.strokeStyles;
		if (styles && Object.keys(styles).length) {
			borrowedStyles = styles;
			break;
		}
	}
	return borrowedStyles;
}
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
		name: "Discomfort bridge URL (empty: the bridge that drives this ComfyUI, found by itself)",
		type: "text",
		defaultValue: "",
		category: [
			"Discomfort",
			"Bridge",
			"URL"
		],
		onChange: whenTypingStops((value) => {
			const url = chosenUrl(value);
			if (url) store?.setUrl(url);
			else store?.findBridge(announcedBridge, DEFAULT_URL);
		})
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
		onChange: whenTypingStops((value) => store?.setToken(String(value ?? "")))
	}],
	registerCustomNodes() {
		const node = definePortNode(w.LGraphNode, {
			store: getStore,
			ui: () => ui,
			strokeStyles: comfyStrokeStyles
		});
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
		ui = pageUi(manager, app);
		const chosen = chosenUrl(manager.setting.get(URL_SETTING));
		store = new DiscomfortStore(DEFAULT_URL, () => page.clientId ?? page.initialClientId);
		store.client.token = String(manager.setting.get(TOKEN_SETTING) ?? "");
		if (chosen) store.setUrl(chosen);
		else store.findBridge(announcedBridge, DEFAULT_URL);
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
				unmountSidebar = renderSidebar(el, store, ui);
			},
			destroy: () => {
				unmountSidebar?.();
				unmountSidebar = void 0;
			}
		});
		installQueueHook(page, {
			store: () => {
				applyPendingSettings();
				return store;
			},
			toast: (severity, summary, detail) => manager.toast.add({
				severity,
				summary,
				detail,
				life: 8e3
			}),
			nodes: () => app.graph?.nodes ?? [],
			workflowName: () => activeWorkflowName(manager)
		});
	}
};
app.registerExtension(extension);
