from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

LOSS_TYPES = [("lost", "Lost"), ("damaged", "Damaged"), ("stolen", "Stolen")]


class IspLossReport(models.Model):
    """A technician's report of lost, damaged or stolen items. Approved by an approver who
    is neither the reporter nor the technician, then posted: the items are scrapped from
    the technician's van or kit into the branch "Losses" location, valued at cost."""

    _name = "isp.loss.report"
    _description = "Loss and Damage Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "isp.server.fields.mixin"]
    _order = "id desc"
    _isp_server_fields = ("technician_id", "reporter_id")

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
        tracking=True,
        index=True,
    )
    approver_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    reject_reason = fields.Char(readonly=True, copy=False)
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

    def action_submit(self):
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._("Only draft reports can be submitted."))
            if not report.line_ids:
                raise UserError(self.env._("List the lost or damaged items first."))
        self.write({"state": "submitted"})
        return True

    def action_approve(self):
        """Approve and post: scrap the items into the Losses location (state done)."""
        self._isp_check_decision()
        self.write({"state": "approved", "approver_id": self.env.user.id})
        self._isp_post_losses()
        return True

    def action_reject(self, reason):
        if not reason:
            raise UserError(self.env._("Give the reason for rejecting the report."))
        self._isp_check_decision()
        self.write({"state": "rejected", "reject_reason": reason})
        for report in self:
            report.message_post(body=self.env._("Rejected: %(reason)s", reason=reason))
        return True

    def _isp_check_decision(self):
        if not self.env.user.has_group("isp_inventory.group_isp_approver"):
            raise AccessError(self.env._("Only an inventory approver decides on loss reports."))
        for report in self:
            if report.state != "submitted":
                raise UserError(
                    self.env._("%(report)s is not waiting for a decision.", report=report.name)
                )
            if self.env.user in report.reporter_id | report.technician_id.user_id:
                raise AccessError(
                    self.env._(
                        "You cannot decide on %(report)s: you reported it or it is yours.",
                        report=report.name,
                    )
                )

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
        self.write({"state": "done"})
