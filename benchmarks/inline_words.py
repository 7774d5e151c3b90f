"""Count the word lists still written inside Python in ``extraction/`` (issue 12's measure).

    python -m benchmarks.inline_words [--list]

A word collection is a set, list or tuple literal (or ``frozenset``/``set`` of one) holding four
or more lower-case word strings; its words are those strings. Language knowledge belongs in
``extraction/data/`` (``lexicon/word_classes*.tsv``), read through ``extraction.lexicon``.
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"^[a-z][a-z'\-\. ]*$")


def collections(root: Path = ROOT / "extraction") -> list[tuple[str, int, list[str]]]:
    """(file, line, words) for every inline word collection under ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
                words = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                         and WORD.match(e.value)]
                if len(words) >= 4:
                    found.append((str(path.relative_to(root.parent)), node.lineno, words))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every collection")
    args = parser.parse_args()
    found = collections()
    if args.list:
        for path, line, words in found:
            print(f"{path}:{line}: {len(words)} words: {' '.join(words[:8])}{' ...' if len(words) > 8 else ''}")
    print(f"{len(found)} inline word collections, {sum(len(w) for _, _, w in found)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
