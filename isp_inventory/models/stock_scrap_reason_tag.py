from odoo import fields, models


class StockScrapReasonTag(models.Model):
    _inherit = "stock.scrap.reason.tag"

    isp_loss_free = fields.Boolean(
        string="Not a Loss",
        help="Scraps with this reason (e.g. cable offcuts too short to use) are normal "
        "waste: the loss and variance report leaves them out.",
    )
