"""Serve the built book on http://127.0.0.1:PORT (default 8000) for reading.

Python's own server, with the JavaScript-module type registered so that the
book's mermaid diagrams (``.mjs`` files) load in every browser.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import mimetypes
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
mimetypes.add_type("text/javascript", ".mjs")


class BookHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", default=str(ROOT / "_build" / "html"))
    args = parser.parse_args()
    if not (Path(args.directory) / "index.html").exists():
        raise SystemExit(f"No built book in {args.directory}: run `make book` first.")
    handler = functools.partial(BookHandler, directory=args.directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"Serving the book at http://127.0.0.1:{args.port}/ (Ctrl-C to stop)")
        server.serve_forever()


if __name__ == "__main__":
    main()
