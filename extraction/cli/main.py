"""``main``: the ``claims`` command, ``app`` with every command registered and no traceback ever."""

from __future__ import annotations

import re
import signal
import sys

import typer

from extraction.cli import commands, reading, views  # noqa: F401 - they register the commands on app
from extraction.cli.app import EXIT_FATAL, READERS, app


def main() -> None:
    """The ``claims`` command: ``app`` with no traceback ever. A bad ``CLAIMS_*`` setting is a usage
    error (exit 2); a closed output pipe (``claims export | head``) ends the commands that only
    read quietly, by SIGPIPE as coreutils do; anything unexpected is one line on stderr and exit 3
    (``CLAIMS_DEBUG=1`` shows the traceback)."""
    import os

    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    if len(sys.argv) > 1 and sys.argv[1] in READERS and hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # they write nothing a broken pipe could cut short
    try:
        app()
    except (ValidationError, SettingsError) as exc:
        typer.echo(f"error: bad setting: {_setting_problem(exc)}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        # stdout's reader went away: point stdout at /dev/null so the flush at exit says nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("CLAIMS_DEBUG"):
            raise
        typer.echo(f"error: unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
                   "(CLAIMS_DEBUG=1 shows where)", err=True)
        sys.exit(EXIT_FATAL)


def _setting_problem(exc: Exception) -> str:
    """One line naming the CLAIMS_* variable at fault and what it needs."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        loc = [str(p) for p in first.get("loc", ()) if not str(p).isdigit()]
        name = "CLAIMS_" + "__".join(loc).upper() if loc else "a CLAIMS_* variable"
        return f"{name}: {first['msg']} (got {first.get('input')!r})"
    text = " ".join(str(exc).split())
    field = re.search(r'field "(\w+)"', text)
    if field:
        hint = " (a list is written as JSON, e.g. '[\"body\"]')" if "parsing value" in text else ""
        return f"CLAIMS_{field[1].upper()}: {text}{hint}"
    return text


if __name__ == "__main__":  # pragma: no cover
    main()
