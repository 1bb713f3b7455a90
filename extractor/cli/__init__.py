"""The `extractor` command (entry point `main`): the CLI on top of the library.

parser.py builds the options, commands.py runs each command, inputs.py walks and reads
the inputs, batch.py (with worker, cross, engines, lock, progress) runs `extractor batch`.
The library never imports this package.
"""
from __future__ import annotations

import os
import sys

from ..errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, NoInput, UsageError
from .parser import build_parser

__all__ = ["main", "build_parser"]


def main(argv=None) -> int:
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return EXIT_USAGE if e.code not in (0, None) else EXIT_OK
    try:
        return args.func(args)
    except UsageError as e:
        print(f"extractor: {e}", file=sys.stderr)
        return e.exit_code
    except NoInput as e:
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("extractor: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
