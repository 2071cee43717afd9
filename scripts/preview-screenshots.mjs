// Screenshots of `nbrun serve`'s pages in the states an author sees: a cell
// edit running (stale outputs, the running cell's line) and a compile error
// (the overlay), at 1280 and 390 px, light and dark.
//
//   nbrun serve /tmp/course --port 3311 &
//   node --experimental-websocket scripts/preview-screenshots.mjs \
//     --url http://127.0.0.1:3311/01-change-of-variables.html --file /tmp/course/01-change-of-variables.md \
//     --cell 'print("rms of the standardised differences:", exponentialRMS)' --out /tmp/shots
//
// Edits the file (a sleep added before the cell's line so that the run can be
// seen, then a type error in the same place), waits for each state in the
// page, takes the screenshots, and puts the file back.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openChromium, sleep } from "./devtools.mjs";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []));
for (const required of ["url", "file", "cell", "out"]) {
  if (!args[required]) { console.error(`preview-screenshots: --${required} is required`); process.exit(2); }
}
mkdirSync(args.out, { recursive: true });
const original = readFileSync(args.file, "utf8");
const { send, evaluate, close } = await openChromium({ chromium: args.chromium, port: 9800 + (process.pid % 100) });
process.on("exit", () => {
  try { writeFileSync(args.file, original); } catch {}
  close();
});
setTimeout(() => { console.error("preview-screenshots: gave up after 8 minutes"); process.exit(1); }, 480_000).unref();

async function until(what, expression, seconds = 180) {
  for (let i = 0; i < seconds * 10; i++) {
    if (await evaluate(expression)) return;
    await sleep(100);
  }
  throw new Error(`the page never showed ${what}`);
}
async function shoot(name, selector) {
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    for (const scheme of ["light", "dark"]) {
      await send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: width < 500 });
      await send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: scheme }] });
      if (selector) await evaluate(`document.querySelector(${JSON.stringify(selector)}).scrollIntoView({block: "center"})`);
      await sleep(300);
      const shot = await send("Page.captureScreenshot", { format: "png" });
      const file = join(args.out, `${name}-${width}-${scheme}.png`);
      writeFileSync(file, Buffer.from(shot.result.data, "base64"));
      console.log(file);
    }
  }
}

await send("Page.enable");
await send("Page.navigate", { url: args.url });
await until("the page", "document.documentElement.dataset.nbrunGeneration !== undefined", 60);
if (!original.includes(args.cell)) { console.error(`preview-screenshots: '${args.cell}' is not in ${args.file}`); process.exit(1); }

// A cell edit that runs for a while: the page keeps its outputs, marked stale.
// (A program the cache has not seen: the comment makes it new.)
const slow = `// ${Date.now()}\nNotebook.progress("a slow cell, for the screenshot")\nThread.sleep(forTimeInterval: 6)\n`;
writeFileSync(args.file, original.replace(args.cell, slow + args.cell));
await until("the chapter running", "document.querySelector('.nbrun-stale') !== null");
await until("the running cell's line", "document.querySelector('.nbrun-serve-running') !== null", 120);
await shoot("running", ".nbrun-serve-running");
await shoot("stale", ".nbrun-stale");
await until("the new outputs", "document.querySelector('.nbrun-stale') === null", 240);

// A compile error: the overlay.
writeFileSync(args.file, original.replace(args.cell, `let broken: Int = "x"\n` + args.cell));
await until("the overlay", "(() => { const o = document.getElementById('nbrun-serve-overlay'); return o && !o.hidden; })()", 240);
await shoot("error");
writeFileSync(args.file, original);
await until("the overlay gone", "(() => { const o = document.getElementById('nbrun-serve-overlay'); return !o || o.hidden; })()", 240);
process.exit(0);
