"""Data layer: the contracts and everything that reads, writes, caches or produces tables.

`schemas` (the contract spec), `loading` (read and validate a data directory), `cache`, `registry` (the
benchmark registry and tier presets), `layout` (where files live), `problems` (errors), `cleaning`,
`dictionary`, `templates`; `synth/` is the seeded generator and the messy exports. Imports nothing from
the layers above (analytics, viz, course, reports, faces).
"""
