from odoo import fields, models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    isp_loss_report_id = fields.Many2one(
        "isp.loss.report",
        string="Loss Report",
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )
