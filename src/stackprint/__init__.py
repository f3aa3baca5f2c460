"""stackprint: scaffold spec-driven, multi-stack projects from blueprints and keep them in step.

The library API is what the command line calls; tests and scripts may call it directly.
Heavy modules (copier, gitpython, questionary) are imported only when a command needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
