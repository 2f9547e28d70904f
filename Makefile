# Template maintainers' commands. Only python3 is needed: the first target
# run makes .venv and installs everything into it.
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_DIR := .demo
DEMO_PROJECT := $(DEMO_DIR)/acme_api
DEMO_USER := demo
DEMO_PASSWORD := demo-password-change-me
PORT ?= 8000
# The interpreter .venv is made from: any CPython 3.11 or newer. Its build
# matters: one built with profile-guided and link-time optimisation (Debian's
# /usr/bin/python3, python.org's) runs the suite about a sixth faster than one
# built without (pyenv's default). Choose one: make test PYTHON=/usr/bin/python3
PYTHON ?= python3

.PHONY: test check lint format demo benchmark lock clean

test: ## the whole template suite, timed from a bare clone (virtualenv set-up included)
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory check; status=$$?; \
	echo "make test took $$(( $$(date +%s) - start )) s"; \
	exit $$status

# Python and pytest may write bytecode: each module is compiled, and each of
# the 350 modules of pytest's plugin packages (schemathesis, hypothesis) has
# its asserts rewritten, by the first process that imports it, not by every one.
check: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

define DEMO_CURL

The demo API is starting on http://127.0.0.1:$(PORT) (Ctrl-C stops it).
It has one user, $(DEMO_USER) / $(DEMO_PASSWORD). In another terminal, try:

  API=http://127.0.0.1:$(PORT)/api/auth
  token() { python3 -c "import json; print(json.load(open('/tmp/demo-tokens.json'))['$$1'])"; }

  # log in: an access and a refresh token
  curl -s -X POST $$API/token/ -H 'Content-Type: application/json' -d '{"username": "$(DEMO_USER)", "password": "$(DEMO_PASSWORD)"}' | tee /tmp/demo-tokens.json; echo
  ACCESS=$$(token access) REFRESH=$$(token refresh)

  # who am I? (401 without the header)
  curl -s $$API/me/ -H "Authorization: Bearer $$ACCESS"; echo

  # refresh: a new access token and a new refresh token; the old one is blacklisted
  curl -s -X POST $$API/token/refresh/ -H 'Content-Type: application/json' -d "{\"refresh\": \"$$REFRESH\"}" | tee /tmp/demo-tokens.json; echo
  REFRESH=$$(token refresh)

  # log out: the refresh token is blacklisted (204)
  curl -s -o /dev/null -w '%{http_code}' -X POST $$API/logout/ -H 'Content-Type: application/json' -d "{\"refresh\": \"$$REFRESH\"}"; echo

The OpenAPI description is at http://127.0.0.1:$(PORT)/api/schema/, the project in $(DEMO_PROJECT).

endef
export DEMO_CURL

demo: $(INSTALLED) ## bake the defaults, set up SQLite, serve, print curl commands to try
	rm -rf $(DEMO_DIR)
	$(BIN)/cookiecutter --no-input --output-dir $(DEMO_DIR) .
	$(MAKE) -C $(DEMO_PROJECT) migrate
	cd $(DEMO_PROJECT) && DJANGO_SUPERUSER_USERNAME=$(DEMO_USER) \
		DJANGO_SUPERUSER_PASSWORD=$(DEMO_PASSWORD) DJANGO_SUPERUSER_EMAIL=demo@example.com \
		.venv/bin/python manage.py createsuperuser --noinput
	@echo "$$DEMO_CURL"
	$(MAKE) -C $(DEMO_PROJECT) run PORT=$(PORT)

benchmark: $(INSTALLED) ## time a bake, one variant's checks and the whole suite
	$(BIN)/python -m tests.benchmark

lock: $(INSTALLED) ## re-resolve the baked projects' lock files (the only step that needs PyPI)
	$(BIN)/python -m tests.locks

clean:
	rm -rf $(VENV) $(DEMO_DIR)

# uv installs everything. Only uv itself comes through pip: python3's own pip
# puts it in the virtualenv when it can (pip 22.3 and later), which spares the
# 3 s of ensurepip; otherwise the virtualenv gets a pip of its own first.
# uv resolves from its own cache first (half a second) and asks the package
# index only when the cache lacks something (revalidating every page there
# takes 6 s of waiting). Bytecode is not compiled at install (3 s for every
# module of every package): `make check` lets Python write it, so each module
# is compiled by the first process that imports it and read by every later one.
UV_INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python \
	-r pyproject.toml --group test --group project
$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet --disable-pip-version-check uv 2>/dev/null \
		|| { $(BIN)/python -m ensurepip --default-pip >/dev/null \
		&& $(BIN)/python -m pip install --quiet --disable-pip-version-check uv; }
	$(UV_INSTALL) --offline 2>/dev/null || $(UV_INSTALL)
	touch $@
