"""Research and reporting workbench for township civil-affairs (民政) capacity.

Modules: :mod:`surveys` (loading and validation; its steps are in
:mod:`data`), :mod:`dictionary` (column codes and Chinese labels),
:mod:`sample` (synthetic sample data), :mod:`style` (house style with CJK
fonts), :mod:`cli` (the ``workbench`` command).
"""

__version__ = "0.1.0"
