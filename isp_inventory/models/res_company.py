from odoo import api, fields, models

# The company document layout the ISP documents print with: Odoo's "Light" layout, the
# one `web.external_layout` falls back to. With no layout set, Odoo opens its layout
# wizard instead of the first PDF an administrator prints.
ISP_DEFAULT_REPORT_LAYOUT = "web.external_layout_standard"


class ResCompany(models.Model):
    _inherit = "res.company"

    external_report_layout_id = fields.Many2one(
        default=lambda self: self._isp_default_report_layout()
    )

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

    @api.model
    def _isp_default_report_layout(self):
        return self.env.ref(ISP_DEFAULT_REPORT_LAYOUT, raise_if_not_found=False)

    @api.model
    def _isp_set_default_report_layout(self):
        """Give the companies without a document layout the default one (data file,
        on install and update); a layout chosen in the wizard or settings is kept."""
        layout = self._isp_default_report_layout()
        companies = self.with_context(active_test=False).search(
            [("external_report_layout_id", "=", False)]
        )
        if layout and companies:
            companies.write({"external_report_layout_id": layout.id})
