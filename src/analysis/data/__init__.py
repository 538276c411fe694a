"""The steps of loading survey returns and staff rosters.

- :mod:`.reading`: files to one frame of column codes (encodings, header
  mapping, cell parsing, personal and unknown columns);
- :mod:`.validation`: the rules of the data dictionary, each with the message
  a user reads, checked in one lazy pandera pass;
- :mod:`.derivation`: the derived columns (``staff_parttime``, ``fte``,
  ``caseload``, ...);
- :mod:`.selection`: choosing rows of a loaded frame and describing it.

:mod:`analysis.surveys` puts the steps together (``load``, ``load_roster``)
and re-exports the public names; notebooks and the CLI use that module.
"""
