"""Arabic briefing archive: turns cleaned Arabic articles into an RTL static site."""

__version__ = "0.1.0"
