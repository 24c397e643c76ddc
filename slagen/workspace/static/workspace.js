// The contract page: diagnostics as you type. The server computes them (POST /api/diagnostics,
// the same loader and checker as `slagen check`); this script only asks, waits for a pause in the
// typing, and shows the answer in the side panel and, through editor.js, at the lines.
(function () {
  "use strict";
  const textarea = document.getElementById("contract-text");
  if (!textarea) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const list = document.getElementById("diagnostics");
  const summary = document.getElementById("diagnostics-summary");
  const DEBOUNCE_MS = 350;
  let timer = null, asked = 0;

  const editor = window.SlagenEditor ? window.SlagenEditor.mount(textarea, { onChange: schedule }) : null;
  if (!editor) textarea.addEventListener("input", schedule);
  const text = () => (editor ? editor.text() : textarea.value);

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(ask, DEBOUNCE_MS);
  }

  async function ask() {
    const mine = ++asked;
    const response = await fetch(textarea.dataset.diagnosticsUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ text: text() }),
    });
    if (mine !== asked || !response.ok) return; // a newer question is on its way, or the session ended
    show(await response.json());
  }

  function item(kind, line, column, head, message, why, fix) {
    const li = document.createElement("li");
    li.className = "diag " + kind;
    li.dataset.line = line;
    const b = document.createElement("b");
    b.textContent = head;
    li.append(b, " " + message);
    if (why || fix) {
      const details = document.createElement("details");
      const s = document.createElement("summary");
      s.textContent = "why and fix";
      const p1 = document.createElement("p"), p2 = document.createElement("p");
      p1.textContent = "why: " + why;
      p2.textContent = "fix: " + fix;
      details.append(s, p1, p2);
      li.append(details);
    }
    return li;
  }

  function show(result) {
    const marks = [];
    list.replaceChildren();
    for (const e of result.errors) {
      list.append(item("error", e.line, e.column, `line ${e.line}, column ${e.column}:`, e.message + (e.path ? ` (at ${e.path})` : "")));
      marks.push({ line: e.line, column: e.column, severity: "error", message: e.message });
    }
    for (const f of result.findings) {
      list.append(item(f.severity, f.line, f.column, `line ${f.line}: ${f.severity} ${f.rule}`, f.message, f.why, f.fix));
      marks.push({ line: f.line, column: f.column, severity: f.severity === "info" ? "info" : f.severity, message: `${f.rule}: ${f.message}` });
    }
    // as slagen.source.words.count says it on the server: "1 feasibility error", "2 warnings"
    const count = (n, noun) => `${n} ${n === 1 ? noun : noun + "s"}`;
    summary.textContent = result.valid
      ? `${count(result.summary.errors, "feasibility error")}, ${count(result.summary.warnings, "warning")}, ${result.summary.infos} info`
      : `${count(result.errors.length, "error")}: the text is not a valid contract`;
    if (editor) editor.setDiagnostics(marks);
  }

  list.addEventListener("click", (event) => {
    const li = event.target.closest("li.diag");
    if (li && editor) editor.goTo(Number(li.dataset.line));
  });
  if (editor) schedule(); // lint markers for the text as loaded
})();
