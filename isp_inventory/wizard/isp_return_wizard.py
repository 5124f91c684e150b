from odoo import api, fields, models

RETURN_REASONS = [
    ("faulty", "Faulty"),
    ("upgrade", "Upgrade"),
    ("churn", "Customer left (churn)"),
    ("other", "Other"),
]
# Reasons whose (working) unit goes to the branch refurbishment location, to be checked
# and graded before it is issued again.
REFURBISH_REASONS = ("upgrade", "churn")


class IspReturnWizard(models.TransientModel):
    """Take a serial back from a customer: faulty items go to the branch quarantine,
    units of a churned or upgraded customer to the branch refurbishment location, the
    others into the technician's van or the branch stock."""

    _name = "isp.return.wizard"
    _description = "Return a Serial from a Customer"
    _check_company_auto = True

    technician_id = fields.Many2one(
        "isp.technician",
        required=True,
        default=lambda self: self.env["isp.technician"]._isp_of_current_user(),
    )
    company_id = fields.Many2one(related="technician_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        check_company=True,
        domain="[('isp_state', '=', 'installed'), ('isp_customer_id', '=', partner_id)]",
    )
    reason = fields.Selection(RETURN_REASONS, required=True, default="faulty")
    destination = fields.Selection(
        [("van", "Technician's van"), ("branch", "Branch stock")],
        required=True,
        default="van",
        help="Only for the reason Other: faulty items always go to the branch quarantine, "
        "churn and upgrade returns to the branch refurbishment location.",
    )
    note = fields.Char()

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id.isp_customer_id and not self.partner_id:
            self.partner_id = self.lot_id.isp_customer_id

    def action_return(self):
        self.ensure_one()
        reason_label = dict(self._fields["reason"]._description_selection(self.env))[self.reason]
        self.lot_id._isp_take_back(
            self.technician_id,
            self.partner_id,
            faulty=self.reason == "faulty",
            refurbish=self.reason in REFURBISH_REASONS,
            to_branch=self.destination == "branch",
            reason=" ".join(filter(None, [reason_label, self.note])),
        )
        return self.lot_id._get_records_action()
