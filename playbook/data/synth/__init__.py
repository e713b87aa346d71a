"""The seeded synthetic world: `generate` writes every table, `calibration` ties each modelling choice to
the benchmark registry, `creators`, `posts`, `orders`, `campaigns` and `ops` draw the parts, and `messy`
writes the deliberately dirty exports of the cleaning lesson. A producer of data: analytics never imports it.
"""
