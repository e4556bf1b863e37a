"""Running the command line in tests whose subject is what a command prints."""
from __future__ import annotations

from typing import Optional

from click.testing import CliRunner

from frontlines.cli import main


def run_ok(*args: str, input: Optional[str] = None) -> str:
    """What `frontlines ARGS` prints on stdout; the test fails, showing the output, if it fails."""
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout
