"""The stock invariants of an ISP database, in SQL on a plain cursor: one place for
`make seed` (printed at its end, tests/test_seed.py) and `make load` (checked before and
after the rounds, tests/test_load_invariants.py).

Each query returns the rows that break its invariant: none when it holds. Serial checks
read serial-tracked products only: a lot of a lot-tracked product (a cable spool) may be
in several places at once, and what of it reaches a customer is used, not installed.
"""

from odoo.tools import SQL

SERIALS = SQL(
    """SELECT lot.id FROM stock_lot lot
       JOIN product_product pp ON pp.id = lot.product_id
       JOIN product_template pt ON pt.id = pp.product_tmpl_id
       WHERE pt.tracking = 'serial'"""
)

INVARIANTS = {
    # no negative stock in a store, van, kit, quarantine or refurbishment location
    "negative quants in stores and vans": SQL(
        """SELECT q.id AS quant, l.complete_name AS location, q.product_id, q.lot_id,
                  q.quantity
           FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
           WHERE l.usage = 'internal' AND q.quantity < 0 ORDER BY q.id"""
    ),
    # what left one location reached another: each product's quants sum to zero
    "products whose quants do not sum to zero": SQL(
        """SELECT product_id, sum(quantity) AS total FROM stock_quant GROUP BY product_id
           HAVING abs(sum(quantity)) > 0.0001 ORDER BY product_id"""
    ),
    # each quant is what the done move lines brought there and took away, per
    # (product, location, lot)
    "quants differing from the done moves": SQL(
        """SELECT d.product_id, d.location_id, d.lot_id, d.difference FROM (
               SELECT product_id, location_id, lot_id, sum(qty) AS difference FROM (
                   SELECT product_id, location_dest_id AS location_id, lot_id,
                          quantity_product_uom AS qty
                     FROM stock_move_line WHERE state = 'done'
                   UNION ALL
                   SELECT product_id, location_id, lot_id, -quantity_product_uom
                     FROM stock_move_line WHERE state = 'done'
                   UNION ALL
                   SELECT product_id, location_id, lot_id, -quantity FROM stock_quant
               ) x GROUP BY product_id, location_id, lot_id
               HAVING abs(sum(qty)) > 0.000001
           ) d JOIN stock_location l ON l.id = d.location_id
           WHERE l.usage != 'view' ORDER BY d.product_id, d.location_id, d.lot_id"""
    ),
    # a serial has a positive quantity in one place at most, and never more than 1
    "serials in two places": SQL(
        """SELECT lot_id, count(*) AS quants, sum(quantity) AS quantity FROM stock_quant
           WHERE lot_id IN (%s) AND quantity > 0
           GROUP BY lot_id HAVING count(*) > 1 OR sum(quantity) > 1 ORDER BY lot_id""",
        SERIALS,
    ),
    # the install record (customer, date) is there exactly when the serial is at a
    # customer, and the serial's lifecycle state says so
    "install records not where their serial is": SQL(
        """SELECT lot.id AS lot, lot.name, lot.isp_customer_id, lot.isp_state,
                  coalesce(here.at_customer, FALSE) AS at_customer
           FROM stock_lot lot
           LEFT JOIN LATERAL (
               SELECT bool_or(l.usage = 'customer') AS at_customer FROM stock_quant q
               JOIN stock_location l ON l.id = q.location_id
               WHERE q.lot_id = lot.id AND q.quantity > 0) here ON TRUE
           WHERE lot.id IN (%s)
             AND ((lot.isp_customer_id IS NOT NULL) <> coalesce(here.at_customer, FALSE)
                  OR (lot.isp_state = 'installed') <> (lot.isp_customer_id IS NOT NULL)
                  OR (lot.isp_customer_id IS NOT NULL AND lot.isp_installed_date IS NULL))
           ORDER BY lot.id""",
        SERIALS,
    ),
}


def violations(cr):
    """{invariant: the rows that break it}, each list empty when the invariant holds."""
    found = {}
    for label, query in INVARIANTS.items():
        cr.execute(query)
        found[label] = cr.dictfetchall()
    return found


def check(cr):
    """{invariant: number of violations}: all 0 when the data is sound."""
    return {label: len(rows) for label, rows in violations(cr).items()}
