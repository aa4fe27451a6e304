"""The panels' units, in a module of their own: the command line's --help reads them without
importing `csto_dataset.panels` (which needs `typing`, `json` and the membership rule)."""

UNITS = ("state-year", "state-day", "dyad-year")
