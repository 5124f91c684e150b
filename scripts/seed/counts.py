"""What `make seed` made: counts of the seeded records, printed at its end and checked
by tests/test_seed.py (the invariants are scripts/invariants.py)."""

COUNTS = {
    "regions": "SELECT COUNT(*) FROM isp_region",
    "branches": "SELECT COUNT(*) FROM stock_warehouse",
    "technicians": "SELECT COUNT(*) FROM isp_technician",
    "products": "SELECT COUNT(*) FROM product_product WHERE default_code LIKE 'SEED-%'",
    "customers": "SELECT COUNT(*) FROM res_partner WHERE ref LIKE 'SC%'",
    "serials": "SELECT COUNT(*) FROM stock_lot",
    "installed serials": "SELECT COUNT(*) FROM stock_lot WHERE isp_state = 'installed'",
    "transfers": "SELECT COUNT(*) FROM stock_picking WHERE state = 'done'",
    "done move lines": "SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'",
    "job cards": "SELECT COUNT(*) FROM project_task WHERE isp_job_state = 'done'",
    "quants": "SELECT COUNT(*) FROM stock_quant",
}


def counts(cr):
    result = {}
    for name, query in COUNTS.items():
        cr.execute(query)
        result[name] = cr.fetchone()[0]
    return result
