from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_approval_threshold = fields.Monetary(
        related="company_id.isp_approval_threshold",
        readonly=False,
        currency_field="company_currency_id",
    )
    isp_audit_sample_size = fields.Integer(
        related="company_id.isp_audit_sample_size", readonly=False
    )
    isp_count_variance_threshold = fields.Monetary(
        related="company_id.isp_count_variance_threshold",
        readonly=False,
        currency_field="company_currency_id",
    )
