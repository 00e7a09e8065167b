"""The README quotes the soaks' figures from bench/soak-results.md, which `make soak` rewrites:
one source. When a soak is run again, the README's sentences must be updated to its new counts.

The README's sentences are read by their wording ("Last soak: N inputs, N SIGKILLs, ..."): a test
that cannot find them fails, so the figures cannot silently drop out of the README either.
"""

import re

from testkit.runtime import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
RESULTS = (ROOT / "bench" / "soak-results.md").read_text(encoding="utf-8")
NUMBER = r"([\d,]+)"


def number(text):
    return int(text.replace(",", ""))


def section(title):
    start = RESULTS.index("# " + title)
    end = RESULTS.find("\n# ", start + 1)
    return RESULTS[start:end if end >= 0 else None]


def table(text):
    """Row label -> the leading number of each later cell ("87 (output 24, ...)" -> 87)."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) > 1 and not set(cells[1]) <= set("-: "):
            leading = [re.match(r"[\d,]+", c) for c in cells[1:]]
            if all(leading):
                rows[cells[0]] = [number(m.group()) for m in leading]
    return rows


def readme_figures(pattern):
    found = re.findall(pattern, README)
    assert len(found) == 1, f"the README should say this once: {pattern}"
    return [number(n) for n in found[0]]


def test_runtime_kill_soak_figures_are_the_recorded_ones():
    rows = table(section("Runtime kill soak"))
    recorded = [sum(rows["Inputs (expected data / error)"]), sum(rows["Kills (SIGKILL)"]), sum(rows["Lost"]),
                sum(rows["Duplicated (a second messageId or outcome)"]),
                sum(rows["Repeats with the same messageId and content"])]
    quoted = readme_figures(rf"Last soak: {NUMBER} inputs, {NUMBER} SIGKILLs, {NUMBER} lost, {NUMBER} duplicated "
                            rf"with another id, {NUMBER} exact repeats")
    assert quoted == recorded


def test_polling_soak_figures_are_the_recorded_ones():
    text = section("List Orders soak")
    rows = table(text)
    orders = number(re.search(r"^([\d,]+) orders changing", text, re.MULTILINE).group(1))
    recorded = [orders, rows["Order versions that existed (all observable)"][0], rows["Crashes (SIGKILL)"][0],
                rows["Lost"][0]]
    quoted = readme_figures(rf"Last soak: {NUMBER} changing orders, {NUMBER} versions, {NUMBER} SIGKILLs, "
                            rf"\*\*{NUMBER} lost\*\*")
    assert quoted == recorded
    quoted = readme_figures(rf"soak: {NUMBER} repeated outside a crashed page, at most {NUMBER} per crash")
    assert quoted == [rows["Repeated outside a crashed page"][0], rows["Repeats per crash (max; page size 100)"][0]]
