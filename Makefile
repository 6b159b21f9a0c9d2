# Two commands are all the set-up there is (see README.md):
#   make run    install into .venv and open courtdesk on the demo database
#   make test   install into .venv with the test tools and run every check
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint dist bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/courtdesk

# Without a display the tests run on Qt's offscreen platform.
test: $(STAMP)
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then export QT_QPA_PLATFORM=offscreen; fi; \
	set -e; \
	echo "== ruff"; $(BIN)/ruff check .; \
	echo "== mypy"; $(BIN)/mypy; \
	echo "== import contracts"; $(BIN)/lint-imports; \
	echo "== pytest"; $(BIN)/pytest

# The one-folder program for court PCs (see README: "Installing on a court PC").
dist: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	@du -sh dist/courtdesk-*

# The scale benchmark: a million cases, built once into bench-data/ and cached.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.scale --cases 1000000

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/mypy && $(BIN)/lint-imports

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
