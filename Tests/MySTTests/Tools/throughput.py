#!/usr/bin/env python3
"""Parse throughput of `nbrun parse` against MyST-Parser on the same document.

Usage: throughput.py NBRUN PYTHON_WITH_MYST_PARSER [--copies N]

Builds one large chapter from the rich test fixture (labels made unique per
copy), then times, best of 3 runs each:
  - nbrun:       `NBRUN parse --format diagnostics FILE` (whole process: read, parse, check);
  - MyST-Parser tokens: `MarkdownIt` with the MyST plugins, `md.parse(text)` in process;
    this leaves directive bodies and roles unparsed, so it does less than nbrun;
  - MyST-Parser document: `publish_doctree` with MyST-Parser's docutils parser (one run),
    which parses directives and roles as nbrun does.
Prints MB/s for each and the ratios (MyST-Parser time / nbrun time).
"""
import os, re, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
nbrun, python = sys.argv[1], sys.argv[2]
copies = int(sys.argv[sys.argv.index("--copies") + 1]) if "--copies" in sys.argv else 2000

fixture = open(os.path.join(here, "..", "Fixtures", "everything.md"), encoding="utf-8").read()
body = fixture.split("\n---\n", 1)[1]
parts = []
for i in range(copies):
    part = re.sub(r"\b(coupling|eq-change|fig-moons|tab-shapes|ex-invert|fig-density|jac)\b", lambda m: f"{m.group(1)}-{i}", body)
    parts.append(part)
text = "\n".join(parts)
path = os.path.join(tempfile.mkdtemp(), "large.md")
open(path, "w", encoding="utf-8").write(text)
size_mb = len(text.encode("utf-8")) / 1e6

def best(run):
    times = []
    for _ in range(3):
        start = time.perf_counter(); run(); times.append(time.perf_counter() - start)
    return min(times)

nbrun_s = best(lambda: subprocess.run([nbrun, "parse", "--format", "diagnostics", path], stdout=subprocess.DEVNULL, check=False))
script = f"""
import time
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
config = MdParserConfig(enable_extensions={{"dollarmath", "colon_fence", "amsmath", "deflist", "substitution"}})
md = create_md_parser(config, RendererHTML)
text = open({path!r}, encoding="utf-8").read()
best = 1e9
for _ in range(3):
    start = time.perf_counter(); md.parse(text); best = min(best, time.perf_counter() - start)
print(best)
from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser
start = time.perf_counter()
publish_doctree(text, parser=Parser(), settings_overrides={{
    "report_level": 5, "halt_level": 5, "myst_enable_extensions": ["dollarmath", "colon_fence", "amsmath"]}})
print(time.perf_counter() - start)
"""
myst_s, doctree_s = map(float, subprocess.run([python, "-c", script], capture_output=True, text=True, check=True).stdout.split())
print(f"document: {size_mb:.1f} MB ({copies} copies of the rich fixture, {text.count(chr(10)) + 1} lines)")
print(f"nbrun parse:                         {nbrun_s:.3f} s  {size_mb / nbrun_s:8.1f} MB/s")
print(f"MyST-Parser tokens (md.parse):       {myst_s:.3f} s  {size_mb / myst_s:8.1f} MB/s  ratio {myst_s / nbrun_s:.1f}x")
print(f"MyST-Parser document (docutils tree): {doctree_s:.3f} s  {size_mb / doctree_s:8.1f} MB/s  ratio {doctree_s / nbrun_s:.1f}x")
