"""factwatch: monitor misinformation and answer it with evidence.

Data flows one way: source -> Item -> analysers -> Signals -> Cases -> Review -> Publication.
"""

from factwatch.models import Case, Entity, FactCheck, Item, Signal

__all__ = ["Case", "Entity", "FactCheck", "Item", "Signal", "__version__"]
__version__ = "0.1.0"
