// Key completion and hover help from the contract format's JSON Schema (served at /api/schema,
// generated from the same pydantic models that validate the contract). The YAML path at the
// cursor is worked out from indentation alone, which is enough for block-style contracts; in
// flow style ({...}) the editor simply offers nothing.

const KEY = /^(\s*)(-\s+)?([A-Za-z0-9_-]+)\s*:/;
const TYPING = /^(\s*)(-\s+)?([A-Za-z0-9_-]*)$/;

function shape(text) {
  const m = KEY.exec(text);
  if (!m) return null;
  const dash = m[2] ? m[1].length : null;
  return { key: m[3], keyCol: m[1].length + (m[2] ? m[2].length : 0), dashCol: dash };
}

// The keys from the root to the mapping that holds a key at column `col` on line `lineNo`
// ("[]" stands for "an item of this list").
export function pathAt(doc, lineNo, col, dashCol) {
  const path = [];
  let c = col;
  if (dashCol !== null && dashCol !== undefined) { path.push("[]"); c = dashCol; }
  for (let n = lineNo - 1; n >= 1 && c > 0; n--) {
    const text = doc.line(n).text;
    if (!text.trim() || text.trim().startsWith("#")) continue;
    const s = shape(text);
    if (!s) continue;
    if (s.keyCol < c) {
      path.push(s.key);
      c = s.keyCol;
      if (s.dashCol !== null) { path.push("[]"); c = s.dashCol; }
    } else if (s.dashCol !== null && s.dashCol < c) {
      path.push("[]");
      c = s.dashCol;
    }
  }
  return path.reverse();
}

function resolve(schema, node) {
  for (let guard = 0; node && guard < 20; guard++) {
    if (node.$ref) { node = schema.$defs[node.$ref.split("/").pop()]; continue; }
    const variants = node.anyOf || node.oneOf;
    if (variants) { node = variants.find((v) => v.$ref || v.properties || v.items) || null; continue; }
    return node;
  }
  return node;
}

export function nodeAt(schema, path) {
  let node = resolve(schema, schema);
  for (const step of path) {
    if (!node) return null;
    node = resolve(schema, step === "[]" ? node.items : (node.properties || {})[step]);
  }
  return node;
}

function describe(schema, node) {
  const n = resolve(schema, node) || {};
  const text = node.description || n.description || "";
  const type = n.type || (n.enum ? n.enum.join(" | ") : "");
  return { text, type: Array.isArray(type) ? type.join(" | ") : type };
}

export function completionSource(getSchema) {
  return (context) => {
    const schema = getSchema();
    if (!schema) return null;
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const m = TYPING.exec(before);
    if (!m || (!m[3] && !context.explicit)) return null;
    const dashCol = m[2] ? m[1].length : null;
    const col = m[1].length + (m[2] ? m[2].length : 0);
    const node = nodeAt(schema, pathAt(context.state.doc, line.number, col, dashCol));
    if (!node || !node.properties) return null;
    return {
      from: context.pos - m[3].length,
      options: Object.entries(node.properties).map(([key, value]) => {
        const d = describe(schema, value);
        return { label: key, type: "property", detail: d.type, info: d.text, apply: key + ": " };
      }),
      validFor: /^[A-Za-z0-9_-]*$/,
    };
  };
}

export function hoverText(schema, doc, pos) {
  if (!schema) return null;
  const line = doc.lineAt(pos);
  const s = shape(line.text);
  if (!s) return null;
  const start = line.from + s.keyCol;
  if (pos < start || pos > start + s.key.length) return null;
  const parent = nodeAt(schema, pathAt(doc, line.number, s.keyCol, s.dashCol));
  const node = parent && parent.properties && parent.properties[s.key];
  if (!node) return null;
  const d = describe(schema, node);
  return { from: start, to: start + s.key.length, text: `${s.key}${d.type ? " (" + d.type + ")" : ""}: ${d.text}` };
}
