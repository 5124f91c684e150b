"""Spool cuts are tied to their job (19.0.1.4.0).

`stock.move.line.isp_task_id` is new, stored and related to its move's job. Odoo
would compute it record by record for every existing move line (over a million at an
ISP's size); one UPDATE fills it from the moves before the module loads, so the update
finds the column there and computes nothing.
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("ALTER TABLE stock_move_line ADD COLUMN IF NOT EXISTS isp_task_id integer"))
    cr.execute(
        SQL(
            """
            UPDATE stock_move_line AS line
               SET isp_task_id = move.isp_task_id
              FROM stock_move AS move
             WHERE move.id = line.move_id
               AND move.isp_task_id IS NOT NULL
               AND line.isp_task_id IS DISTINCT FROM move.isp_task_id
            """
        )
    )
