from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

APPROVAL_STATES = [
    ("none", "No Approval Needed"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
# The engine's fields: set only by the engine (in sudo), never by a direct write.
APPROVAL_FIELDS = frozenset(
    {
        "isp_approval_state",
        "isp_approval_requested_by_id",
        "isp_approved_by_id",
        "isp_approved_date",
        "isp_rejected_by_id",
        "isp_rejected_date",
        "isp_rejection_reason",
    }
)
APPROVAL_ACTIVITY_TYPE = "isp_inventory.mail_activity_type_isp_approval"


class IspApprovalMixin(models.AbstractModel):
    """One approval engine for the documents that need an Inventory Approver (controlled
    issuances, loss reports, count variances), in the shape of OCA
    ``base_tier_validation``: one approval state, who decided and when, the rejection
    reason, ``action_approve()`` / ``action_reject(reason)``, activities for the
    approvers and one chatter message per step.

    A document inherits it and fills the hooks: ``_isp_approval_needed`` (whether it
    must wait), ``_isp_approval_excluded_users`` (who may not decide on it: requester,
    preparers, the technician whose stock it is), ``_isp_approval_values`` (its own
    fields that follow a step), ``_isp_approval_on_approved`` (what approving does),
    ``_isp_approval_reason`` (why it waits) and ``_isp_approval_reopenable``.

    The engine's fields (and the document's ``_isp_approval_protected_fields``) change
    only through the engine: it writes them in sudo, and any other write or create
    that sets them is refused, whatever the RPC context says. Documents inherit it with
    ``mail.thread`` and ``mail.activity.mixin`` (tracking, messages, activities).
    """

    _name = "isp.approval.mixin"
    _inherit = ["isp.lock.mixin"]
    _description = "ISP Approval Engine"

    isp_approval_state = fields.Selection(
        APPROVAL_STATES,
        string="Approval",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    isp_approval_requested_by_id = fields.Many2one(
        "res.users",
        string="Approval Requested By",
        readonly=True,
        copy=False,
        help="Who sent the document to approval: they may not decide on it.",
    )
    # Who decided and when are not tracked: the decision's one chatter message (its
    # author and date, its text, the approval state's change) already says it; tracked,
    # each would add its own line to that message.
    isp_approved_by_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    isp_approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    isp_rejected_by_id = fields.Many2one(
        "res.users", string="Rejected By", readonly=True, copy=False
    )
    isp_rejected_date = fields.Datetime(string="Rejected On", readonly=True, copy=False)
    isp_rejection_reason = fields.Text(string="Rejection Reason", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Hooks (documents override these)
    # ------------------------------------------------------------------
    def _isp_approval_needed(self):
        """Whether this record must wait for an approver now (one record)."""
        self.ensure_one()
        return False

    def _isp_approval_excluded_users(self):
        """Users who may not decide on this record: whoever sent it to approval, plus
        (per document) its requester, preparers and the technician whose stock it is."""
        self.ensure_one()
        return self.isp_approval_requested_by_id

    def _isp_approval_protected_fields(self):
        """Field names only the engine writes: its own and the document's own fields that
        follow an approval step (set through `_isp_approval_values`)."""
        return set(APPROVAL_FIELDS)

    def _isp_approval_values(self, step):
        """The document's own field values that go with approval step `step`
        (``to_approve``, ``approved``, ``rejected``, ``none``), written with the
        engine's (one record)."""
        self.ensure_one()
        return {}

    def _isp_approval_on_approved(self):
        """What approving does beyond recording it (one record, after the approval is
        recorded); returns a text added to the approval's chatter message."""
        self.ensure_one()
        return ""

    def _isp_approval_on_rejected(self):
        """What rejecting does beyond recording it (one record, after the rejection is
        recorded); returns a text added to the rejection's chatter message."""
        self.ensure_one()
        return ""

    def _isp_approval_reason(self):
        """Why this record waits for an approver (activity note and chatter message)."""
        self.ensure_one()
        return self.env._("It needs an Inventory Approver.")

    def _isp_approval_branches(self):
        """The branches (stock.warehouse) this record belongs to (one record): only
        approvers who work for one of them (or for all branches) get its activities and
        see it (branch scope, `res.users.isp_warehouse_ids`). Empty: every branch."""
        self.ensure_one()
        return self.env["stock.warehouse"]

    def _isp_approval_reopenable(self):
        """Whether this approved record, changed afterwards, can go back to approval;
        otherwise (its approval has been carried out) changing it is refused."""
        self.ensure_one()
        return False

    # ------------------------------------------------------------------
    # Guard: the approval fields change only through the engine
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        defaults = {
            fname: self._fields[fname].default(self) if self._fields[fname].default else False
            for fname in self._isp_approval_protected_fields()
        }
        for vals in vals_list:
            self._isp_approval_check_protected(
                [
                    fname
                    for fname in defaults.keys() & vals.keys()
                    if (vals[fname] or defaults[fname]) and vals[fname] != defaults[fname]
                ]
            )
        # explicit values: a client's context cannot give the protected fields a default
        # (`default_<field>`) either
        return super().create([dict(defaults, **vals) for vals in vals_list])

    def write(self, vals):
        if not self.env.su:
            self._isp_approval_check_protected(self._isp_approval_protected_fields() & set(vals))
        return super().write(vals)

    def _isp_approval_check_protected(self, fnames):
        if fnames:
            raise AccessError(
                self._isp_approval_lang().env._(
                    "%(fields)s change only when an Inventory Approver approves or rejects "
                    "(or when the document is sent to approval).",
                    fields=", ".join(sorted(self._fields[fname].string for fname in fnames)),
                )
            )

    def _isp_approval_lang(self):
        """`self` in the user's language when the caller gave none (an RPC client)."""
        if self.env.context.get("lang"):
            return self
        return self.with_context(lang=self.env.user.lang)

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    def _isp_request_approval(self, note=None):
        """Send those of these records that need it (`_isp_approval_needed`) and are not
        waiting already to approval: state ``to_approve``, the previous decision cleared,
        an activity for each approver who may decide, one chatter message. Returns the
        records sent."""
        records = self.filtered(
            lambda record: record.isp_approval_state != "to_approve"
            and record._isp_approval_needed()
        )
        for record in records:
            record._isp_approval_write(
                "to_approve",
                {
                    "isp_approval_requested_by_id": self.env.uid,
                    "isp_approved_by_id": False,
                    "isp_approved_date": False,
                    "isp_rejected_by_id": False,
                    "isp_rejected_date": False,
                    "isp_rejection_reason": False,
                },
            )
            reason = record._isp_approval_reason()
            # sudo: whoever sends a document to approval (a technician submitting their
            # loss report) may no longer write it, and activities need write access; the
            # activities are assigned by the engine, to approvers only.
            for user in record._isp_approval_deciders():
                record.sudo().activity_schedule(
                    APPROVAL_ACTIVITY_TYPE,
                    user_id=user.id,
                    summary=self.env._("Approve %(document)s", document=record.display_name),
                    note=reason,
                )
            record._isp_approval_log(
                note or self.env._("Waiting for an Inventory Approver: %(reason)s", reason=reason)
            )
        return records

    def _isp_approval_deciders(self):
        """Active internal Inventory Approvers of the record's company who work for its
        branch (`_isp_approval_branches`; unscoped approvers work for all) and may decide
        on it (not excluded)."""
        self.ensure_one()
        group = self.env.ref("isp_inventory.group_isp_approver")
        # sudo: the user sending the document to approval may not read other users'
        # companies; only the ids of the approvers found leave this method.
        approvers = group.sudo().all_user_ids.filtered(
            lambda user: user.active
            and not user._is_superuser()
            and user.has_group("base.group_user")
            and (not self.company_id or self.company_id.id in user.company_ids.ids)
        )
        # sudo: whoever sends the document (a technician) may not read its branch (a
        # transfer's operation type, a technician's home); only the branch ids are used.
        approvers = approvers._isp_works_for(self.sudo()._isp_approval_branches())
        return self.env["res.users"].browse(approvers.ids) - self._isp_approval_excluded_users()

    def _isp_approval_check_decider(self):
        """Only Inventory Approvers decide, only on records waiting for approval, and never
        on a record they are excluded from (`_isp_approval_excluded_users`)."""
        env = self._isp_approval_lang().env
        if not self.env.user.has_group("isp_inventory.group_isp_approver"):
            raise AccessError(env._("Only Inventory Approvers can approve or reject."))
        # the engine writes in sudo: the approver must at least see the records (an
        # approver scoped to other branches does not)
        self.check_access("read")
        for record in self:
            if record.isp_approval_state != "to_approve":
                raise UserError(
                    env._("%(document)s is not waiting for approval.", document=record.display_name)
                )
            if self.env.user in record._isp_approval_excluded_users():
                raise AccessError(
                    env._(
                        "You asked for, prepared or hold the stock of %(document)s: another "
                        "approver must decide on it.",
                        document=record.display_name,
                    )
                )

    def _isp_approval_check_approvable(self):
        """Refuse (nothing changed) to approve a record whose approval could not be
        carried out as it stands (one record); documents add their checks."""
        self.ensure_one()

    def action_approve(self):
        """Approve records waiting for approval, then carry the approval out
        (`_isp_approval_on_approved`); one chatter message per record."""
        self._isp_lock()
        self._isp_approval_check_decider()
        for record in self:
            record._isp_approval_check_approvable()
        for record in self:
            record._isp_approval_write(
                "approved",
                {"isp_approved_by_id": self.env.uid, "isp_approved_date": fields.Datetime.now()},
            )
            record._isp_approval_close()
            done = record._isp_approval_on_approved()
            record._isp_approval_log(" ".join(filter(None, [self.env._("Approved."), done])))
        return True

    def action_reject(self, reason):
        """Reject records waiting for approval, with a reason (required)."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self._isp_approval_lang().env._("Give a reason for the rejection."))
        self._isp_lock()
        self._isp_approval_check_decider()
        for record in self:
            record._isp_approval_write(
                "rejected",
                {
                    "isp_rejected_by_id": self.env.uid,
                    "isp_rejected_date": fields.Datetime.now(),
                    "isp_rejection_reason": reason,
                },
            )
            record._isp_approval_close()
            done = record._isp_approval_on_rejected()
            record._isp_approval_log(
                " ".join(filter(None, [self.env._("Rejected: %(reason)s", reason=reason), done]))
            )
        return True

    def action_open_reject_wizard(self):
        """The one rejection wizard, asking for the reason."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "isp.approval.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_res_model": self._name, "default_res_ids": self.ids},
        }

    def _isp_approval_check_change(self, note=None):
        """The approval-relevant content of these records changed: an approved record
        goes back to approval when it still can (`_isp_approval_reopenable`), and the
        change is refused when its approval has been carried out."""
        approved = self.filtered(lambda record: record.isp_approval_state == "approved")
        locked = approved.filtered(lambda record: not record._isp_approval_reopenable())
        if locked:
            raise UserError(
                self._isp_approval_lang().env._(
                    "%(documents)s was approved and its approval carried out: it cannot "
                    "change any more.",
                    documents=", ".join(locked.mapped("display_name")),
                )
            )
        approved._isp_approval_reopen(note)

    def _isp_approval_reopen(self, note=None):
        """Send these approved records back to approval (or to no approval, when they no
        longer need one)."""
        for record in self:
            record._isp_approval_write(
                "none", {"isp_approved_by_id": False, "isp_approved_date": False}
            )
        note = note or self.env._("Changed after approval: it must be approved again.")
        self._isp_request_approval(note=note)
        for record in self.filtered(lambda record: record.isp_approval_state == "none"):
            record._isp_approval_log(note)

    def _isp_approval_withdraw(self):
        """Take these records out of approval (e.g. a count cancelled while it waited):
        back to no approval, the approvers' activities removed."""
        waiting = self.filtered(lambda record: record.isp_approval_state == "to_approve")
        for record in waiting:
            record._isp_approval_write("none", {})
            record._isp_approval_close()

    def _isp_approval_reset(self):
        """Forget a previous rejection (a recounted count applied without approval)."""
        rejected = self.filtered(lambda record: record.isp_approval_state == "rejected")
        for record in rejected:
            record._isp_approval_write(
                "none",
                {
                    "isp_rejected_by_id": False,
                    "isp_rejected_date": False,
                    "isp_rejection_reason": False,
                },
            )

    def _isp_approval_write(self, step, vals):
        """Write approval step `step` and `vals` with the document's own values."""
        self.ensure_one()
        # sudo: the approval fields are protected from every direct write; the engine
        # writes them once it has checked who acts (an approver may only read counts).
        self.sudo().write(dict(vals, isp_approval_state=step, **self._isp_approval_values(step)))

    def _isp_approval_close(self):
        """A decision was recorded: remove the approvers' activities. No "activity done"
        message: the decision's one chatter message (the tracked changes, with the
        decision as its text: `_track_set_log_message`) says it all."""
        self.ensure_one()
        # sudo: the approvers' activities are the engine's, whoever decides removes all.
        self.sudo().activity_unlink([APPROVAL_ACTIVITY_TYPE])

    def _isp_approval_log(self, body):
        """Make `body` the text of the one chatter message of this approval step: the
        message that carries the step's tracked changes, written at the end of the
        transaction. A record created in this same transaction is not tracked (Odoo
        discards tracking on create): it gets `body` as a note at once instead."""
        self.ensure_one()
        tracking = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        if self.id in tracking and tracking[self.id] is None:
            # sudo: logging the engine's own step on a document the user may only read
            # (an approver on a count); the author stays the user.
            self.sudo()._message_log(body=body)
        else:
            self._track_set_log_message(body)
