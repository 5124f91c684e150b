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
