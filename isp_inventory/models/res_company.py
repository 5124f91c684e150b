from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_approval_threshold = fields.Monetary(
        string="Issuance Approval Threshold",
        currency_field="currency_id",
        help="Transfers from a store to a technician worth more than this (product cost × "
        "quantity) need an Inventory Approver, whatever they contain. 0 disables the value "
        "check (network equipment and CPE always need approval).",
    )
    isp_audit_sample_size = fields.Integer(
        string="Random Audits per Week",
        default=2,
        help="How many technicians the weekly random audit picks for a surprise count of "
        "their van and kit (among those without an open count). 0 disables the audits.",
    )
    isp_count_variance_threshold = fields.Monetary(
        string="Count Variance Approval Threshold",
        currency_field="currency_id",
        help="A technician stock count whose variances add up to more than this (at product "
        "cost, shortages and surpluses both counted) waits for an Inventory Approver before it "
        "is applied. 0: counts are applied at once.",
    )
