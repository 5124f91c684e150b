from odoo import api, fields, models
from odoo.exceptions import UserError

LOSS_TYPES = [("lost", "Lost"), ("damaged", "Damaged"), ("stolen", "Stolen")]


class IspLossReport(models.Model):
    """A technician's report of lost, damaged or stolen items. Submitting it sends it to
    the approval engine (`isp.approval.mixin`); an approver who is neither the reporter,
    the submitter nor the technician approves it and it is posted: the items are scrapped
    from the technician's van or kit into the branch "Losses" location, valued at cost.
    Its state follows the approval (the engine alone moves it past draft)."""

    _name = "isp.loss.report"
    _description = "Loss and Damage Report"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "isp.approval.mixin",
        "isp.server.fields.mixin",
        "isp.done.lock.mixin",
    ]
    _order = "id desc"
    _isp_server_fields = ("technician_id", "reporter_id")
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="New")
    technician_id = fields.Many2one(
        "isp.technician",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env["isp.technician"]._isp_of_current_user(),
        help="Whose van or kit the items were lost from; fixed once the report exists "
        "(a technician reports only for himself).",
    )
    company_id = fields.Many2one(related="technician_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    reporter_id = fields.Many2one(
        "res.users",
        string="Reported By",
        default=lambda self: self.env.user,
        readonly=True,
        tracking=True,
        help="Set by the system to the user who created the report.",
    )
    loss_type = fields.Selection(LOSS_TYPES, string="Type", required=True, default="lost")
    date = fields.Date(string="Date of Loss", required=True, default=fields.Date.context_today)
    description = fields.Text(required=True)
    line_ids = fields.One2many("isp.loss.report.line", "report_id", string="Items", copy=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Photos")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    scrap_ids = fields.One2many("stock.scrap", "isp_loss_report_id", readonly=True)
    amount = fields.Monetary(
        string="Value", compute="_compute_amount", store=True, currency_field="currency_id"
    )

    @api.depends("line_ids.amount")
    def _compute_amount(self):
        for report in self:
            report.amount = sum(report.line_ids.mapped("amount"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                vals["reporter_id"] = self.env.uid
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("isp.loss.report") or "New"
        return super().create(vals_list)

    def _isp_is_done(self):
        self.ensure_one()
        return self.state == "done"

    def _isp_done_removal_log_record(self):
        self.ensure_one()
        return self.technician_id

    def _isp_check_change_of_items(self):
        """The items are part of the report: refused once it is posted (done is done);
        changing them after approval reopens the approval."""
        self._isp_check_done_write({"line_ids"})
        self._isp_approval_check_change()

    def action_submit(self):
        """Send draft reports to approval (the reporting technician may submit their own
        drafts: checked by the access rules before the engine writes)."""
        self._isp_lock()
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._("Only draft reports can be submitted."))
            if not report.line_ids:
                raise UserError(self.env._("List the lost or damaged items first."))
        self.check_access("write")
        self._isp_request_approval()
        return True

    # ------------------------------------------------------------------
    # Approval engine hooks
    # ------------------------------------------------------------------
    def _isp_approval_needed(self):
        self.ensure_one()
        return self.state == "draft"

    def _isp_approval_reason(self):
        return self.env._(
            "%(type)s items worth %(amount)s reported.",
            type=dict(LOSS_TYPES)[self.loss_type],
            amount=self.currency_id.format(self.amount),
        )

    def _isp_approval_excluded_users(self):
        """The reporter and the technician whose items were lost."""
        return (
            super()._isp_approval_excluded_users()
            | self.reporter_id
            | self.create_uid
            | self.technician_id.user_id
        )

    def _isp_approval_protected_fields(self):
        return super()._isp_approval_protected_fields() | {"state"}

    def _isp_approval_values(self, step):
        values = super()._isp_approval_values(step)
        state = {"to_approve": "submitted", "approved": "approved", "rejected": "rejected"}
        if step in state:
            values["state"] = state[step]
        return values

    def _isp_approval_on_approved(self):
        """Post the losses: scrap the items into the Losses location (state done)."""
        self._isp_post_losses()
        return self.env._("Losses posted: %(count)s scraps.", count=len(self.scrap_ids))

    def _isp_post_losses(self):
        """Scrap each line from the technician's location into the branch Losses location,
        valued at cost by the stock valuation; never partial (UserError rolls back)."""
        for report in self:
            losses = report.technician_id.warehouse_id._isp_get_loss_location()
            for line in report.line_ids:
                available = self.env["stock.quant"]._get_available_quantity(
                    line.product_id, line.location_id, lot_id=line.lot_id or None, strict=True
                )
                if available < line.quantity:
                    raise UserError(
                        self.env._(
                            "%(location)s holds only %(available)s %(product)s.",
                            location=line.location_id.display_name,
                            available=available,
                            product=line.product_id.display_name,
                        )
                    )
                scrap = self.env["stock.scrap"].create(
                    {
                        "product_id": line.product_id.id,
                        "lot_id": line.lot_id.id,
                        "scrap_qty": line.quantity,
                        "location_id": line.location_id.id,
                        "scrap_location_id": losses.id,
                        "origin": report.name,
                        "isp_loss_report_id": report.id,
                    }
                )
                scrap.do_scrap()
        # sudo: the state is the approval engine's (protected); this runs only when an
        # approver approves the report.
        self.sudo().write({"state": "done"})
