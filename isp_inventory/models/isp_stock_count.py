import random

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

COUNT_STATES = [
    ("draft", "Draft"),
    ("counting", "Counting"),
    ("to_approve", "To Approve"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]


class IspStockCount(models.Model):
    """A count of everything in a technician's van and kit (monthly reconciliation or a
    surprise audit).

    Starting the count snapshots the technician's stock into lines (expected quantities);
    the storekeeper enters what is physically there, gives a reason for each difference
    and applies it. Variances are applied through Odoo's inventory mode (quant
    ``inventory_quantity`` + ``action_apply_inventory``), so they are ordinary inventory
    adjustments (``is_inventory`` moves) referenced with the count's name.

    When the variances add up (in absolute value) to more than the company's count
    variance threshold, applying sends the count to the approval engine
    (`isp.approval.mixin`, state ``to_approve``); an approver who neither counted nor
    submitted it, and is not the counted technician, applies it (``action_approve``) or
    sends it back to counting with a reason (``action_reject``).

    A surprise audit (kind ``audit``) is blind: until the counter submits the counted
    quantities (``action_submit_count``), the lines' expected quantities, variances and
    the count's variance values are stored as 0 (the snapshot is in the line's
    ``snapshot_qty``, readable by Inventory Approvers and ISP Managers only) and the
    counted quantities start at 0. Once submitted, the counted quantities are final,
    the expected quantities and variances show, and the count is applied as any other.
    """

    _name = "isp.stock.count"
    _description = "Technician Stock Count"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "isp.approval.mixin",
        "isp.server.fields.mixin",
        "isp.done.lock.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _isp_server_fields = ("technician_id", "counted_by_id", "submitted_by_id", "date_counted")

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="New")
    technician_id = fields.Many2one(
        "isp.technician",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    warehouse_id = fields.Many2one(
        related="technician_id.warehouse_id", store=True, string="Branch", index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [("monthly", "Monthly Reconciliation"), ("audit", "Random Audit")],
        required=True,
        default="monthly",
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        COUNT_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("isp.stock.count.line", "count_id", string="Lines", copy=False)
    counted_by_id = fields.Many2one(
        "res.users",
        string="Storekeeper",
        tracking=True,
        readonly=True,
        copy=False,
        help="The storekeeper who started the count and counts the van and kit with the "
        "technician (signs the statement); set by the system.",
    )
    date_done = fields.Datetime(string="Applied On", readonly=True, copy=False)
    date_counted = fields.Datetime(
        string="Count Submitted On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the counter of a blind audit submitted the counted quantities (set by "
        "the system): the expected quantities and variances show from then on.",
    )
    is_blind = fields.Boolean(
        string="Blind",
        compute="_compute_is_blind",
        help="A surprise audit whose counted quantities are not submitted yet: the counter "
        "does not see the expected quantities.",
    )
    variance_value = fields.Monetary(
        compute="_compute_variance_value",
        store=True,
        currency_field="currency_id",
        help="Sum of the lines' variances at product cost (negative: shortage).",
    )
    variance_abs_value = fields.Monetary(
        string="Absolute Variance",
        compute="_compute_variance_value",
        store=True,
        currency_field="currency_id",
        help="Sum of the lines' variances at product cost, shortages and surpluses both "
        "counted: above the company's count variance threshold the count needs an approver.",
    )
    submitted_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        tracking=True,
        help="Who applied the count (and sent it to approval when its variances are large).",
    )
    move_ids = fields.Many2many(
        "stock.move",
        # named explicitly: isp_reports' loss and variance report reads this table
        relation="isp_stock_count_stock_move_rel",
        column1="isp_stock_count_id",
        column2="stock_move_id",
        string="Adjustments",
        readonly=True,
        copy=False,
        help="The inventory adjustment moves that applied the variances.",
    )

    @api.depends("kind", "state", "date_counted")
    def _compute_is_blind(self):
        for count in self:
            count.is_blind = (
                count.kind == "audit"
                and not count.date_counted
                and count.state not in ("to_approve", "done")
            )

    @api.depends("line_ids.variance_value")
    def _compute_variance_value(self):
        for count in self:
            values = count.line_ids.mapped("variance_value")
            count.variance_value = sum(values)
            count.variance_abs_value = sum(abs(value) for value in values)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                # set by the count's operations (start, apply), never by hand
                vals.pop("counted_by_id", None)
                vals.pop("submitted_by_id", None)
            if vals.get("technician_id") and "company_id" not in vals:
                technician = self.env["isp.technician"].browse(vals["technician_id"])
                vals["company_id"] = technician.company_id.id
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("isp.stock.count") or "New"
        return super().create(vals_list)

    def write(self, vals):
        if "kind" in vals:
            started = self.filtered(
                lambda count: count.state != "draft" and count.kind != vals["kind"]
            )
            if started:
                raise UserError(
                    self.env._(
                        "The kind of %(count)s cannot change once it is started.",
                        count=", ".join(started.mapped("name")),
                    )
                )
        return super().write(vals)

    def _isp_is_done(self):
        self.ensure_one()
        return self.state == "done"

    def _isp_done_removal_log_record(self):
        self.ensure_one()
        return self.technician_id

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _isp_check_can_manage(self):
        """Only storekeepers (and managers, who are storekeepers) run counts."""
        if not self.env.user.has_group("isp_inventory.group_isp_storekeeper"):
            raise AccessError(self.env._("Only a storekeeper starts, applies or cancels counts."))

    def action_start(self):
        """Snapshot the technician's van and kit into lines and start counting."""
        self._isp_lock()
        self._isp_check_can_manage()
        for count in self:
            if count.state != "draft":
                raise UserError(self.env._("%(count)s has already been started.", count=count.name))
            count.line_ids.unlink()
            # sudo: the expected quantities (snapshot_qty) are set by the server only and
            # are not readable by the counter (field groups: blind audits)
            self.env["isp.stock.count.line"].sudo().create(
                [dict(vals, count_id=count.id) for vals in count._isp_prepare_snapshot_vals()]
            )
            # sudo: the state follows the workflow only (protected from direct writes:
            # `_isp_approval_protected_fields`); the storekeeper's right was checked above
            count.sudo().state = "counting"
            # sudo: who counted is set by the system, to the storekeeper starting the count
            if not count.counted_by_id:
                count.sudo().counted_by_id = self.env.user
        return True

    def _isp_on_hand(self):
        """``{(location, product, lot): quantity}`` on hand in the technician's van and
        kit, in one query (the snapshot and the check that nothing moved since)."""
        self.ensure_one()
        groups = self.env["stock.quant"]._read_group(
            [("location_id", "in", self.technician_id._isp_locations().ids)],
            ["location_id", "product_id", "lot_id"],
            ["quantity:sum"],
        )
        return {(location, product, lot): quantity for location, product, lot, quantity in groups}

    def _isp_prepare_snapshot_vals(self):
        """One line per product, serial/lot and location held in the van and kit; the
        counted quantity starts at the expected one (the counter corrects differences),
        or at 0 in a blind audit (the counter counts everything)."""
        self.ensure_one()
        vals_list = [
            {
                "location_id": location.id,
                "product_id": product.id,
                "lot_id": lot.id,
                "snapshot_qty": quantity,
                "counted_qty": 0.0 if self.is_blind else quantity,
            }
            for (location, product, lot), quantity in self._isp_on_hand().items()
            if not product.uom_id.is_zero(quantity)
        ]
        vals_list.sort(key=lambda v: (v["location_id"], v["product_id"], v["lot_id"] or 0))
        return vals_list

    def action_submit_count(self):
        """Blind audit: hand in the counted quantities. They are final from then on
        (only reasons and notes change); the expected quantities and variances show, and
        the count is applied (``action_apply``) as any other."""
        self._isp_lock()
        self._isp_check_can_manage()
        for count in self:
            if count.state != "counting" or not count.is_blind:
                raise UserError(
                    self.env._("%(count)s is not a blind audit being counted.", count=count.name)
                )
            # the checks that do not depend on what was expected
            count.line_ids._check_counted_qty()
            count.line_ids._check_location()
            count._isp_check_duplicates()
        # sudo: date_counted is set by the system (isp.server.fields.mixin): it ends the
        # blindness of the count
        self.sudo().date_counted = fields.Datetime.now()
        for count in self:
            count.message_post(
                body=self.env._(
                    "Counted quantities submitted by %(user)s: the expected quantities and "
                    "variances now show.",
                    user=self.env.user.name,
                )
            )
        return True

    def action_apply(self):
        """Check every line first, then apply all variances as inventory adjustments;
        counts whose variances exceed the company's threshold go to approval instead."""
        self._isp_lock()
        self._isp_check_can_manage()
        for count in self:
            count._isp_check_before_apply()
        to_approve = self._isp_request_approval()
        for count in self - to_approve:
            # sudo: who submitted is set by the system (a people field, see
            # isp.server.fields.mixin)
            count.sudo().submitted_by_id = self.env.user
            count._isp_approval_reset()
            count.message_post(body=count._isp_apply_variances())
        return True

    def _isp_check_before_apply(self):
        """Refuse (nothing changed) when the count cannot be applied as it stands."""
        self.ensure_one()
        if self.state != "counting":
            raise UserError(self.env._("%(count)s is not being counted.", count=self.name))
        if self.is_blind:
            raise UserError(
                self.env._(
                    "%(count)s is a blind audit: submit the counted quantities first; the "
                    "expected quantities and variances then show.",
                    count=self.name,
                )
            )
        self._isp_check_lines()

    def _isp_check_lines(self):
        """The checks of the lines, run when the count is applied and again when an
        approver approves it."""
        self.ensure_one()
        self.line_ids._check_counted_qty()
        self.line_ids._check_location()
        self._isp_check_reasons()
        self._isp_check_duplicates()
        self._isp_check_serials()
        self._isp_check_not_outdated()

    def _isp_check_reasons(self):
        missing = self.line_ids.filtered(lambda line: line._isp_has_variance() and not line.reason)
        if missing:
            raise UserError(
                self.env._(
                    "Give the reason for each difference before applying %(count)s: %(products)s.",
                    count=self.name,
                    products=", ".join(missing._isp_labels()),
                )
            )

    def _isp_check_duplicates(self):
        seen = {}
        for line in self.line_ids:
            key = (line.location_id, line.product_id, line.lot_id)
            if key in seen:
                raise UserError(
                    self.env._(
                        "%(product)s is counted twice in %(location)s; merge the lines.",
                        product=line._isp_labels()[0],
                        location=line.location_id.display_name,
                    )
                )
            seen[key] = line

    def _isp_check_serials(self):
        """A serial is one unit in one place: refuse a variance on a tracked product
        without its serial/lot, a serial counted in two places, and a serial counted
        here while the stock records it elsewhere (outside what this count zeroes)."""
        counted = self.line_ids.filtered(lambda line: line.counted_qty > 0)
        no_serial = self.line_ids.filtered(
            lambda line: line.product_id.tracking != "none"
            and not line.lot_id
            and line._isp_has_variance()
        )
        if no_serial:
            raise UserError(
                self.env._(
                    "Give the serial or lot number of: %(products)s.",
                    products=", ".join(no_serial._isp_labels()),
                )
            )
        serial_lines = counted.filtered(
            lambda line: line.lot_id and line.product_id.tracking == "serial"
        )
        for lot, lines in serial_lines.grouped("lot_id").items():
            if len(lines) > 1:
                raise UserError(
                    self.env._(
                        "Serial %(lot)s is counted in two places (%(locations)s).",
                        lot=lot.name,
                        locations=", ".join(lines.location_id.mapped("display_name")),
                    )
                )
            zeroed = self.line_ids.filtered(
                lambda line, lot=lot: line.lot_id == lot and line.counted_qty <= 0
            ).location_id
            elsewhere = self.env["stock.quant"].search(
                [
                    ("lot_id", "=", lot.id),
                    ("quantity", ">", 0),
                    ("location_id.usage", "in", ("internal", "transit")),
                    ("location_id", "not in", (lines.location_id | zeroed).ids),
                ]
            )
            if elsewhere:
                raise UserError(
                    self.env._(
                        "Serial %(lot)s is recorded in %(location)s, not in %(here)s: "
                        "transfer it or count it there first (a serial cannot be in two "
                        "places).",
                        lot=lot.name,
                        location=", ".join(elsewhere.location_id.mapped("display_name")),
                        here=lines.location_id.display_name,
                    )
                )

    def _isp_check_not_outdated(self):
        """The expected quantities must still be the stock on hand: stock that moved
        since the count started would make the adjustment wrong."""
        on_hand = self._isp_on_hand()
        outdated = self.line_ids.filtered(
            lambda line: line.product_id.uom_id.compare(
                on_hand.get((line.location_id, line.product_id, line.lot_id), 0.0),
                line.expected_qty,
            )
            != 0
        )
        if outdated:
            raise UserError(
                self.env._(
                    "Stock moved in or out of the van or kit since %(count)s started: "
                    "%(products)s. Cancel it and start a new count.",
                    count=self.name,
                    products=", ".join(outdated._isp_labels()),
                )
            )

    def _isp_apply_variances(self):
        """Set the counted quantity on the technician's quants (creating quants for
        found items) and apply them through Odoo's inventory mode; returns the summary
        for the chatter."""
        self.ensure_one()
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        quants = Quant.browse()
        for line in self.line_ids.filtered(lambda line: line._isp_has_variance()):
            quant = line._isp_own_quant()
            if quant:
                quant.inventory_quantity = quant.quantity + line.variance_qty
            else:
                quant = Quant.create(
                    {
                        "product_id": line.product_id.id,
                        "location_id": line.location_id.id,
                        "lot_id": line.lot_id.id,
                        "inventory_quantity": line.variance_qty,
                    }
                )
            quants |= quant
        if quants:
            with self.env["stock.move.line"]._isp_releasing_custody():
                result = quants.with_context(inventory_name=self.name).action_apply_inventory()
            if isinstance(result, dict):  # Odoo's conflict wizard: the quants moved
                raise UserError(
                    self.env._("Stock moved while %(count)s was applied; retry.", count=self.name)
                )
        moves = self.env["stock.move"].search(
            [
                ("is_inventory", "=", True),
                ("inventory_name", "=", self.name),
                ("state", "=", "done"),
                ("company_id", "=", self.company_id.id),
            ]
        )
        # sudo: state, date and adjustments are the workflow's (protected from direct
        # writes); the applier's right and the lines were checked above
        self.sudo().write(
            {"state": "done", "date_done": fields.Datetime.now(), "move_ids": moves.ids}
        )
        self.activity_ids.action_feedback(feedback=self.env._("Count applied."))
        return self.env._(
            "Count applied: %(lines)s lines, %(moves)s adjustments, variance %(value)s.",
            lines=len(self.line_ids),
            moves=len(moves),
            value=self.currency_id.format(self.variance_value),
        )

    def _isp_check_lines_editable(self, field_names=None):
        """What an approver approves is what gets applied: the lines of a count waiting
        for approval cannot change; those of an applied count are done. The counted
        quantities of a submitted blind audit are final: only the reasons and notes of
        its lines change (`field_names`: the fields written; None: lines added or
        deleted)."""
        self._isp_check_done_write({"line_ids"})
        submitted = self.filtered(lambda count: count.kind == "audit" and count.date_counted)
        if submitted and (field_names is None or field_names - {"reason", "note"}):
            raise UserError(
                self.env._(
                    "The counted quantities of %(count)s were submitted blind and are final: "
                    "give the reasons of the variances, or cancel it and audit again.",
                    count=", ".join(submitted.mapped("name")),
                )
            )
        locked = self.filtered(lambda count: count.state == "to_approve")
        if locked:
            raise UserError(
                self.env._(
                    "The lines of %(count)s cannot be changed: it is waiting for approval.",
                    count=", ".join(locked.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Approval of large variances (approval engine hooks)
    # ------------------------------------------------------------------
    def _isp_approval_needed(self):
        """Whether the variances, shortages and surpluses both counted, exceed the
        company's count variance threshold (0: never)."""
        self.ensure_one()
        threshold = self.company_id.isp_count_variance_threshold
        return (
            bool(threshold)
            and self.currency_id.compare_amounts(self.variance_abs_value, threshold) > 0
        )

    def _isp_approval_reason(self):
        return self.env._(
            "Variances of %(value)s (shortages and surpluses together) exceed the count "
            "variance threshold of %(threshold)s.",
            value=self.currency_id.format(self.variance_abs_value),
            threshold=self.currency_id.format(self.company_id.isp_count_variance_threshold),
        )

    def _isp_approval_excluded_users(self):
        """Who counted or submitted the count, and the counted technician."""
        return (
            super()._isp_approval_excluded_users()
            | self.counted_by_id
            | self.submitted_by_id
            | self.technician_id.user_id
        )

    def _isp_approval_branches(self):
        """The counted technician's home branch."""
        self.ensure_one()
        return self.warehouse_id

    def _isp_approval_protected_fields(self):
        """The workflow's fields too: a count is counted, applied (its adjustments
        posted) or cancelled only by its actions, never by a write of its state."""
        return super()._isp_approval_protected_fields() | {"state", "date_done", "move_ids"}

    def _isp_approval_values(self, step):
        values = super()._isp_approval_values(step)
        if step == "to_approve":
            values.update(state="to_approve", submitted_by_id=self.env.uid)
        elif step == "rejected":
            values["state"] = "counting"
        return values

    def _isp_approval_check_approvable(self):
        """The same checks as applying, again: stock that moved meanwhile refuses the
        approval, nothing changed."""
        self._isp_check_lines()

    def _isp_approval_on_approved(self):
        # sudo: approvers only read counts (access rights); the engine checked that this
        # approver may approve this count.
        return self.sudo()._isp_apply_variances()

    def action_cancel(self):
        self._isp_check_can_manage()
        if any(count.state == "done" for count in self):
            raise UserError(self.env._("An applied count cannot be cancelled."))
        self._isp_approval_withdraw()
        # sudo: the state follows the workflow only (protected from direct writes)
        self.sudo().write({"state": "cancel"})
        self.activity_ids.unlink()
        return True

    def action_draft(self):
        """Back to draft (from cancelled): the lines are snapshotted again on start."""
        self._isp_check_can_manage()
        if any(count.state != "cancel" for count in self):
            raise UserError(self.env._("Only cancelled counts go back to draft."))
        submitted = self.filtered(lambda count: count.kind == "audit" and count.date_counted)
        if submitted:
            raise UserError(
                self.env._(
                    "The counted quantities of %(count)s were submitted and its expected "
                    "quantities shown: a new audit is a new count.",
                    count=", ".join(submitted.mapped("name")),
                )
            )
        # sudo: the state follows the workflow only (protected from direct writes)
        self.sudo().write({"state": "draft"})
        return True

    def action_print(self):
        return self.env.ref("isp_inventory.isp_stock_count_report_action").report_action(self)

    def action_view_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Adjustments of %(count)s", count=self.name),
            "res_model": "stock.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.move_ids.ids)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Scheduled counts: monthly reconciliation and weekly random audits
    # ------------------------------------------------------------------
    @api.model
    def _cron_isp_monthly_counts(self, today=None):
        """Create one draft monthly count per active technician for this month; a
        technician who already has one this month (in any state) is skipped.

        Monthly counts may stay open: a count of an earlier month still in draft,
        counting or waiting for approval is left as it is (never cancelled nor closed
        here), and this month's count is created beside it; the storekeeper finishes or
        cancels the old one (applying one makes the other refuse with "Stock moved in or
        out" if it was started before)."""
        today = today or fields.Date.context_today(self)
        first = today.replace(day=1)
        existing = self.search(
            [
                ("kind", "=", "monthly"),
                ("date", ">=", first),
                ("date", "<", first + relativedelta(months=1)),
            ]
        ).technician_id
        technicians = self.env["isp.technician"].search([("id", "not in", existing.ids)])
        return self.create(
            [
                {
                    "technician_id": technician.id,
                    "company_id": technician.company_id.id,
                    "kind": "monthly",
                    "date": today,
                }
                for technician in technicians
            ]
        )

    @api.model
    def _cron_isp_random_audits(self, today=None):
        """Each company: pick its audit sample size of active technicians without an
        open count, create a surprise audit count each and give the company's
        storekeepers a to-do."""
        today = today or fields.Date.context_today(self)
        counts = self.browse()
        for company in self.env["res.company"].search([("isp_audit_sample_size", ">", 0)]):
            candidates = self.env["isp.technician"].search(
                self._isp_audit_candidate_domain(company)
            )
            chosen = self._isp_select_audit_technicians(candidates, company.isp_audit_sample_size)
            new = self.create(
                [
                    {
                        "technician_id": technician.id,
                        "company_id": company.id,
                        "kind": "audit",
                        "date": today,
                    }
                    for technician in chosen
                ]
            )
            new._isp_schedule_audit_activities()
            counts |= new
        return counts

    @api.model
    def _isp_audit_candidate_domain(self, company):
        """Active technicians of the company not being counted right now and without an
        open audit. A monthly count still waiting in draft does not protect anyone from
        a surprise audit (the monthly run creates one for every technician)."""
        busy = self.search(
            Domain("company_id", "=", company.id)
            & (
                Domain("state", "in", ("counting", "to_approve"))
                | (Domain("kind", "=", "audit") & Domain("state", "=", "draft"))
            )
        ).technician_id
        return Domain("company_id", "=", company.id) & Domain("id", "not in", busy.ids)

    @api.model
    def _isp_select_audit_technicians(self, candidates, size):
        """Random choice of `size` technicians among `candidates` (override to weigh
        by losses, stock value, last count...)."""
        if len(candidates) <= size:
            return candidates
        return candidates.browse(random.sample(candidates.ids, size))

    def _isp_storekeepers(self):
        """Active internal users who are storekeepers in the count's company and work
        for its branch (`_isp_approval_branches`; unscoped storekeepers work for all)."""
        self.ensure_one()
        group = self.env.ref("isp_inventory.group_isp_storekeeper")
        return group.all_user_ids.filtered(
            lambda user: user.active and not user.share and self.company_id in user.company_ids
        )._isp_works_for(self._isp_approval_branches())

    def _isp_schedule_audit_activities(self):
        for count in self:
            for user in count._isp_storekeepers():
                count.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=count.date,
                    summary=self.env._(
                        "Surprise stock audit: %(technician)s", technician=count.technician_id.name
                    ),
                    note=self.env._(
                        "Count the van and kit of %(technician)s without notice.",
                        technician=count.technician_id.name,
                    ),
                    user_id=user.id,
                )
