from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_first_time_fix_days = fields.Integer(
        string="First-Time Fix Window (days)",
        default=14,
        help="A completed job is fixed the first time when no other field job is scheduled "
        "for the same customer within this many days after its completion.",
    )

    _isp_first_time_fix_days_positive = models.Constraint(
        "CHECK(isp_first_time_fix_days >= 0)",
        "The first-time fix window cannot be negative.",
    )
