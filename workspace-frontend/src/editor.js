// The workspace's contract editor: CodeMirror 6 with YAML highlighting and the server's
// diagnostics drawn at their lines (underlines, gutter markers, hover text). The diagnostics are
// computed by the server (POST /api/diagnostics); workspace.js asks for them, this module only
// shows them. Built with `npm run build` into slagen/workspace/static/editor.js.
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { syntaxHighlighting, defaultHighlightStyle, indentOnInput, bracketMatching } from "@codemirror/language";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { autocompletion } from "@codemirror/autocomplete";
import { hoverTooltip } from "@codemirror/view";
import { completionSource, hoverText } from "./schema.js";

// A diagnostic from the server (1-based line and column) as a CodeMirror range: from the column
// to the end of that line's text, so the underline covers the value the message is about.
function toRange(doc, line, column) {
  const n = Math.min(Math.max(1, line || 1), doc.lines);
  const info = doc.line(n);
  const from = Math.min(info.from + Math.max(0, (column || 1) - 1), info.to);
  return { from, to: Math.max(from, info.to) };
}

function mount(textarea, { onChange } = {}) {
  const readOnly = textarea.readOnly;
  let schema = null; // the format's JSON Schema, for key completion and hover help
  if (textarea.dataset.schemaUrl) {
    fetch(textarea.dataset.schemaUrl, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null)).then((s) => { schema = s; }).catch(() => {});
  }
  const hover = hoverTooltip((view, pos) => {
    const found = hoverText(schema, view.state.doc, pos);
    if (!found) return null;
    return { pos: found.from, end: found.to, above: true, create() {
      const dom = document.createElement("div");
      dom.className = "cm-schema-help";
      dom.textContent = found.text;
      return { dom };
    } };
  });
  const view = new EditorView({
    parent: textarea.parentNode,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
        indentOnInput(), bracketMatching(), highlightSelectionMatches(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }), yaml(), lintGutter(),
        autocompletion({ override: [completionSource(() => schema)] }), hover,
        keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, indentWithTab]),
        EditorState.tabSize.of(2),
        EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly),
        EditorView.contentAttributes.of({ "aria-label": "Contract YAML", "data-testid": "editor" }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString(); // the save form posts the textarea
          if (onChange) onChange();
        }),
      ],
    }),
  });
  textarea.parentNode.insertBefore(view.dom, textarea);
  textarea.style.display = "none";
  return {
    view,
    text: () => view.state.doc.toString(),
    setDiagnostics(marks) {
      const doc = view.state.doc;
      const diagnostics = marks.map((m) => ({ ...toRange(doc, m.line, m.column), severity: m.severity, message: `line ${m.line}: ${m.message}` }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    goTo(line) {
      const { from } = toRange(view.state.doc, line, 1);
      view.dispatch({ selection: { anchor: from }, effects: EditorView.scrollIntoView(from, { y: "center" }) });
      view.focus();
    },
  };
}

window.SlagenEditor = { mount };
