// The CSP-friendly ("external") ALTCHA build bundles no proof-of-work
// worker: register ours (same origin, so `script-src 'self'` allows it) for
// the algorithm our server's challenges use.
for (const widget of document.querySelectorAll("altcha-widget[data-worker]")) {
  const workerUrl = widget.dataset.worker;
  globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(workerUrl));
}
