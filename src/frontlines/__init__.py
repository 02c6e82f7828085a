"""frontlines: layers, queries and an explainer of the 2016 battle for Aleppo."""

from .atlas import Atlas, Where, load
from .layers import LayerError, Layers, find_geo, read_layers
from .validate import Problem, check_folder

__all__ = [
    "Atlas",
    "Where",
    "load",
    "LayerError",
    "Layers",
    "find_geo",
    "read_layers",
    "Problem",
    "check_folder",
]
__version__ = "0.1.0"
