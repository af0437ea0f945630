# Two commands: `make run` and `make test`. Both set up everything they need and are idempotent.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8501
# Local only unless sign-in is configured ([auth] in .streamlit/secrets.toml): see README "Running for a team"
ADDRESS ?= $(shell grep -qs '^\[auth' .streamlit/secrets.toml && echo 0.0.0.0 || echo 127.0.0.1)
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements.stamp
MODEL  := weights/u2netp.onnx
DEMO   := data/demo/manifest.json
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

export U2NET_HOME := $(CURDIR)/weights
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup chromium lint bench clean

run: setup
	$(VENV)/bin/streamlit run Home.py --server.port $(PORT) --server.address $(ADDRESS)

test: setup chromium lint
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(STAMP) $(MODEL) $(DEMO)

$(PY):
	$(PYTHON) -m venv $(VENV)

# reinstall only when requirements.txt changes
$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q --upgrade pip
	$(PY) -m pip install --disable-pip-version-check -r requirements.txt
	@# rembg imports pymatting, whose numba kernels compile eagerly (~40 s) and cache in the venv:
	@# pay that once here rather than on a user's first photo
	$(PY) -c "import rembg"
	touch $@

$(MODEL): | $(STAMP)
	$(PY) -m core provision --dest weights

$(DEMO): core/demo/*.py core/demo/photos/* | $(STAMP)
	$(PY) -m core demo-data --out data/demo

# Debian's chromium for the headless-browser tests (never `playwright install`)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium ; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: setup
	@for b in benchmarks/[a-z]*.py; do m=$$(basename $$b .py); echo "== $$m"; $(PY) -m benchmarks.$$m; done

clean:
	rm -rf $(VENV) weights data/demo data/runs data/cache
