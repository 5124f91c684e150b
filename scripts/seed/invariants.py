"""The invariants of the seeded data (and of any ISP database), in SQL on a plain
cursor: used by tests/test_seed.py and printed at the end of `make seed`. Each value
is a count of violations: all must be 0."""

CHECKS = {
    # quants equal the sum of the done move lines, per (product, location, serial)
    "quants differing from the done moves": """
        SELECT COUNT(*) FROM (
            SELECT location_id FROM (
                SELECT product_id, location_dest_id AS location_id, lot_id,
                       quantity_product_uom AS qty
                  FROM stock_move_line WHERE state = 'done'
                UNION ALL
                SELECT product_id, location_id, lot_id, -quantity_product_uom
                  FROM stock_move_line WHERE state = 'done'
                UNION ALL
                SELECT product_id, location_id, lot_id, -quantity FROM stock_quant
            ) x GROUP BY product_id, location_id, lot_id HAVING ABS(SUM(qty)) > 0.000001
        ) d JOIN stock_location l ON l.id = d.location_id WHERE l.usage != 'view'""",
    # a serial has a positive quantity in one place at most, and never more than 1
    "serials in two places": """
        SELECT COUNT(*) FROM (
            SELECT q.lot_id FROM stock_quant q
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE q.quantity > 0 AND q.lot_id IS NOT NULL AND pt.tracking = 'serial'
             GROUP BY q.lot_id HAVING COUNT(DISTINCT q.location_id) > 1 OR SUM(q.quantity) > 1
        ) x""",
    # the install record (customer, date, technician) is there exactly when the serial
    # is at a customer, and its lifecycle state says so
    "install records not matching the serial's location": """
        SELECT COUNT(*) FROM stock_lot lot
          LEFT JOIN stock_quant q ON q.lot_id = lot.id AND q.quantity > 0
          LEFT JOIN stock_location l ON l.id = q.location_id
         WHERE (lot.isp_customer_id IS NOT NULL) != (l.usage = 'customer' AND l.id IS NOT NULL)
            OR (lot.isp_state = 'installed') != (lot.isp_customer_id IS NOT NULL)
            OR (lot.isp_customer_id IS NOT NULL AND lot.isp_installed_date IS NULL)""",
    # no negative stock in a store, van, kit or quarantine
    "negative quants in internal locations": """
        SELECT COUNT(*) FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
         WHERE l.usage = 'internal' AND q.quantity < 0""",
}

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


def check(cr):
    """{check: number of violations}."""
    result = {}
    for name, query in CHECKS.items():
        cr.execute(query)
        result[name] = cr.fetchone()[0]
    return result


def counts(cr):
    result = {}
    for name, query in COUNTS.items():
        cr.execute(query)
        result[name] = cr.fetchone()[0]
    return result
