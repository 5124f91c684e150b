"""After the history: quants from the done move lines, then the serials' stored fields
that follow their quants, all in SQL (the ORM would recompute them one serial at a
time)."""

SEED_PRODUCTS = "SELECT id FROM product_product WHERE default_code LIKE 'SEED-%%'"


def phase_quants(env, plan):
    """Quants of the seeded products: for each (product, location, serial) the sum of
    the done move lines in minus out, as Odoo's `_update_available_quantity` keeps them
    (every non-view location, non-zero quantities only, in_date the last arrival)."""
    cr = env.cr
    # fresh statistics: the tables have just grown from nothing by COPY
    cr.execute("ANALYZE stock_move_line, stock_move, stock_picking, stock_lot, project_task")
    cr.execute(f"DELETE FROM stock_quant WHERE product_id IN ({SEED_PRODUCTS})")
    cr.execute(
        f"""
        INSERT INTO stock_quant (product_id, company_id, location_id, lot_id, quantity,
                                 reserved_quantity, in_date, isp_warehouse_id, isp_region_id,
                                 create_uid, create_date, write_uid, write_date)
        SELECT m.product_id, l.company_id, m.location, m.lot_id, SUM(m.qty), 0,
               COALESCE(MAX(m.date) FILTER (WHERE m.qty > 0), MAX(m.date)),
               l.warehouse_id, w.isp_region_id, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
               now() AT TIME ZONE 'UTC'
          FROM (SELECT product_id, location_dest_id AS location, lot_id,
                       quantity_product_uom AS qty, date
                  FROM stock_move_line
                 WHERE state = 'done' AND product_id IN ({SEED_PRODUCTS})
                UNION ALL
                SELECT product_id, location_id, lot_id, -quantity_product_uom, date
                  FROM stock_move_line
                 WHERE state = 'done' AND product_id IN ({SEED_PRODUCTS})) m
          JOIN stock_location l ON l.id = m.location
          LEFT JOIN stock_warehouse w ON w.id = l.warehouse_id
         WHERE l.usage != 'view'
         GROUP BY m.product_id, l.company_id, m.location, m.lot_id, l.warehouse_id,
                  w.isp_region_id
        HAVING ROUND(SUM(m.qty)::numeric, 6) != 0
        """,
        {"uid": env.ref("base.user_admin").id},
    )
    return cr.rowcount


def phase_serial_fields(env, plan):
    """stock.lot's stored computed fields, as their compute methods give them: the
    single location (`_compute_single_location`), the lifecycle state
    (`_compute_isp_state`), the first receipt date and the warranty end."""
    cr = env.cr
    cr.execute("ANALYZE stock_quant")
    cr.execute(
        f"""
        WITH lots AS (SELECT id, product_id FROM stock_lot WHERE product_id IN ({SEED_PRODUCTS})),
        single AS (SELECT q.lot_id, MIN(q.location_id) AS location_id
                     FROM stock_quant q JOIN lots ON lots.id = q.lot_id
                    WHERE q.quantity > 0 GROUP BY q.lot_id
                   HAVING COUNT(DISTINCT q.location_id) = 1),
        last AS (SELECT DISTINCT ON (ml.lot_id) ml.lot_id, ml.location_dest_id
                   FROM stock_move_line ml JOIN lots ON lots.id = ml.lot_id
                  WHERE ml.state = 'done' ORDER BY ml.lot_id, ml.date DESC, ml.id DESC),
        receipt AS (SELECT ml.lot_id, MIN(ml.date) AS date
                      FROM stock_move_line ml JOIN lots ON lots.id = ml.lot_id
                      JOIN stock_location src ON src.id = ml.location_id
                     WHERE ml.state = 'done' AND src.usage = 'supplier' GROUP BY ml.lot_id)
        UPDATE stock_lot lot
           SET location_id = single.location_id,
               isp_state = CASE
                   WHEN loc.id IS NULL THEN 'in_stock'
                   WHEN loc.usage = 'customer' THEN 'installed'
                   WHEN loc.usage = 'supplier' THEN 'rma'
                   WHEN loc.usage IN ('inventory', 'production') THEN 'disposed'
                   WHEN loc.isp_role = 'quarantine' THEN 'faulty'
                   WHEN loc.isp_technician_id IS NOT NULL THEN 'with_technician'
                   ELSE 'in_stock' END,
               isp_receipt_date = COALESCE(receipt.date, lot.create_date),
               isp_warranty_end = CASE WHEN pt.isp_warranty_months > 0
                   THEN (COALESCE(receipt.date, lot.create_date)
                         + make_interval(months => pt.isp_warranty_months))::date END,
               isp_eol_date = pt.isp_eol_date
          FROM lots
          JOIN product_product pp ON pp.id = lots.product_id
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
          LEFT JOIN single ON single.lot_id = lots.id
          LEFT JOIN last ON last.lot_id = lots.id
          LEFT JOIN receipt ON receipt.lot_id = lots.id
          LEFT JOIN stock_location loc
                 ON loc.id = COALESCE(single.location_id, last.location_dest_id)
         WHERE lot.id = lots.id
        """
    )
    rows = cr.rowcount
    # the ORM's caches know nothing of the rows written by SQL
    env.invalidate_all()
    return rows


def phase_flow_summary(env, plan):
    """The monthly stock flows' summary (isp_reports), summed from the history written
    by COPY above, as its hourly cron would: through the model's own refresh."""
    report = env["isp.stock.flow.month.report"]
    report._isp_refresh_flow_summary(full=True)
    env.cr.execute("SELECT COUNT(*) FROM isp_stock_flow_summary")
    return env.cr.fetchone()[0]
