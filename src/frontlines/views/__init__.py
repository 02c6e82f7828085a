"""The reader app's views, one small class each; :class:`frontlines.app.App` assembles them."""

from .data import DataView
from .explorer import ExplorerView
from .syria import SyriaView

__all__ = ["DataView", "ExplorerView", "SyriaView"]
