// A redline frame whose redline is not made yet: the page starts its job (a POST, the only way the
// workspace starts work), watches it every half second, then shows it. When the redline was made
// in the last 15 minutes the page already gave the frame its address, and nothing is started.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const POLL_MS = 500;
  for (const frame of document.querySelectorAll("iframe[data-start-url]")) {
    if (frame.getAttribute("src")) continue;
    const status = document.getElementById(frame.id + "-status");
    const say = (text) => { if (status) status.textContent = text; };
    const failed = (text) => { say(text); frame.dataset.state = "failed"; };
    say("Making the redline");
    fetch(frame.dataset.startUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: frame.dataset.job,
    }).then((r) => r.json().then((body) => ({ ok: r.ok, body })))
      .then(({ ok, body }) => {
        if (!ok) return failed(body.error || "the redline could not be started");
        const watch = () => fetch(body.url, { credentials: "same-origin" })
          .then((r) => r.json())
          .then((job) => {
            if (job.state === "done") { say(""); frame.src = job.file.url; frame.dataset.state = "done"; }
            else if (job.state === "failed") failed(job.error);
            else { say(job.step || "Making the redline"); setTimeout(watch, POLL_MS); }
          })
          .catch(() => failed("the workspace did not answer; reload the page to try again"));
        watch();
      })
      .catch(() => failed("the workspace did not answer; reload the page to try again"));
  }
})();
