"""The reading stages: one spaCy parse per document, then our rules (pipeline.py)."""
from __future__ import annotations

import sys


def _thinc_without_torch() -> None:
    """Import spaCy's thinc with torch hidden, then unhide it.

    thinc imports torch whenever it is installed (the optional mpnet classifier installs it),
    which costs every reading process about 230 MB; our spaCy pipeline runs on thinc's NumPy
    ops and never needs it. The sentence encoders (encoders.py) still import torch themselves."""
    if "thinc" in sys.modules or "torch" in sys.modules:
        return  # decided already, by whoever imported it first
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` fails inside thinc
    try:
        import thinc.compat  # noqa: F401
    finally:
        del sys.modules["torch"]


_thinc_without_torch()
