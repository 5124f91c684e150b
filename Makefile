# ISP Inventory for Odoo: the two commands are `make run` and `make test`.
.PHONY: setup run test test-odoo bench bench-scale seed load pot lint format clean

setup:  ## install everything (apt, PostgreSQL, Odoo 19, venv); idempotent
	@bash scripts/setup.sh

run:  ## serve Odoo + ISP addons + demo data on http://127.0.0.1:8069 (admin/admin)
	@bash scripts/run.sh

test:  ## throw-away database, install the addons, run every test (ARGS= scopes pytest)
	@bash scripts/test.sh $(ARGS)

test-odoo:  ## Odoo's own stock/account/purchase/project/repair/maintenance tests with the ISP addons
	@bash scripts/test_odoo.sh

bench:  ## time each operation as its user at two data sizes (BENCH_FACTOR, BENCH_SMOKE=1); writes docs/benchmarks.md
	@bash scripts/bench.sh

seed:  ## an ISP-size database (SCALE=1: 500 technicians, 200k serials, ~1M move lines; SEED, SEED_DB, SEED_END_DATE)
	@SCALE=$(or $(SCALE),1) bash scripts/seed.sh

bench-scale:  ## reports and screens timed as their users on the `make seed` database; writes docs/benchmarks-scale.md
	@bash scripts/bench_scale.sh

load:  ## technicians at once on prefork servers (1, 4, 8 clients; two servers; PgBouncer); after `make bench` (LOAD_SOURCE=seed: a copy of `make seed`'s); writes docs/load.md
	@bash scripts/load.sh

pot:  ## regenerate the translation templates (<addon>/i18n/<addon>.pot)
	@bash scripts/pot.sh

lint:  ## ruff (lint + format check) and pylint-odoo (Odoo 19 checks)
	@bash scripts/setup.sh >/dev/null
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .
	@.venv/bin/pylint --rcfile=.pylintrc --disable=missing-readme \
		isp_inventory isp_field_service isp_reports && echo "pylint-odoo: no issues"

format:  ## apply ruff fixes and formatting
	@.venv/bin/ruff check --fix . && .venv/bin/ruff format .

clean:  ## drop the local databases and generated files (keeps the Odoo download)
	-dropdb --if-exists --force isp_test; dropdb --if-exists --force isp_demo; dropdb --if-exists --force isp_bench
	rm -rf .local test-output .pytest_cache .ruff_cache
