from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_first_time_fix_days = fields.Integer(
        related="company_id.isp_first_time_fix_days", readonly=False
    )
