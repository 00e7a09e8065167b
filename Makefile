# Quick start: `make demo` runs the main job against the embedded sandbox; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall when the project's dependencies change.
DEPS   := $(VENV)/.deps-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test soak bench rabbitmq-start rabbitmq-stop schemas clean

$(DEPS):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[runtime,test]'
	@rm -f $(VENV)/.deps-* && touch $@

demo: $(DEPS)
	$(BIN)/mws-component demo

# The runtime's integration tests need a real RabbitMQ: installed if missing,
# started on a private port for the run, stopped afterwards.
test: $(DEPS)
	bash scripts/rabbitmq.sh install
	bash scripts/rabbitmq.sh start
	status=0; $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS) || status=$$?; \
	bash scripts/rabbitmq.sh stop; exit $$status

soak: $(DEPS)
	bash scripts/rabbitmq.sh install
	bash scripts/rabbitmq.sh start
	status=0; $(BIN)/python -m pytest -q -p no:cacheprovider -m soak -s || status=$$?; \
	bash scripts/rabbitmq.sh stop; exit $$status

bench: $(DEPS)
	for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Regenerate the product category schemas from Amazon's XSDs (kept outside the project).
schemas: $(DEPS)
	$(BIN)/python tools/gen_category_schemas.py ../shared/mws-xsd

clean:
	rm -rf $(VENV) .rabbitmq build *.egg-info
