"""Reports layer: parameters (`params`), a report's context (`context`), its figures as plain data
(`figures/`), the sections that display them (`sections/`), HTML export, the kernel runner, chart helper
processes and the batch (`render`). The report notebook ships in `playbook/resources/campaign_report.ipynb`.
"""
