from odoo import api, fields, models
from odoo.exceptions import UserError

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

    # Loss charge-back (decided by the approver of a loss report)
    isp_charge_percent = fields.Float(
        string="Charge-back Policy %",
        default=50.0,
        help="The share of a loss's cost charged to the technician when the approver "
        "decides a policy charge-back.",
    )
    isp_charge_receivable_account_id = fields.Many2one(
        "account.account",
        string="Charge-back Receivable Account",
        check_company=True,
        help="Debited with a charge-back, the technician as partner: an employee "
        "receivable or payroll deduction account (reconcilable to follow what is "
        "outstanding).",
    )
    isp_charge_loss_account_id = fields.Many2one(
        "account.account",
        string="Stock Loss Account",
        check_company=True,
        help="Credited with a charge-back: the account that bears the stock losses.",
    )
    isp_charge_journal_id = fields.Many2one(
        "account.journal",
        string="Charge-back Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Where charge-back entries are posted; empty: the company's first "
        "miscellaneous journal.",
    )

    # Refurbishment (issue 12 point 3): which serials an issue from a store reserves
    # first (stock.quant._gather).
    isp_issue_preference = fields.Selection(
        [
            ("none", "No preference"),
            ("new", "New units first"),
            ("refurbished", "Refurbished units first"),
        ],
        string="Serial Issuance Preference",
        default="none",
        required=True,
        help="Which serials are reserved first when CPE and other serial-tracked items "
        "leave a store: new units (never refurbished) or refurbished ones (grade A/B); "
        "within each, the product's removal strategy. No preference: Odoo's order.",
    )

    # Cable spools: a remainder shorter than this is an offcut (scrapped loss-free)
    isp_spool_offcut_length = fields.Float(
        string="Spool Offcut Length (m)",
        default=5.0,
        help="A spool remainder shorter than this (metres) may be scrapped as an offcut: "
        "through the loss-free Offcut scrap reason, not counted as a loss.",
    )

    _isp_charge_percent_range = models.Constraint(
        "CHECK(isp_charge_percent >= 0 AND isp_charge_percent <= 100)",
        "The charge-back policy percentage is between 0 and 100.",
    )

    def _isp_charge_journal(self):
        self.ensure_one()
        return self.isp_charge_journal_id or self.env["account.journal"].sudo().search(
            [("company_id", "=", self.id), ("type", "=", "general")], limit=1
        )

    def _isp_charge_check_configured(self, env, percent=False):
        """UserError unless charge-backs can be posted for this company."""
        self.ensure_one()
        # sudo: an approver reads the company's accounting settings only to know whether
        # they are set (no accounting rights needed to decide a charge-back).
        company = self.sudo()
        if not company.isp_charge_receivable_account_id or not company.isp_charge_loss_account_id:
            raise UserError(
                env._(
                    "Charge-backs are not configured for %(company)s: set the charge-back "
                    "receivable account and the stock loss account in Inventory settings.",
                    company=company.name,
                )
            )
        if not company._isp_charge_journal():
            raise UserError(
                env._(
                    "%(company)s has no miscellaneous journal for charge-backs.",
                    company=company.name,
                )
            )
        if percent and not company.isp_charge_percent:
            raise UserError(
                env._(
                    "%(company)s has no charge-back policy percentage: set it in Inventory "
                    "settings.",
                    company=company.name,
                )
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
