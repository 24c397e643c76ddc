// Render buttons that show their progress. A link with class "render-job" keeps its plain href
// (the direct download, for a browser without scripts); with scripts, a click starts a render job
// (POST to the list's data-start-url with the link's data-job as JSON), then the page asks the
// server about the job every half second and shows its step on a progress bar, then offers the
// file, or the engine's message when the document could not be made. Nothing here waits on a
// long request, so the page stays usable while a PDF is laid out.
(function () {
  "use strict";
  const list = document.getElementById("render-jobs");
  if (!list) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const POLL_MS = 500;

  function row(link) {
    const id = "job-" + link.dataset.jobName;
    let li = document.getElementById(id);
    if (!li) {
      li = document.createElement("li");
      li.id = id;
      li.className = "render-job";
      list.append(li);
    }
    const label = document.createElement("span");
    label.className = "job-label";
    label.textContent = link.dataset.jobLabel + ": ";
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    const step = document.createElement("span");
    step.className = "job-step";
    step.textContent = "Starting";
    li.dataset.state = "starting";
    li.replaceChildren(label, bar, " ", step);
    return { li, bar, step };
  }

  function show(view, job) {
    view.li.dataset.state = job.state;
    view.li.dataset.jobId = job.id;
    view.bar.value = job.percent;
    const counted = job.steps_total ? ` (step ${job.step_number} of ${job.steps_total})` : "";
    view.step.textContent = job.state === "queued" ? "Waiting for a free worker" : job.step + counted;
  }

  function finish(view, job, preview) {
    const link = document.createElement("a");
    link.className = "job-file";
    link.href = job.file.url;
    if (preview) {
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "Open the preview";
    } else {
      link.download = job.file.name;
      link.textContent = "Download " + job.file.name;
    }
    view.bar.value = 100;
    view.step.replaceChildren(link);
  }

  function fail(view, message) {
    view.li.dataset.state = "failed";
    const p = document.createElement("span");
    p.className = "job-error error";
    p.textContent = message;
    view.bar.remove();
    view.step.replaceChildren(p);
  }

  async function json(response) {
    try { return await response.json(); } catch (_) { return {}; }
  }

  async function follow(view, url, preview) {
    for (;;) {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const job = await json(response);
      if (!response.ok) return fail(view, job.error || `the server answered ${response.status}`);
      show(view, job);
      if (job.state === "done") return finish(view, job, preview);
      if (job.state === "failed") return fail(view, job.error);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async function start(event) {
    const link = event.currentTarget;
    event.preventDefault();
    const view = row(link);
    try {
      const response = await fetch(list.dataset.startUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
        body: link.dataset.job,
      });
      const job = await json(response);
      if (response.status !== 202) return fail(view, job.error || `the server answered ${response.status}`);
      show(view, job);
      await follow(view, job.url, link.dataset.preview === "yes");
    } catch (error) {
      fail(view, "the workspace could not be reached; check the connection and try again");
    }
  }

  for (const link of document.querySelectorAll("a.render-job")) link.addEventListener("click", start);
})();
