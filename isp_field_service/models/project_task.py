from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL, float_round

ISP_JOB_STATES = [
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
]
# What a technician may set on a material line of his own job (a stock move of the job).
TECHNICIAN_MATERIAL_FIELDS = frozenset({"product_id", "product_uom_qty", "sequence"})
# Suggested materials follow the quantities actually used once a job type has at least
# MIN_HISTORY completed jobs, averaged over the last HISTORY_SIZE of them.
MIN_HISTORY = 3
HISTORY_SIZE = 5
LEFTOVER_POLICIES = ("carry", "return")
# What a technician records on site on his own job; everything else of a task is set by
# the office or by the job's operations.
TECHNICIAN_WRITABLE_TASK_FIELDS = frozenset(
    {
        "description",
        "isp_latitude",
        "isp_longitude",
        "isp_signature",
        "isp_material_ids",
        "message_main_attachment_id",
    }
)
# What a completed job keeps (harmless fields such as the description, tags or the
# chatter stay writable); `active`: a done job is archived only with a reason.
DONE_JOB_LOCKED_FIELDS = {
    "isp_job_type_id",
    "isp_technician_id",
    "isp_scheduled_date",
    "isp_job_state",
    "isp_material_ids",
    "isp_latitude",
    "isp_longitude",
    "isp_completed_date",
    "isp_signature",
    "isp_picking_ids",
    "isp_installed_lot_ids",
    "isp_operation_id",
    "isp_completion_key",
    "partner_id",
    "project_id",
    "company_id",
    "stage_id",
    "state",
    "user_ids",
    "active",
}


