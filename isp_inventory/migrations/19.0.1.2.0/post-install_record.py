"""The install record is written in the stock layer (19.0.1.2.0).

Before, only the ISP operations wrote it, so a serial delivered to a customer by a plain
delivery had no customer, and one that left the customer kept its old installation
date, installer and GPS. Here each serial at a customer gets the customer, date and
installer (when it came from a van) of its last done move there, and the install
record of every serial not at a customer is cleared.
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            WITH last_in AS (
                SELECT DISTINCT ON (line.lot_id)
                       line.lot_id,
                       COALESCE(move.partner_id, picking.partner_id) AS partner_id,
                       line.date,
                       source.isp_technician_id
                  FROM stock_move_line line
                  JOIN stock_move move ON move.id = line.move_id
                  JOIN stock_location destination ON destination.id = line.location_dest_id
                  JOIN stock_location source ON source.id = line.location_id
             LEFT JOIN stock_picking picking ON picking.id = line.picking_id
                 WHERE line.state = %(done)s
                   AND line.lot_id IS NOT NULL
                   AND destination.usage = %(customer)s
              ORDER BY line.lot_id, line.date DESC, line.id DESC
            )
            UPDATE stock_lot lot
               SET isp_customer_id = last_in.partner_id,
                   isp_installed_date = COALESCE(lot.isp_installed_date, last_in.date),
                   isp_installed_by_id =
                       COALESCE(lot.isp_installed_by_id, last_in.isp_technician_id)
              FROM last_in
             WHERE last_in.lot_id = lot.id
               AND lot.isp_state = %(installed)s
               AND lot.isp_customer_id IS NULL
               AND last_in.partner_id IS NOT NULL
            """,
            done="done",
            customer="customer",
            installed="installed",
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE stock_lot
               SET isp_customer_id = NULL, isp_installed_date = NULL,
                   isp_installed_by_id = NULL, isp_latitude = 0, isp_longitude = 0,
                   isp_rx_power_dbm = 0, isp_olt_port = NULL
             WHERE isp_state IS DISTINCT FROM %s
               AND (isp_customer_id IS NOT NULL OR isp_installed_date IS NOT NULL)
            """,
            "installed",
        )
    )
