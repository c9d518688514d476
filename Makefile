# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= output
# Tests run on every core (at most 4: each worker starts kernels and a browser), tests handed out
# one at a time as workers free up (pytest-xdist's worksteal: a few tests take most of the time)
JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)
PYTEST := $(BIN)/python -m pytest -n $(JOBS) --dist worksteal

.PHONY: demo test test-fast lab demo-data notebooks bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lab,dask]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (evaluation)" >/dev/null
	@$(BIN)/python -c "import weasyprint" 2>/dev/null || { \
	  echo "PDF-versionen behöver systembiblioteket Pango, som saknas (WeasyPrint kan inte laddas)."; \
	  echo "Installera det och kör make igen:  sudo apt-get install libpangoft2-1.0-0 libharfbuzz-subset0"; \
	  echo "(macOS: brew install pango)"; exit 1; }
	@$(BIN)/python -W ignore -c "from weasyprint.text.ffi import harfbuzz_subset; raise SystemExit(harfbuzz_subset is None)" 2>/dev/null || \
	  echo "Obs: HarfBuzz-Subset saknas, så varje PDF tar nästan en halv sekund längre. Installera det: sudo apt-get install libharfbuzz-subset0"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/evaluation demo --out $(OUT)

test: $(STAMP)
	$(PYTEST)

test-fast: $(STAMP)
	$(PYTEST) -m "not slow"

# JupyterLab on git-ignored working copies in arbete/ (the committed notebooks stay clean).
lab: $(STAMP)
	$(BIN)/python -m evaluation.tools.workspace

demo-data: $(STAMP)
	$(BIN)/python scripts/make_demo.py

notebooks: $(STAMP)
	$(BIN)/python scripts/make_notebooks.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_register.py
	$(BIN)/python benchmarks/bench_inputs.py
	$(BIN)/python benchmarks/bench_disclosure.py

clean:
	rm -rf $(OUT) $(VENV)
