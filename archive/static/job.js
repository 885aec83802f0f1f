// An export job's page: asks how far the job has come and says it in the status line; once the job
// has ended, shows the page again with its download (or what went wrong). Every second while a small
// PDF would be done (its few seconds are not stretched by a late look), every two seconds after.
// Without this script the page has a "Refresh this page" link.
(function () {
  "use strict";
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const line = document.getElementById("job-progress");
  const opened = Date.now();
  async function ask() {
    try {
      const answer = await fetch(box.dataset.progressUrl, { credentials: "same-origin" });
      const job = await answer.json();
      if (job.status !== "running") return window.location.reload();
      if (job.progress && line.textContent !== job.progress) line.textContent = job.progress;
    } catch (err) { /* the server is busy or restarting: ask again */ }
    setTimeout(ask, Date.now() - opened < 20000 ? 1000 : 2000);
  }
  setTimeout(ask, 500);
})();
