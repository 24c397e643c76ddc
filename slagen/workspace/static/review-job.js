// The review page before its review is made. When no review of the latest version is kept, the
// page starts one (a POST, the only way the workspace starts work, as the redline frame does);
// when one is under way it follows it. Either way it shows the job's step every half second,
// then opens the page of the finished job, which shows the findings (or why there are none).
// Without scripts the page's own button and its refresh do the same.
(function () {
  "use strict";
  const box = document.getElementById("review-job");
  if (!box || !(box.dataset.jobUrl || box.dataset.startUrl)) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const status = document.getElementById("review-job-status");
  const POLL_MS = 500;
  const say = (text) => { if (status) status.textContent = text; };
  const failed = (text) => { say(text); box.dataset.state = "failed"; };
  const unreachable = () => failed("the workspace did not answer; reload the page to try again");
  const answer = (r) => r.json().catch(() => ({})).then((body) => ({ status: r.status, ok: r.ok, body }));
  const finished = (job) => location.replace(box.dataset.pageUrl + "?job=" + encodeURIComponent(job.id));

  function watch(url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(answer)
      .then(({ ok, body }) => {
        if (!ok) return failed(body.error || "the review could not be followed; reload the page");
        box.dataset.state = body.state;
        if (body.state === "done" || body.state === "failed") return finished(body);
        say(body.state === "queued" ? "Waiting for a free worker" : body.step);
        setTimeout(() => watch(url), POLL_MS);
      })
      .catch(unreachable);
  }

  if (box.dataset.jobUrl) {
    watch(box.dataset.jobUrl);
    return;
  }
  say("Starting the review");
  fetch(box.dataset.startUrl, {
    method: "POST", credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: "{}",
  }).then(answer)
    .then(({ status: code, body }) => {
      if (code !== 202) return failed(body.error || `the review could not be started (${code})`);
      watch(body.url);
    })
    .catch(unreachable);
})();
