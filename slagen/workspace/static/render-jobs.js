// Render buttons that show their progress. A link with class "render-job" keeps its plain href
// (the direct download, for a browser without scripts); with scripts, a click starts a render job
// (POST to the list's data-start-url with the link's data-job as JSON), then the page asks the
// server about the job every half second and shows its step on a progress bar, then offers the
// file, or the engine's message when the document could not be made. A form with data-job-url
// (the attainment report) does the same for a PDF or DOCX, posting its fields and files there.
// Nothing here waits on a long request, so the page stays usable while a PDF is laid out.
(function () {
  "use strict";
  const list = document.getElementById("render-jobs");
  if (!list) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const POLL_MS = 500;

  function row(name, title) {
    const id = "job-" + name;
    let li = document.getElementById(id);
    if (!li) {
      li = document.createElement("li");
      li.id = id;
      li.className = "render-job";
      list.append(li);
    }
    const label = document.createElement("span");
    label.className = "job-label";
    label.textContent = title + ": ";
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    const step = document.createElement("span");
    step.className = "job-step";
    step.textContent = "Starting";
    li.dataset.state = "starting";
    li.replaceChildren(label, bar, " ", step);
    li.run = (li.run || 0) + 1; // a second click restarts the row: the first job's answers are ignored
    return { li, bar, step, run: li.run };
  }

  const current = (view) => view.li.run === view.run;

  function show(view, job) {
    if (!current(view)) return;
    view.li.dataset.state = job.state;
    view.li.dataset.jobId = job.id;
    view.bar.value = job.percent;
    const counted = job.steps_total ? ` (step ${job.step_number} of ${job.steps_total})` : "";
    view.step.textContent = job.state === "queued" ? "Waiting for a free worker" : job.step + counted;
  }

  function finish(view, job, preview) {
    if (!current(view)) return;
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
    if (!current(view)) return;
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
    while (current(view)) {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const job = await json(response);
        if (!response.ok) return fail(view, job.error || `the server answered ${response.status}`);
      show(view, job);
      if (job.state === "done") return finish(view, job, preview);
      if (job.state === "failed") return fail(view, job.error);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async function begin(view, url, body, headers, preview) {
    try {
      const response = await fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRF-Token": csrf, ...headers }, body,
      });
      const job = await json(response);
      if (response.status !== 202) return fail(view, job.error || `the server answered ${response.status}`);
      show(view, job);
      await follow(view, job.url, preview);
    } catch (error) {
      fail(view, "the workspace could not be reached; check the connection and try again");
    }
  }

  function startFromLink(event) {
    const link = event.currentTarget;
    event.preventDefault();
    begin(row(link.dataset.jobName, link.dataset.jobLabel), list.dataset.startUrl, link.dataset.job,
          { "Content-Type": "application/json" }, link.dataset.preview === "yes");
  }

  function startFromForm(event) {
    const form = event.currentTarget;
    if (event.submitter && event.submitter.value === "preview") return; // reading the export: the form's own answer
    const format = form.elements.format ? form.elements.format.value : "";
    if (format !== "pdf" && format !== "docx") return; // the figures in the page: the form's own answer
    event.preventDefault();
    begin(row("report-" + format, "Report " + format.toUpperCase()), form.dataset.jobUrl, new FormData(form), {}, false);
  }

  for (const form of document.querySelectorAll("form[data-job-url]")) form.addEventListener("submit", startFromForm);
  for (const link of document.querySelectorAll("a.render-job")) link.addEventListener("click", startFromLink);
})();
