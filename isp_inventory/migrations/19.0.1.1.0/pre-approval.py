"""One approval engine: the loss reports' and counts' own approval fields take the
engine's names (their values, and the counts' tracking history, are kept)."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists

RENAMES = [
    # (table, model, old field, new field)
    ("isp_loss_report", "isp.loss.report", "approver_id", "isp_approved_by_id"),
    ("isp_loss_report", "isp.loss.report", "reject_reason", "isp_rejection_reason"),
    ("isp_stock_count", "isp.stock.count", "approved_by_id", "isp_approved_by_id"),
    ("isp_stock_count", "isp.stock.count", "rejection_reason", "isp_rejection_reason"),
]


def migrate(cr, version):
    for table, model, old, new in RENAMES:
        if not column_exists(cr, table, old) or column_exists(cr, table, new):
            continue
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME COLUMN %s TO %s",
                SQL.identifier(table),
                SQL.identifier(old),
                SQL.identifier(new),
            )
        )
        cr.execute(
            "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
            (new, model, old),
        )
        prefix = "field_{}__".format(model.replace(".", "_"))
        cr.execute(
            "UPDATE ir_model_data SET name = %s "
            "WHERE module = 'isp_inventory' AND model = 'ir.model.fields' AND name = %s",
            (prefix + new, prefix + old),
        )
