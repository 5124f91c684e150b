from odoo import fields, models


class StockRoute(models.Model):
    _inherit = "stock.route"

    isp_van_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Replenishes Vans Of",
        index="btree_not_null",
        readonly=True,
        help="Branch whose technicians' vans this route replenishes from the branch stock.",
    )
