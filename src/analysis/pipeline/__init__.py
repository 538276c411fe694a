"""The report build: plan, cache, execute, render, publish (``workbench build``).

- :mod:`.plan` reads ``params/*.yml`` into reports and jobs and validates them
  against each notebook's ``parameters`` cell.
- :mod:`.cache` computes job keys and remembers finished jobs.
- :mod:`.execute` runs jobs with papermill in parallel, one kernel and folder each.
- :mod:`.document` turns a report's executed notebooks into one document.
- :mod:`.render` renders that document with pandoc+typst or Quarto.
- :mod:`.publish` writes results.json, CSVs, provenance and the index, atomically.
- :mod:`.build` ties them together and reports succeeded / failed / skipped jobs.
"""
