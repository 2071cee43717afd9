// What a reader of a built site would trip over, measured in headless
// Chromium at 1280 and 390 px: display equations, cell outputs, tables and
// figures wider than their column (sideways scrolling), and the page itself
// wider than the window; at 1280 px, figure text drawn smaller than 10 px on
// screen (on a phone a figure is read by opening it at full size).
//
//   node --experimental-websocket scripts/legibility.mjs Site [page.html ...]
//
// Prints one line per problem ("page width kind: detail") and a count;
// exits 1 when there is any. At 390 px a wide equation, table or output
// scrolling inside its own box is expected; those are listed as notes, and
// only a page wider than the window counts.
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { openChromium, sleep } from "./devtools.mjs";

const [siteArg, ...only] = process.argv.slice(2);
if (!siteArg) { console.error("usage: legibility.mjs SITE [page.html ...]"); process.exit(2); }
const site = resolve(siteArg);
const pages = only.length ? only : readdirSync(site).filter((f) => f.endsWith(".html")).sort();

// Runs in the page: a list of problems.
const probe = `(() => {
  const problems = [];
  const describe = (el) => {
    const id = el.id || el.closest("[id]")?.id || "";
    return (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : el.tagName.toLowerCase()) + (id ? " near #" + id : "");
  };
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) problems.push(["page", "the page is " + root.scrollWidth + " px wide in a " + window.innerWidth + " px window"]);
  for (const el of document.querySelectorAll(".math-display, .cell-output pre, .cell-output .table-wrap, .cell-output table, figure svg, figure img, main table")) {
    if (el.closest(".explorer-frame[hidden]")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    const wide = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible";
    const column = el.closest("main, article") || document.body;
    const past = box.right > column.getBoundingClientRect().right + 1;
    if (wide || past) problems.push(["overflow", describe(el) + " needs " + el.scrollWidth + " px, has " + Math.round(box.width)]);
  }
  // Figures are SVG files in <img>: their scale on screen, for the text sizes read below.
  const images = [];
  for (const img of document.querySelectorAll("img[src$='.svg']")) {
    if (img.closest("[hidden]") || !img.getAttribute("width")) continue;
    images.push([img.getAttribute("src"), img.clientWidth / parseFloat(img.getAttribute("width")), describe(img.closest("figure") || img)]);
  }
  return { problems, images };
})()`;

const { send, evaluate, close } = await openChromium();
let count = 0;
try {
  for (const width of [1280, 390]) {
    await send("Emulation.setDeviceMetricsOverride", { width, height: 900, deviceScaleFactor: 1, mobile: width < 600 });
    for (const page of pages) {
      await send("Page.navigate", { url: "file://" + site + "/" + page });
      for (let i = 0; i < 50 && (await evaluate("document.readyState")) !== "complete"; i++) await sleep(100);
      await sleep(200);
      const { problems, images } = (await evaluate(probe)) || { problems: [], images: [] };
      for (const [src, scale, where] of images) {
        // The smallest font size in the SVG, times the scale it is drawn at.
        const sizes = [...readFileSync(site + "/" + src, "utf8").matchAll(/font-size="([0-9.]+)"/g)].map((m) => parseFloat(m[1]));
        const smallest = Math.min(...sizes) * scale;
        if (width >= 1000 && sizes.length && smallest < 10) problems.push(["small text", `${where}: text at ${smallest.toFixed(1)} px (${src})`]);
      }
      for (const [kind, detail] of problems) {
        const counted = width >= 1000 || kind === "page";
        console.log(`${page} ${width} ${kind}${counted ? "" : " (note: scrolls in its own box)"}: ${detail}`);
        if (counted) count++;
      }
    }
  }
} finally {
  close();
}
console.log(`${count} problem${count === 1 ? "" : "s"}`);
process.exit(count ? 1 : 0);
