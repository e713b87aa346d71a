"""Reports layer: parameters, sections, HTML export, the kernel runner, chart helper processes and the
batch (`render`). The report notebook itself ships in `playbook/resources/campaign_report.ipynb`.
"""
