"""Analytics layer: every formula and every decision rule, on plain pandas frames.

Returns numbers and frames, never widgets or charts: no altair, ipywidgets, IPython, papermill or nbclient
here (import-linter checks it). Undefined results follow `analytics.undefined` (NaN with a reason).
"""
