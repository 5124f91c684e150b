from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    isp_technician_id = fields.Many2one(
        "isp.technician",
        string="Technician",
        index="btree_not_null",
        readonly=True,
        check_company=True,
        help="The technician who holds what is in this location (van or personal kit).",
    )
    isp_role = fields.Selection(
        [
            ("vehicle", "Technician Vehicle"),
            ("kit", "Technician Personal Kit"),
            ("quarantine", "Quarantine (faulty returns)"),
            ("loss", "Losses"),
            ("refurbishment", "Refurbishment (churn returns)"),
        ],
        string="ISP Role",
        index="btree_not_null",
        help="What this location is for in the ISP flows.",
    )
