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
    isp_charge_percent = fields.Float(related="company_id.isp_charge_percent", readonly=False)
    isp_charge_receivable_account_id = fields.Many2one(
        related="company_id.isp_charge_receivable_account_id", readonly=False
    )
    isp_charge_loss_account_id = fields.Many2one(
        related="company_id.isp_charge_loss_account_id", readonly=False
    )
    isp_charge_journal_id = fields.Many2one(
        related="company_id.isp_charge_journal_id", readonly=False
    )
    isp_issue_preference = fields.Selection(
        related="company_id.isp_issue_preference", readonly=False
    )
    isp_spool_offcut_length = fields.Float(
        related="company_id.isp_spool_offcut_length", readonly=False
    )