class ProjectTask(models.Model):
    """A field job card: a task of a field-service project with a technician, a customer,
    a job type and the materials it needs, uses and returns."""

    _name = "project.task"
    _inherit = [
        "project.task",
        "isp.server.fields.mixin",
        "isp.done.lock.mixin",
        "isp.lock.mixin",
    ]
    # Set by the job's operations only: which transfer is the visit's (its completion
    # validates that transfer), the completion's idempotency key and date. Written by a
    # user, a job could be pointed at another job's or a store's transfer.
    _isp_server_fields = ("isp_operation_id", "isp_completion_key", "isp_completed_date")

    # A customer's next job from a day on (isp_reports' first-time fix looks, for each
    # completed job, for a follow-up visit within days): the range is read in the index,
    # not filtered from the customer's jobs (12 months of jobs: 200 ms, 120 ms with it).
    _isp_followup_idx = models.Index(
        "(partner_id, (COALESCE(isp_scheduled_date, create_date)), id)"
        " WHERE state != '1_canceled'"
    )

    isp_is_field_job = fields.Boolean(related="project_id.isp_is_field_service")
    isp_job_type_id = fields.Many2one(
        "isp.job.type", string="Job Type", tracking=True, check_company=True
    )
    isp_technician_id = fields.Many2one(
        "isp.technician",
        string="Technician",
        tracking=True,
        index="btree_not_null",
        check_company=True,
    )
    isp_scheduled_date = fields.Datetime(string="Scheduled On", tracking=True, index=True)
    isp_job_state = fields.Selection(
        ISP_JOB_STATES,
        string="Job State",
        compute="_compute_isp_job_state",
        store=True,
        index="btree_not_null",
        help="The job's stage says it (the stages' Field Job State); a closed task is done. "
        "Only tasks of field-service projects are job cards and have a job state.",
    )
    isp_operation_id = fields.Many2one(
        "stock.picking",
        string="Job Operation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The one transfer of the visit: materials from the van to the customer "
        "(demand = planned, reserved = set aside, done = used) and equipment taken back.",
    )
    isp_material_ids = fields.One2many(
        "stock.move",
        "isp_task_id",
        string="Materials",
        copy=False,
        help="The job's materials: stock moves of its operation from the technician's van "
        "to the customer.",
    )
    isp_completion_key = fields.Char(
        string="Completion Key",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The idempotency key the completion was sent with: a resent completion with "
        "the same key answers the first result.",
    )
    isp_latitude = fields.Float(string="Latitude", digits=(10, 7), copy=False)
    isp_longitude = fields.Float(string="Longitude", digits=(10, 7), copy=False)
    isp_completed_date = fields.Datetime(string="Completed On", readonly=True, copy=False)
    isp_signature = fields.Binary(string="Customer Signature", copy=False, attachment=True)
    isp_picking_ids = fields.One2many("stock.picking", "isp_task_id", string="Transfers")
    isp_picking_count = fields.Integer(compute="_compute_isp_picking_count")
    isp_installed_lot_ids = fields.One2many(
        "stock.lot", "isp_task_id", string="Serials Installed", readonly=True
    )
    isp_material_cost = fields.Monetary(
        string="Material Cost",
        compute="_compute_isp_material_cost",
        currency_field="isp_currency_id",
        help="Stock value of the materials consumed at the customer.",
    )
    isp_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    isp_address = fields.Char(related="partner_id.contact_address_inline", string="Address")
    isp_map_url = fields.Char(compute="_compute_isp_map_url", string="Map")

    @api.depends("project_id.isp_is_field_service", "stage_id.isp_job_state", "state")
    def _compute_isp_job_state(self):
        for task in self:
            if not task.project_id.isp_is_field_service:
                task.isp_job_state = False
            elif task.state == "1_done":
                task.isp_job_state = "done"
            else:
                task.isp_job_state = task.stage_id.isp_job_state or "scheduled"

    @api.depends("isp_picking_ids")
    def _compute_isp_picking_count(self):
        for task in self:
            task.isp_picking_count = len(task.isp_picking_ids)

    @api.depends("isp_material_ids.value", "isp_material_ids.state")
    def _compute_isp_material_cost(self):
        for task in self:
            task.isp_material_cost = sum(task._isp_consumption_moves().mapped("value"))

    @api.depends("partner_id", "isp_latitude", "isp_longitude")
    def _compute_isp_map_url(self):
        for task in self:
            if task.isp_latitude or task.isp_longitude:
                query = f"{task.isp_latitude},{task.isp_longitude}"
            else:
                query = (task.partner_id.contact_address_inline or "").replace(" ", "+")
            task.isp_map_url = query and f"https://www.google.com/maps/search/?api=1&query={query}"

    def _isp_consumption_moves(self):
        """Done moves that took this job's materials to the customer."""
        return self.isp_material_ids.filtered(
            lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
        )

    # ------------------------------------------------------------------
    # Assignment: the technician is the task's assignee (and so follows it)
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            given = sorted(
                {name for vals in vals_list for name in self._isp_server_fields if vals.get(name)}
            )
            if given:
                raise self._isp_server_fields_error(given)
        tasks = super().create(vals_list)
        if self._isp_is_field_only() and tasks.filtered("isp_is_field_job"):
            # Odoo's To-Do app lets every employee create tasks: not field jobs.
            raise AccessError(self.env._("Only the office creates field jobs."))
        # sudo: only to see which new tasks have a technician; a portal collaborator
        # creating a task in a shared project may not read that field
        tasks.filtered(lambda task: task.sudo().isp_technician_id)._isp_sync_assignee()
        return tasks

    @api.ondelete(at_uninstall=False)
    def _unlink_except_field_job_by_technician(self):
        """Odoo's To-Do app lets every employee delete tasks: technicians never delete
        a field job (its materials, stock moves and chatter are the job's evidence)."""
        if self._isp_is_field_only() and self.filtered("isp_is_field_job"):
            raise AccessError(self.env._("Technicians cannot delete field jobs."))

    def write(self, vals):
        self._isp_check_not_completed()
        self._isp_check_technician_fields(vals)
        self._isp_check_branch_assignment(vals)
        if "isp_material_ids" in vals and self._isp_is_field_only():
            vals = dict(vals)
            for task in self:
                task._isp_apply_technician_materials(vals["isp_material_ids"])
            del vals["isp_material_ids"]
            if not vals:
                return True
        # The operations themselves (start, complete) set the stage in the superuser
        # environment, which no user's request runs in.
        closing = self.browse() if self.env.su else self._isp_closing(vals)
        if closing:
            # Dragging a job to a done stage (or ticking it done) completes it through
            # the job's operation, or is refused with what is missing.
            closing._isp_complete_by_stage()
            rest = {key: value for key, value in vals.items() if key not in ("stage_id", "state")}
            if rest:
                closing.write(rest)
            others = self - closing
            return others.write(vals) if others else True
        if vals.get("state") == "1_canceled":
            self._isp_release_materials()
        reassigned = "isp_technician_id" in vals
        # Only a reassignment needs the previous technicians: a portal collaborator
        # editing a shared task may not even read the technician field.
        old_users = {task: task.isp_technician_id.user_id for task in self} if reassigned else {}
        result = super().write(vals)
        if reassigned:
            for task in self:
                if old_users[task] and old_users[task] != task.isp_technician_id.user_id:
                    task.message_unsubscribe(partner_ids=old_users[task].partner_id.ids)
            self._isp_sync_assignee()
        if reassigned or "partner_id" in vals:
            self._isp_sync_operation()
        return result

    def _isp_release_materials(self):
        """A cancelled job gives back what was set aside for it."""
        # sudo: the office cancels a job; its open materials are cancelled with it
        self.sudo()._isp_open_materials()._action_cancel()

    def _isp_is_done(self):
        self.ensure_one()
        return self.isp_job_state == "done"

    def _isp_done_locked_fields(self):
        return DONE_JOB_LOCKED_FIELDS

    def _isp_remove_done(self):
        """A completed job is archived, never deleted: its transfers and installed
        serials keep pointing to it."""
        return self.action_archive()

    @api.constrains("company_id", "isp_technician_id", "isp_job_type_id")
    def _check_isp_company(self):
        """A company's job gets that company's technician and job type. project.task has
        no automatic company check (a task without company is shared): done here."""
        self.filtered("company_id")._check_company(["isp_technician_id", "isp_job_type_id"])

    def _isp_sync_assignee(self):
        for task in self:
            user = task.isp_technician_id.user_id
            if user and task.user_ids != user:
                task.user_ids = user

    def _isp_check_not_completed(self):
        """Technicians cannot change a completed job; the office can."""
        if self.env.su or not self.env.user.has_group("isp_inventory.group_isp_technician"):
            return
        if self.env.user.has_group("isp_inventory.group_isp_storekeeper"):
            return
        done = self.filtered(lambda t: t.isp_job_state == "done")
        if done:
            raise AccessError(
                self.env._(
                    "Job %(jobs)s is completed and can no longer be changed.",
                    jobs=", ".join(done.mapped("name")),
                )
            )

    def _isp_is_field_only(self):
        """The user is a technician and none of the office roles (the roles a
        technician may not act beyond)."""
        return not self.env.su and self.env.user._isp_is_field_only()

    def _isp_check_branch_assignment(self, vals):
        """A storekeeper scoped to branches (res.users.isp_warehouse_ids) assigns jobs
        only to technicians of those branches: a job of his branch does not leave his
        scope by a reassignment (the job rule rests on the technician's branch)."""
        if self.env.su or not vals.get("isp_technician_id"):
            return
        branches = self.env.user._isp_branch_scope()
        # sudo: the target technician may be one the user cannot read (another branch);
        # only his branch is compared.
        technician = self.env["isp.technician"].sudo().browse(vals["isp_technician_id"])
        if branches and technician.warehouse_id not in branches:
            raise AccessError(
                self.env._(
                    "You can assign jobs only to technicians of your branches (%(branches)s).",
                    branches=", ".join(branches.mapped("name")),
                )
            )

    def _isp_check_technician_fields(self, vals):
        """Technicians update what they record on site (position, signature, notes,
        materials); who does the job, for whom, where it belongs and its state are set
        by the office or by the job's operations (start, complete)."""
        if not self._isp_is_field_only():
            return
        refused = set(vals) - TECHNICIAN_WRITABLE_TASK_FIELDS
        if refused:
            raise AccessError(
                self.env._(
                    "Technicians cannot change %(fields)s of a job.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(refused)
                        if name in self._fields
                    ),
                )
            )

    def _isp_check_can_work(self):
        """The job is an open field job and the user is its technician or a storekeeper."""
        my_technicians = self.env["isp.technician"].search([("user_id", "=", self.env.uid)])
        for task in self:
            if not task.isp_is_field_job or not task.isp_technician_id:
                raise UserError(
                    self.env._("%(job)s is not a field job with a technician.", job=task.name)
                )
            # compared by id: a technician may not read another technician's record
            if (
                not self.env.su
                and task.isp_technician_id not in my_technicians
                and not self.env.user.has_group("isp_inventory.group_isp_storekeeper")
            ):
                raise AccessError(
                    self.env._(
                        "Only the job's technician or a storekeeper can work on job %(job)s.",
                        job=task.name,
                    )
                )
            if task.isp_job_state == "done":
                raise UserError(self.env._("Job %(job)s is already completed.", job=task.name))

    # ------------------------------------------------------------------
    # Materials: the moves of the job's operation (van → customer)
    # ------------------------------------------------------------------
    def _isp_operation(self):
        """The job's operation (one transfer of the visit), created on first need."""
        self.ensure_one()
        if self.isp_operation_id:
            return self.isp_operation_id
        picking_type, source, destination = self._isp_operation_route()
        Picking = self.env["stock.picking"]
        # sudo: technicians hold no Inventory rights; the operation of their own job
        # is created by the job's operations (materials, issue, complete), which check
        # the actor. The ORM answers "not allowed" to a direct create.
        picking = (
            Picking.sudo()
            .create(
                Picking._isp_prepare_picking_values(
                    picking_type, source, destination, self._isp_operation_values()
                )
            )
            .sudo(False)
        )
        # sudo: the operation link is set by the server only (technicians may not
        # write it; it is not in their on-site fields).
        self.sudo().write({"isp_operation_id": picking.id})
        return picking

    def _isp_operation_route(self):
        """(operation type, source, destination) of the job's operation: the
        technician's branch delivery type, their van and the customer's location (the
        company's first branch while no technician is assigned)."""
        self.ensure_one()
        technician = self.isp_technician_id
        warehouse = technician.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", (self.company_id or self.env.company).id)], limit=1
        )
        if not warehouse:
            raise UserError(self.env._("Create a branch (warehouse) before planning materials."))
        source = technician.vehicle_location_id or warehouse.lot_stock_id
        destination = (
            self.partner_id.property_stock_customer
            or warehouse.out_type_id.default_location_dest_id
        )
        return warehouse.out_type_id, source, destination

    def _isp_operation_values(self):
        """Hook: what the job's operation records about the job."""
        return {
            "origin": self.name,
            "project_id": self.project_id.id,
            "isp_task_id": self.id,
            "partner_id": self.partner_id.id,
            "scheduled_date": self.isp_scheduled_date or fields.Datetime.now(),
        }

    def _isp_sync_operation(self):
        """A new technician or customer moves the open operation: its reservations are
        released and it takes the new van and customer."""
        # sudo: the office reassigns a job; its operation follows (see _isp_operation).
        # A portal collaborator changing a shared task's customer may not even read
        # whether it has an operation.
        for task in self.sudo().filtered("isp_operation_id"):
            picking = task.isp_operation_id
            if picking.state in ("done", "cancel"):
                continue
            picking_type, source, destination = task._isp_operation_route()
            if (picking.picking_type_id, picking.location_id, picking.location_dest_id) == (
                picking_type,
                source,
                destination,
            ) and picking.partner_id == task.partner_id:
                continue
            picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))._do_unreserve()
            picking.write(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "partner_id": task.partner_id.id,
                }
            )

    def _isp_open_materials(self):
        return self.isp_material_ids.filtered(lambda m: m.state not in ("done", "cancel"))

    def _isp_apply_technician_materials(self, commands):
        """A technician plans the materials of his own open job: add a product, change
        a planned quantity, remove a line nothing was used of. Applied by the server
        (technicians hold no stock rights) after these checks."""
        self._isp_check_can_work()
        Move = self.env["stock.move"]
        # sudo: see the docstring; only the job's own open material moves are touched
        own = self.sudo().isp_material_ids
        checked = []
        for command in commands:
            code = command[0]
            if code == Command.CREATE:
                values = command[2] or {}
                self._isp_check_material_values(values, creating=True)
                checked.append(Command.create(values))
            elif code == Command.UPDATE:
                move = Move.browse(command[1])
                if move not in own or move.state in ("done", "cancel"):
                    raise AccessError(self.env._("You may change only open materials of this job."))
                self._isp_check_material_values(command[2] or {})
                checked.append(Command.update(move.id, command[2]))
            elif code in (Command.DELETE, Command.UNLINK):
                move = Move.browse(command[1])
                if move not in own or move.state == "done":
                    raise AccessError(self.env._("You may remove only open materials of this job."))
                checked.append(Command.delete(move.id))
            elif code == Command.LINK and Move.browse(command[1]) in own:
                continue
            else:
                raise AccessError(
                    self.env._("Plan materials by adding, changing or removing lines.")
                )
        if checked:
            self.sudo().write({"isp_material_ids": checked})

    def _isp_check_material_values(self, values, creating=False):
        refused = set(values) - TECHNICIAN_MATERIAL_FIELDS
        if refused or (creating and not values.get("product_id")):
            raise AccessError(
                self.env._("A material line is a product and a planned quantity, nothing else.")
            )
        if (values.get("product_uom_qty") or 0.0) < 0:
            raise UserError(self.env._("A planned quantity cannot be negative."))
        if (
            "product_id" in values
            and not self.env["product.product"].browse(values["product_id"]).exists().is_storable
        ):
            raise UserError(self.env._("Choose a stocked product for each material."))

    # ------------------------------------------------------------------
    # Suggested materials
    # ------------------------------------------------------------------
    @api.onchange("isp_job_type_id")
    def _onchange_isp_job_type_id(self):
        if self.isp_job_type_id and not self.isp_material_ids.filtered(
            lambda m: m.state not in ("draft", "cancel")
        ):
            self.isp_material_ids = [Command.clear()] + [
                Command.create({"product_id": product.id, "product_uom_qty": quantity})
                for product, quantity in self._isp_suggested_materials().items()
            ]

    def action_isp_suggest_materials(self):
        """(Re)fill the material list from the job type and the usage history."""
        for task in self:
            task._isp_check_can_work()
            task._isp_apply_suggestion()
        return True

    def _isp_apply_suggestion(self):
        """Replace the planned lines nothing was set aside or requested for yet; the
        others keep at least the suggested quantity."""
        self.ensure_one()
        # sudo: the job's operations change its materials (technicians hold no stock
        # rights); _isp_check_can_work was called by the public method.
        moves = self.sudo()._isp_open_materials()
        committed = moves.filtered(lambda m: m.state != "draft")
        commands = [Command.delete(m.id) for m in moves - committed]
        for product, quantity in self._isp_suggested_materials().items():
            line = committed.filtered(lambda m, p=product: m.product_id == p)[:1]
            if line:
                planned = max(quantity, line.product_uom_qty)
                commands.append(Command.update(line.id, {"product_uom_qty": planned}))
            else:
                commands.append(
                    Command.create({"product_id": product.id, "product_uom_qty": quantity})
                )
        self.sudo().write({"isp_material_ids": commands})

    def _isp_suggested_materials(self):
        """{product: quantity} for this job's type.

        The job type's template, unless the type has at least MIN_HISTORY completed jobs:
        then the average quantity used per job over the last HISTORY_SIZE completed jobs
        (a product not used on a job counts 0 for it), rounded up to a whole unit;
        products averaging 0 are left out.
        """
        self.ensure_one()
        job_type = self.isp_job_type_id
        if not job_type:
            return {}
        # sudo: the average usage of other technicians' jobs only feeds the suggestion
        # (quantities per product, nothing else is shown); technicians cannot read them.
        history = (
            self.env["project.task"]
            .sudo()
            .search(
                [
                    ("isp_job_type_id", "=", job_type.id),
                    ("isp_job_state", "=", "done"),
                    ("id", "not in", self.ids),
                ],
                order="isp_completed_date desc, id desc",
                limit=HISTORY_SIZE,
            )
        )
        if len(history) < MIN_HISTORY:
            return {line.product_id: line.quantity for line in job_type.material_line_ids}
        # sudo: as above
        used = (
            self.env["stock.move"]
            .sudo()
            ._read_group(
                [("isp_task_id", "in", history.ids), ("state", "=", "done")],
                ["product_id", "product_uom"],
                ["quantity:sum"],
            )
        )
        totals = {}
        for product, uom, quantity in used:
            totals[product] = totals.get(product, 0.0) + uom._compute_quantity(
                quantity, product.uom_id
            )
        suggestion = {}
        for product, total in totals.items():
            average = float_round(
                total / len(history), precision_rounding=1.0, rounding_method="UP"
            )
            if average > 0:
                suggestion[product.with_env(self.env)] = average
        return suggestion

    # ------------------------------------------------------------------
    # Issue against the job
    # ------------------------------------------------------------------
    def action_isp_issue_materials(self):
        """Set aside (reserve) for the job what the van holds, and request what the van
        will lack from the home branch in one confirmed transfer linked to the job.
        Returns the transfer's id (False when the van holds or has coming everything)."""
        self.ensure_one()
        return self._isp_issue_materials().id

    def _isp_issue_materials(self):
        self.ensure_one()
        self._isp_lock()
        self._isp_check_can_work()
        # sudo: the job's operations move its materials (see _isp_apply_suggestion)
        moves = self.sudo()._isp_open_materials().filtered("product_uom_qty")
        if not moves:
            raise UserError(self.env._("Job %(job)s has no materials to issue.", job=self.name))
        moves.filtered(lambda m: m.state == "draft")._action_confirm()
        moves._action_assign()
        van = self.isp_technician_id.vehicle_location_id
        to_request = []
        for product, product_moves in moves.grouped("product_id").items():
            unreserved = sum(
                m.product_qty - m.product_uom._compute_quantity(m.quantity, product.uom_id)
                for m in product_moves
            )
            # What the van will lack once every confirmed job of the van has taken its
            # share and every open request has arrived (Odoo's forecast of the van).
            lacking = -product.with_context(location=van.id).virtual_available
            missing = min(unreserved, lacking)
            if product.uom_id.compare(missing, 0) > 0:
                to_request.append((product, missing))
        if not to_request:
            return self.env["stock.picking"]
        return self.isp_technician_id._isp_create_request(
            to_request,
            origin=self.name,
            project_id=self.project_id.id,
            isp_task_id=self.id,
            partner_id=self.partner_id.id,
        )

    # ------------------------------------------------------------------
    # Start / complete; the stage is the job state
    # ------------------------------------------------------------------
    def action_isp_start(self):
        for task in self:
            task._isp_check_can_work()
            task._isp_set_job_state("in_progress")
        return True

    def _isp_set_job_state(self, state, extra=None):
        """Move the job to the stage of `state` (a done job is also closed), with the
        operation's `extra` values. Only the start and complete operations call this,
        after `_isp_check_can_work`."""
        stage = self.project_id.type_ids.filtered(lambda s: s.isp_job_state == state)[:1]
        if not stage:
            stage = self.env["project.task.type"].search([("isp_job_state", "=", state)], limit=1)
        vals = dict(extra or {}, **({"stage_id": stage.id} if stage else {}))
        if state == "done":
            vals.update(state="1_done", isp_completed_date=fields.Datetime.now())
        # sudo: a technician may not set a job's stage or state by hand (that would
        # complete it without its stock moves); the operations do it here, past the
        # stage routing of `write` (this is the completion itself; see `write`).
        self.sudo().write(vals)

    def _isp_closing(self, vals):
        """The open field jobs that `vals` would close (a done stage or state)."""
        closes = vals.get("state") == "1_done" or (
            vals.get("stage_id")
            and self.env["project.task.type"].browse(vals["stage_id"]).isp_job_state == "done"
        )
        if not closes:
            return self.browse()
        return self.filtered(lambda task: task.isp_is_field_job and task.isp_job_state != "done")

    def _isp_complete_by_stage(self):
        """Closing a job from its stage or state completes it through the same operation
        when it needs nothing; otherwise it is refused with what is missing."""
        for task in self:
            planned = task.sudo()._isp_open_materials().filtered("product_uom_qty")
            if planned:
                raise UserError(
                    self.env._(
                        "Job %(job)s has materials planned (%(products)s): complete it with "
                        "Complete, saying what was used and which serials were installed.",
                        job=task.name,
                        products=", ".join(planned.product_id.mapped("display_name")),
                    )
                )
            task._isp_complete({})

    def action_isp_open_complete_wizard(self):
        self.ensure_one()
        self._isp_check_can_work()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complete %(job)s", job=self.name),
            "res_model": "isp.job.complete.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    def action_isp_complete(self, values):
        """Complete the job in one go (all or nothing). `values`:

        - ``lines``: list of ``{"material_id" or "product_id", "qty_used", "lots"}``
          (``material_id``: a move of ``isp_material_ids``; ``lots``: serial ids or
          names installed, or ``{"lot": id or name, "rx_power_dbm": float, "olt_port":
          str}`` with that serial's own reading; for serial products ``qty_used``
          defaults to their number);
        - ``leftover``: ``"carry"`` (unused materials stay in the van, default) or
          ``"return"`` (a transfer van → home branch, reserved, for the storekeeper to
          receive);
        - ``removed``: list of ``{"lot": id or name, "faulty": bool}``, equipment taken
          back from the customer into the van (or the branch quarantine when faulty);
        - ``latitude``, ``longitude``, ``signature`` (base64 image), ``attachment_ids``
          (photos already uploaded, linked to the job);
        - ``rx_power_dbm`` (ONT receive power, -40..+5 dBm) and ``olt_port`` (e.g.
          ``"OLT-WSTL-01 0/1/3"``), recorded on the serials installed that have no
          reading of their own;
        - ``no_serial_reason``: why a planned serial-tracked item was not installed
          (required then; logged on the job);
        - ``idempotency_key`` (optional, a client-generated string): a completion resent
          with the key it was completed with answers True again and changes nothing.
        """
        self.ensure_one()
        self._isp_check_completion_shape(values)
        key = values.get("idempotency_key")
        if key:
            # A resent completion waits for the first one (instead of "being processed")
            # and then sees its result; under REPEATABLE READ the wait ends in a
            # serialization failure that Odoo's RPC layer retries in a new transaction.
            self._isp_wait_lock()
            if self.isp_job_state == "done" and self.sudo().isp_completion_key == str(key):
                self._isp_check_can_read_job()
                return True
        self._isp_complete(values)
        return True

    def _isp_check_completion_shape(self, values):
        """A completion is a dictionary whose ``lines`` and ``removed`` are lists of
        dictionaries (and a line's ``lots`` a list): anything else is refused in words,
        not with a server error, before anything is read or locked."""
        if not isinstance(values, dict):
            raise UserError(self.env._("The completion values must be a dictionary."))
        for key in ("lines", "removed"):
            entries = values.get(key) or []
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise UserError(
                    self.env._("The completion's %(key)s must be a list of dictionaries.", key=key)
                )

        def number(value):
            """Empty, a number, or text that reads as one ("2.5")."""
            if value in (None, False) or (
                isinstance(value, int | float) and not isinstance(value, bool)
            ):
                return True
            try:
                return isinstance(value, str) and float(value) == float(value)
            except ValueError:
                return False

        for entry in values.get("lines") or []:
            if not isinstance(entry.get("lots") or [], list):
                raise UserError(self.env._("The serials (lots) of a used line must be a list."))
            if not number(entry.get("qty_used")):
                raise UserError(self.env._("A used quantity must be a number."))
        for key in ("latitude", "longitude", "rx_power_dbm"):
            if not number(values.get(key)):
                raise UserError(self.env._("The completion's %(key)s must be a number.", key=key))

    def _isp_wait_lock(self):
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset()

    def _isp_check_can_read_job(self):
        """The answer to a resent completion is for the job's technician or the office."""
        self.check_access("read")
        my_technicians = self.env["isp.technician"].search([("user_id", "=", self.env.uid)])
        if self.isp_technician_id not in my_technicians and not self.env.user.has_group(
            "isp_inventory.group_isp_storekeeper"
        ):
            raise AccessError(self.env._("Only the job's technician or a storekeeper can do this."))

    def _isp_complete(self, values):
        self.ensure_one()
        self._isp_lock()
        self._isp_check_can_work()
        leftover = values.get("leftover") or "carry"
        if leftover not in LEFTOVER_POLICIES:
            raise UserError(
                self.env._(
                    "Leftover policy must be 'carry' or 'return', not %(value)s.", value=leftover
                )
            )
        if not self.partner_id:
            raise UserError(self.env._("Set the customer of job %(job)s first.", job=self.name))
        self.env["stock.lot"]._isp_check_rx_power(values.get("rx_power_dbm"))
        readings, cuts = {}, {}
        usage = self._isp_parse_usage(values.get("lines") or [], readings, cuts)
        self._isp_check_planned_serials(usage, values.get("no_serial_reason"))
        removed = [self._isp_parse_removed(entry) for entry in values.get("removed") or []]
        # sudo: technicians hold no stock rights: the job's operation is prepared and
        # validated by the server, for the job's technician or a storekeeper (checked).
        operation = self.sudo()._isp_operation_if_needed(usage, removed)
        set_aside = self._isp_set_aside(operation)
        if operation:
            self._isp_prepare_operation(operation, usage, removed, cuts)
            if operation.move_ids.filtered(lambda m: m.state != "cancel"):
                operation.with_context(
                    isp_install_values={
                        "latitude": values.get("latitude") or self.isp_latitude,
                        "longitude": values.get("longitude") or self.isp_longitude,
                        "rx_power_dbm": values.get("rx_power_dbm"),
                        "olt_port": values.get("olt_port"),
                        "by_lot": readings,
                    }
                )._isp_validate_now(allow_short=True)
        if leftover == "return":
            self._isp_return_leftovers(set_aside)
        self._isp_record_completion(values)

    def _isp_check_planned_serials(self, usage, reason):
        """A planned serial-tracked item (an ONT of an installation) that is not
        installed needs the reason why, which is logged on the job; without it the
        completion is refused (a job does not silently end without its device)."""
        installed = {product for _move, product, _qty, lots in usage if lots}
        # sudo: the job's own materials (see _isp_material_for_entry)
        missing = (
            self.sudo()
            ._isp_open_materials()
            .filtered(
                lambda m: m.product_id.tracking == "serial"
                and m.product_uom_qty
                and m.product_id not in installed
            )
            .product_id
        )
        if not missing:
            return
        if not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Job %(job)s planned %(products)s: scan the serial installed, or give "
                    "the reason it was not installed.",
                    job=self.name,
                    products=", ".join(missing.mapped("display_name")),
                )
            )
        self.message_post(
            body=self.env._(
                "Completed without installing %(products)s: %(reason)s",
                products=", ".join(missing.mapped("display_name")),
                reason=reason.strip(),
            )
        )

    def _isp_operation_if_needed(self, usage, removed):
        """The job's operation, when there is anything to move (sudo recordset)."""
        if self.isp_operation_id or usage or removed:
            return self._isp_operation().sudo()
        return self.env["stock.picking"].sudo()

    def _isp_set_aside(self, operation):
        """{product: quantity} reserved in the van for the job before completion."""
        set_aside = {}
        for move in operation.move_ids.filtered(
            lambda m: m.isp_task_id and m.state not in ("done", "cancel")
        ):
            quantity = move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id)
            set_aside[move.product_id] = set_aside.get(move.product_id, 0.0) + quantity
        return set_aside

    def _isp_prepare_operation(self, operation, usage, removed, cuts=None):
        """Set the operation's moves to what was used (serials named), cancel what was
        not, add the equipment taken back; everything picked, ready to validate. Moves
        are confirmed, reserved and given their serials in batches, as a native
        validation does. `cuts` (``{lot id: metres}``) are the lengths used from named
        cable spools (one move line of that length each; a serial is one unit)."""
        cuts = cuts or {}
        self._isp_sync_operation()
        Move = self.env["stock.move"].sudo()
        open_moves = operation.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        lines = self._isp_used_moves(operation, usage)
        moves = Move.union(*[move for move, _qty, _lots in lines])
        (open_moves - moves)._action_cancel()
        # reserved below, the serials named and the rest once
        moves.filtered(lambda m: m.state == "draft").with_context(
            isp_assign_later=True
        )._action_confirm(merge=False)
        serials = {move: lots for move, _qty, lots in lines if lots}
        Move.union(*serials).filtered("move_line_ids")._do_unreserve()
        self.env["stock.move.line"].sudo().create(
            [
                {
                    "move_id": move.id,
                    "picking_id": operation.id,
                    "product_id": move.product_id.id,
                    "lot_id": lot.id,
                    "quantity": cuts.get(lot.id, 1.0),
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
                for move, lots in serials.items()
                for lot in lots
            ]
        )
        used = {move: qty for move, qty, lots in lines if not lots}
        self._isp_check_van_holds(used)
        Move.union(*used).filtered(
            lambda m: m.product_uom.compare(m.quantity, m.product_uom_qty) < 0
        )._action_assign()
        for move, qty in used.items():
            quantity = move.product_id.uom_id._compute_quantity(qty, move.product_uom)
            if move.product_uom.compare(move.quantity, quantity):
                move.quantity = quantity
        self._isp_add_removed(operation, removed)
        operation.move_ids.filtered(lambda m: m.state != "cancel").picked = True

    def _isp_used_moves(self, operation, usage):
        """[(material move, used quantity, serials)] of the usage lines: a move is
        created for what was not planned, its demand raised to what was used when
        more."""
        van, customer = operation.location_id, operation.location_dest_id
        missing = [(product, qty) for move, product, qty, _lots in usage if not move]
        created = iter(
            self.env["stock.move"]
            .sudo()
            .create(
                [
                    dict(
                        operation._isp_prepare_move_values(product, [(qty, False)], van, customer),
                        isp_task_id=self.id,
                    )
                    for product, qty in missing
                ]
            )
        )
        lines = []
        for move, product, qty, lots in usage:
            move = move.sudo() if move else next(created)
            if product.uom_id.compare(qty, move.product_qty) > 0:
                move.product_uom_qty = product.uom_id._compute_quantity(qty, move.product_uom)
            lines.append((move, qty, lots))
        return lines

    def _isp_check_van_holds(self, used):
        """What is in the van is used, also when it was set aside for another job: the
        other job's reservation is released when this is done (and Odoo reserves it
        again from what is left or comes in). More than the van holds is refused."""
        if not used:
            return
        van = self.isp_technician_id.vehicle_location_id
        # sudo: the quantities in the technician's own van (quants of his van are
        # readable to him; the office completing a job reads them too)
        on_hand = dict(
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("location_id", "child_of", van.id),
                    ("product_id", "in", [move.product_id.id for move in used]),
                ],
                ["product_id"],
                ["quantity:sum"],
            )
        )
        for move, qty in used.items():
            product = move.product_id
            available = on_hand.get(product, 0.0)
            if product.uom_id.compare(available, qty) < 0:
                raise UserError(
                    self.env._(
                        "%(van)s holds only %(available)s %(uom)s of %(product)s, not %(qty)s.",
                        van=van.display_name,
                        available=available,
                        uom=product.uom_id.name,
                        product=product.display_name,
                        qty=qty,
                    )
                )

    def _isp_add_removed(self, operation, removed):
        """Equipment taken back from the customer joins the operation: into the van, or
        the branch quarantine when faulty."""
        technician = self.isp_technician_id
        for faulty in (False, True):
            lots = self.env["stock.lot"].union(*[lot for lot, f in removed if f == faulty])
            if not lots:
                continue
            for lot in lots:
                if lot.isp_state != "installed":
                    raise UserError(
                        self.env._(
                            "Serial %(lot)s is not installed at %(customer)s.",
                            lot=lot.name,
                            customer=self.partner_id.display_name,
                        )
                    )
            lots._isp_check_service_call(technician, self.partner_id)
            lots._isp_check_may_remove(technician, self.partner_id)
            destination = (
                technician.warehouse_id._isp_get_quarantine_location()
                if faulty
                else technician.vehicle_location_id
            )
            for product, product_lots in lots.grouped("product_id").items():
                operation._isp_add_move(
                    product,
                    [(1.0, lot) for lot in product_lots],
                    operation.location_dest_id,
                    destination,
                )

    def _isp_parse_usage(self, entries, readings=None, cuts=None):
        """[(move or empty, product, used quantity, serials)], one per material line
        (several entries of the same line add up), checked. The per-serial readings
        given in the lines' ``lots`` are added to `readings` (``{lot id: {...}}``); the
        metres used from each named cable spool to `cuts` (``{lot id: metres}``)."""
        parsed = {}
        # the metres given with each spool lot (``{"lot": ..., "qty": metres}``), if any
        lengths = [
            [self._isp_split_cut_item(item) for item in e.get("lots") or []] for e in entries
        ]
        # a line's serials: refs (id or name) and the reading given with each, if any
        items = [[self._isp_parse_lot_item(item) for item, _qty in cut] for cut in lengths]
        # one read of the products named by the lines (instead of one per line)
        products = (
            self.env["product.product"]
            .browse({e["product_id"] for e in entries if isinstance(e.get("product_id"), int)})
            .exists()
        )
        products.product_tmpl_id.fetch(["is_storable", "tracking", "uom_id"])
        # and of the serials named by id
        known_lots = (
            self.env["stock.lot"]
            .browse({ref for refs in items for ref, _reading in refs if isinstance(ref, int)})
            .exists()
        )
        spool_cuts = {}
        for entry, entry_items, entry_lengths in zip(entries, items, lengths, strict=True):
            move, product = self._isp_material_for_entry(entry, products)
            lots = self._isp_resolve_lots([ref for ref, _r in entry_items], product, known_lots)
            if readings is not None:
                # _isp_resolve_lots keeps the order of the refs (a serial twice is refused)
                for lot, (_ref, reading) in zip(lots, entry_items, strict=True):
                    if reading:
                        readings[lot.id] = reading
            qty = self._isp_check_used_quantity(entry, product, lots)
            if lots and product.isp_is_spool:
                lot_cuts = self._isp_spool_cuts(
                    entry, product, lots, [length for _item, length in entry_lengths]
                )
                spool_cuts.update(lot_cuts)
                qty = sum(lot_cuts.values())
            key = move or product
            _move, _product, total, all_lots = parsed.get(key, (move, product, 0.0, lots.browse()))
            if lots & all_lots:
                raise UserError(
                    self.env._("Serial %(lot)s is listed twice.", lot=(lots & all_lots)[:1].name)
                )
            parsed[key] = (move, product, total + qty, all_lots | lots)
        van = self.isp_technician_id.vehicle_location_id
        usage = [entry for entry in parsed.values() if entry[2] or entry[3]]
        # sudo: where the serials are (read together), checked against the van below
        self.env["stock.lot"].union(*[lots for *_rest, lots in usage]).sudo().quant_ids.fetch(
            ["location_id", "quantity"]
        )
        for _move, _product, _qty, lots in usage:
            for lot in lots:
                if lot.isp_state == "installed":
                    raise UserError(
                        self.env._(
                            "Serial %(lot)s is already installed at %(customer)s.",
                            lot=lot.name,
                            customer=lot.isp_customer_id.display_name,
                        )
                    )
                self.env["stock.picking"]._isp_check_lot_in_source(lot, van)
        self._isp_check_van_spools(spool_cuts)
        if cuts is not None:
            cuts.update({lot.id: metres for lot, metres in spool_cuts.items()})
        return usage

    def _isp_parse_lot_item(self, item):
        """(serial id or name, reading or None) of an item of a line's ``lots``: a serial
        id or name, or ``{"lot": id or name, "rx_power_dbm": float, "olt_port": str}``
        (that serial's own reading, checked like the job's: -40..+5 dBm)."""
        if not isinstance(item, dict):
            return item, None
        unknown = sorted(set(item) - {"lot", "rx_power_dbm", "olt_port"})
        if unknown or not item.get("lot"):
            raise UserError(
                self.env._(
                    'A serial with its reading is {"lot": id or name, "rx_power_dbm": '
                    'dBm, "olt_port": port}, not %(item)s.',
                    item=item,
                )
            )
        reading = {}
        if item.get("rx_power_dbm") not in (None, False, ""):
            try:
                rx_power_dbm = float(item["rx_power_dbm"])
            except (TypeError, ValueError) as error:
                raise UserError(
                    self.env._(
                        "Rx power of serial %(lot)s: %(error)s", lot=item["lot"], error=error
                    )
                ) from error
            self.env["stock.lot"]._isp_check_rx_power(rx_power_dbm)
            reading["rx_power_dbm"] = rx_power_dbm
        if item.get("olt_port"):
            reading["olt_port"] = str(item["olt_port"])
        return item["lot"], reading or None

    def _isp_check_used_quantity(self, entry, product, lots):
        qty = entry.get("qty_used")
        if product.tracking == "serial":
            qty = len(lots) if qty is None else qty
            if qty != len(lots):
                raise UserError(
                    self.env._(
                        "%(product)s: scan the serial of each of the %(qty)s installed.",
                        product=product.display_name,
                        qty=qty,
                    )
                )
        elif lots and not product.isp_is_spool:
            raise UserError(
                self.env._("%(product)s has no serial numbers.", product=product.display_name)
            )
        qty = float(qty or 0.0)
        if qty < 0:
            raise UserError(
                self.env._(
                    "The used quantity of %(product)s cannot be negative.",
                    product=product.display_name,
                )
            )
        return qty

    def _isp_material_for_entry(self, entry, products):
        """(material move or empty, product) of a completion line (`products`: the
        existing products of the lines, read at once)."""
        # sudo: the job's own materials, read to match the line (technicians may read
        # them; a storekeeper completing the job too); nothing else is read.
        materials = self.sudo()._isp_open_materials()
        if entry.get("material_id"):
            material = materials.filtered(lambda m: m.id == entry["material_id"])
            if not material:
                raise UserError(
                    self.env._(
                        "Material line %(id)s is not an open material of job %(job)s.",
                        id=entry["material_id"],
                        job=self.name,
                    )
                )
            return material, material.product_id.with_env(self.env)
        product = products.filtered(lambda p: p.id == entry.get("product_id"))
        if not product:
            raise UserError(self.env._("Each used line needs a material line or a product."))
        if not product.is_storable:
            raise UserError(self.env._("Choose a stocked product for each used line."))
        return materials.filtered(lambda m: m.product_id == product)[:1], product

    def _isp_unknown_lot_message(self, ref, product):
        """Why serial `ref` of `product` cannot be used: it does not exist, or (for a
        technician, who reads only the serials he holds or installed) it is not his."""
        # sudo: only whether a serial of that name exists, to word the refusal; nothing
        # of it is returned or used
        if isinstance(ref, str) and self.env["stock.lot"].sudo().search_count(
            [
                ("name", "=", ref),
                ("product_id", "=", product.id),
                ("company_id", "in", [*self.env.companies.ids, False]),
            ],
            limit=1,
        ):
            return self.env._(
                "Serial %(lot)s of %(product)s is not in your van or kit. Ask the store "
                "to issue it to you first.",
                lot=ref,
                product=product.display_name,
            )
        return self.env._(
            "Serial %(lot)s of %(product)s does not exist.", lot=ref, product=product.display_name
        )

    def _isp_resolve_lots(self, refs, product, known_lots):
        """Serials given by id (of `known_lots`, the existing ones) or name, each of
        `product`."""
        Lot = self.env["stock.lot"]
        lots = Lot
        for ref in refs:
            if isinstance(ref, int):
                lot = known_lots.filtered(lambda lot, ref=ref: lot.id == ref)
            else:
                lot = Lot.search([("name", "=", ref), ("product_id", "=", product.id)], limit=1)
            if not lot:
                raise UserError(self._isp_unknown_lot_message(ref, product))
            if lot.product_id != product:
                raise UserError(
                    self.env._(
                        "Serial %(lot)s is a %(lot_product)s, not a %(product)s.",
                        lot=lot.name,
                        lot_product=lot.product_id.display_name,
                        product=product.display_name,
                    )
                )
            if lot in lots:
                raise UserError(self.env._("Serial %(lot)s is listed twice.", lot=lot.name))
            lots |= lot
        return lots

    def _isp_parse_removed(self, entry):
        """(lot, faulty) of one serial taken back from the customer, checked."""
        ref = entry.get("lot")
        Lot = self.env["stock.lot"]
        lot = (
            Lot.browse(ref).exists()
            if isinstance(ref, int)
            else Lot.search([("name", "=", ref)], limit=1)
        )
        if not lot or lot.isp_customer_id != self.partner_id:
            raise UserError(
                self.env._(
                    "Serial %(lot)s is not installed at %(customer)s.",
                    lot=lot.name or ref,
                    customer=self.partner_id.display_name,
                )
            )
        return lot, bool(entry.get("faulty"))

    def _isp_return_leftovers(self, set_aside):
        """Send what was set aside for the job (from the van or issued to it) but not
        used back to the branch: a reserved transfer van → home branch stock, for the
        storekeeper to receive."""
        technician = self.isp_technician_id
        van = technician.vehicle_location_id
        used = {}
        for move in self._isp_consumption_moves():
            used[move.product_id] = used.get(move.product_id, 0.0) + move._isp_done_qty()
        lines = []
        for product, quantity in set_aside.items():
            leftover = min(
                quantity - used.get(product, 0.0),
                product.with_context(location=van.id).free_qty,
            )
            if product.uom_id.compare(leftover, 0) > 0:
                lines.append((product, leftover, False))
        if not lines:
            return self.env["stock.picking"]
        # The builder works as the system: the leftovers of the technician's own job go
        # from his van to his home branch (checked by _isp_check_can_work).
        return self.env["stock.picking"]._isp_build(
            technician.warehouse_id.int_type_id,
            van,
            technician.warehouse_id.lot_stock_id,
            lines,
            origin=self.name,
            project_id=self.project_id.id,
            isp_task_id=self.id,
        )

    def _isp_record_completion(self, values):
        vals = {}
        for key in ("latitude", "longitude"):
            if values.get(key):
                vals[f"isp_{key}"] = values[key]
        if values.get("signature"):
            vals["isp_signature"] = values["signature"]
        attachments = self.env["ir.attachment"].browse(values.get("attachment_ids") or []).exists()
        if attachments:
            attachments.write({"res_model": self._name, "res_id": self.id})
        if values.get("idempotency_key"):
            # the key is recorded by the server only (see action_isp_complete)
            vals["isp_completion_key"] = str(values["idempotency_key"])
        # one write: the completion's GPS, signature and key with the done stage
        self._isp_set_job_state("done", vals)

    def action_isp_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("isp_task_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
