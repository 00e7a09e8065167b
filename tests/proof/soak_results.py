"""bench/soak-results.md: one section per soak, each soak replacing only its own."""

from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "soak-results.md"


def write_section(heading, body, path=RESULTS):
    """Put HEADING (a "# ..." line) + BODY in place of that section, or at the end; the others stay."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = heading + "\n\n" + body.strip("\n") + "\n"
    start = text.find(heading + "\n")
    if start < 0:
        text = text.strip("\n")
        path.write_text((text + "\n\n" if text else "") + section, encoding="utf-8")
        return
    end = text.find("\n# ", start + len(heading))
    rest = "\n" + text[end + 1:] if end >= 0 else ""
    path.write_text(text[:start] + section + rest, encoding="utf-8")
