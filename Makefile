# Influencer Team Playbook. Needs only Python 3.11+ and make: the first target you run creates .venv,
# installs the project (editable, with its test extras) and the project kernel; later runs reinstall
# only when pyproject.toml changed. `make help` lists the targets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := influencer-playbook

# pytest exits 5 when it collects nothing, so notebooks/ is passed only when it holds notebooks. The exercise
# masters (solutions/) and the generated learner copies (exercises/, stubs included) run top to bottom too.
NOTEBOOKS := $(shell find notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)
NBVAL := $(if $(NOTEBOOKS),--nbval-lax --nbval-kernel-name $(KERNEL) notebooks solutions exercises)
PYTEST_ARGS ?=
# JupyterLab refuses to start as root without --allow-root; new notebooks default to the project kernel.
LAB_ARGS ?= --MappingKernelManager.default_kernel_name=$(KERNEL) $(if $(filter 0,$(shell id -u)),--allow-root)

.DEFAULT_GOAL := help
.PHONY: help setup report test lint lab datasets exercises clean distclean

help:
	@echo "make report     set up, validate the sample data, print a summary, write the HTML campaign reports"
	@echo "make test       set up, lint, run tests/ and the course notebooks (nbval, project kernel)"
	@echo "make lab        set up and open JupyterLab on notebooks/"
	@echo "make setup      create .venv, install the project and its kernel (only when needed)"
	@echo "make lint       ruff check + ruff format --check + lint-imports (the layer contracts)"
	@echo "make datasets   regenerate the seeded sample data and its data dictionary"
	@echo "make exercises  regenerate exercises/ from solutions/, the course's exercise links, TRAINER.md"
	@echo "make clean      remove caches and build files; make distclean also removes .venv and datasets/large"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: '$(PYTHON)' is missing or older than 3.11; try: make $(MAKECMDGOALS) PYTHON=python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV) || \
		{ rm -rf $(VENV); echo "error: venv failed; on Debian/Ubuntu: apt-get install python3-venv"; exit 1; }

# The stamp lives inside .venv, so a new venv always installs. rfc3987-syntax comes with
# jsonschema[format-nongpl] (via jupyter-events) and builds a grammar costing ~3 s at import in every Jupyter
# process, kernel importing altair and pytest start; nothing here uses the iri formats it checks, and pip
# brings it back on every install, so it is removed after every install (`playbook doctor` warns if it returns).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	$(BIN)/python -m pip uninstall -y rfc3987-syntax
	$(BIN)/python -m playbook.kernel
	@touch $@

setup: $(STAMP)

report: setup
	$(BIN)/playbook datasets validate
	$(BIN)/playbook summary
	$(BIN)/playbook report --all --out reports --jobs 2
	@echo
	@echo "Where things are:"
	@echo "  reports/index.html   every sample campaign compared, with links to each report"
	@echo "  reports/<id>.html    one post-campaign review per campaign (offline, no code shown)"
	@echo "  reports/<id>.metrics.json   its headline figures, for other tools"
	@echo "  playbook/resources/sample/   the sample data (CSV); datasets/README.md is the data dictionary"
	@echo "  notebooks/           the course: make lab"
	@echo "  .venv/bin/playbook doctor   checks this setup and prints a fix for anything wrong"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS) tests $(NBVAL)

# playbook.kernel also installs the project's JupyterLab defaults (news pop-up and update check off).
lab: setup
	@$(BIN)/python -m playbook.kernel >/dev/null
	$(BIN)/jupyter lab $(LAB_ARGS) notebooks/

datasets: setup
	$(BIN)/playbook datasets generate
	$(BIN)/playbook datasets dictionary

exercises: setup
	$(BIN)/playbook exercises build
	$(BIN)/python -m playbook.course.catalogue

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints \) -print \
		| xargs rm -rf

distclean: clean
	rm -rf $(VENV) datasets/large
