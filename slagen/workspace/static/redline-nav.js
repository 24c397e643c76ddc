// Previous and next change in a redline frame. The frame is sandboxed without scripts but keeps
// this page's origin, so this page can find its changed blocks (class "changed", the change bars)
// and scroll each into view in turn, marking the one shown. Without scripts the buttons stay hidden.
(function () {
  "use strict";
  for (const nav of document.querySelectorAll(".change-nav")) {
    const frame = document.getElementById(nav.dataset.frame);
    const count = nav.querySelector(".change-count");
    const previous = nav.querySelector(".previous-change");
    const next = nav.querySelector(".next-change");
    let changes = [];
    let at = -1;

    function show() {
      if (!changes.length) count.textContent = "no changes";
      else if (at < 0) count.textContent = changes.length === 1 ? "1 change" : changes.length + " changes";
      else count.textContent = "change " + (at + 1) + " of " + changes.length;
      previous.disabled = at <= 0;
      next.disabled = at >= changes.length - 1;
    }

    function collect() {
      if (!frame.getAttribute("src")) return; // the redline is still being made (redline-frame.js)
      let doc = null;
      try { doc = frame.contentDocument; } catch (_) { doc = null; }
      if (!doc || !doc.body) return;
      // a change inside a changed block (a row in a changed table) is part of that block's change
      changes = Array.from(doc.querySelectorAll(".changed"))
        .filter((el) => !(el.parentElement && el.parentElement.closest(".changed")));
      at = -1;
      show();
    }

    function go(k) {
      if (!changes.length) return;
      if (at >= 0) changes[at].style.outline = "";
      at = Math.max(0, Math.min(changes.length - 1, k));
      const el = changes[at];
      el.style.outline = "3px solid #e8a200";
      el.dataset.current = "yes";
      for (const other of changes) if (other !== el) delete other.dataset.current;
      el.scrollIntoView({ block: "center" });
      show();
    }

    previous.addEventListener("click", () => go(at - 1));
    next.addEventListener("click", () => go(at + 1));
    frame.addEventListener("load", collect);
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") collect();
    nav.hidden = false;
  }
})();
