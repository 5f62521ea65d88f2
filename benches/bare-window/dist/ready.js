// After the first frame is painted (the second animation frame starts after it),
// tell the backend once; the bench waits for the line it prints.
requestAnimationFrame(() =>
  requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke('ready')),
);
