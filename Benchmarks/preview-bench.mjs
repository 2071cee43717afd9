// Edit-to-browser latency of a live preview, measured in a real browser.
//
//   node --experimental-websocket Benchmarks/preview-bench.mjs \
//     --url http://127.0.0.1:3000/03-coupling-layers.html \
//     --file /tmp/course/03-coupling-layers.md --after "Chapter 1 ended on a promise." [--edits 15]
//
// Any preview server will do (nbrun serve, mdbook serve, myst start): the
// script opens the page in headless Chromium over the DevTools protocol, and
// each round appends a new marker word after the text `--after` in the file
// (written in place, as an editor saves). A script the protocol adds to
// every document the page loads watches the DOM and notes, in the page's
// clock, when the marker appears, whether the page reloads or patches
// itself. The latency is that moment minus the moment the file was written
// (one machine, one clock). Prints each round and the median.
import { readFileSync, writeFileSync } from "node:fs";
import { openChromium, sleep } from "../scripts/devtools.mjs";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []));
for (const required of ["url", "file", "after"]) {
  if (!args[required]) { console.error(`preview-bench: --${required} is required`); process.exit(2); }
}
const edits = Number(args.edits ?? 15);
const chromium = args.chromium ?? "/usr/bin/chromium";

const original = readFileSync(args.file, "utf8");
const { send, evaluate, close } = await openChromium({ chromium });
process.on("exit", () => {
  try { writeFileSync(args.file, original); } catch {}
  close();
});
setTimeout(() => { console.error("preview-bench: gave up after 10 minutes"); process.exit(1); }, 600_000).unref();

// Watches every document the page loads for the marker named in localStorage.
const watcher = `(() => {
  const check = () => {
    const marker = localStorage.getItem("preview-bench-marker");
    if (!marker || localStorage.getItem("preview-bench-seen:" + marker)) return;
    const root = document.body || document.documentElement;
    if (root && root.textContent.includes(marker)) localStorage.setItem("preview-bench-seen:" + marker, String(Date.now()));
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  document.addEventListener("DOMContentLoaded", check);
})();`;
await send("Page.enable");
await send("Page.addScriptToEvaluateOnNewDocument", { source: watcher });
await send("Page.navigate", { url: args.url });
for (let i = 0; i < 600; i++) {
  await sleep(100);
  if (await evaluate("document.readyState") === "complete") break;
}
await sleep(1500);
if (!original.includes(args.after)) { console.error(`preview-bench: '${args.after}' is not in ${args.file}`); process.exit(1); }

const latencies = [];
let text = original;
for (let round = 1; round <= edits; round++) {
  const marker = `benchmarker${Date.now().toString(36)}x${round}`;
  await evaluate(`localStorage.setItem("preview-bench-marker", ${JSON.stringify(marker)})`);
  text = original.replace(args.after, `${args.after} ${marker}`);
  const written = Date.now();
  writeFileSync(args.file, text);
  let seen = null;
  for (let i = 0; i < 3000 && seen === null; i++) {
    await sleep(5);
    const v = await evaluate(`localStorage.getItem("preview-bench-seen:" + ${JSON.stringify(marker)})`);
    if (v) seen = Number(v);
  }
  if (seen === null) { console.log(`round ${round}: not seen in 15 s`); continue; }
  latencies.push(seen - written);
  console.log(`round ${round}: ${seen - written} ms`);
  await sleep(Number(args.pause ?? 700));
}
latencies.sort((a, b) => a - b);
const median = latencies.length ? latencies[Math.floor((latencies.length - 1) / 2)] : NaN;
console.log(`edit to browser: median ${median} ms, min ${latencies[0]} ms, max ${latencies[latencies.length - 1]} ms over ${latencies.length} edits`);
process.exit(0);
