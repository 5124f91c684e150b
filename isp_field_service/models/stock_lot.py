from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    isp_task_id = fields.Many2one(
        "project.task", string="Installed by Job", readonly=True, copy=False, index="btree_not_null"
    )
