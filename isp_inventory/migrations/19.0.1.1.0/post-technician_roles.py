"""Technicians no longer hold Odoo's Inventory / User group (19.0.1.1.0).

Fresh installs simply do not imply it; existing databases still have the implication
stored in res_groups_implied_rel, which a data update does not remove (the XML only
ever linked it). Users who were given Inventory / User explicitly keep it.
"""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """
            DELETE FROM res_groups_implied_rel rel
             USING ir_model_data tech, ir_model_data stock
             WHERE tech.module = 'isp_inventory' AND tech.name = 'group_isp_technician'
               AND stock.module = 'stock' AND stock.name = 'group_stock_user'
               AND rel.gid = tech.res_id AND rel.hid = stock.res_id
            """
        )
    )
