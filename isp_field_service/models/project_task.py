from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import float_compare, float_is_zero, float_round

ISP_JOB_STATES = [
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
]
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
    _inherit = ["project.task", "isp.done.lock.mixin", "isp.lock.mixin"]

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
        readonly=False,
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="Only tasks of field-service projects are job cards and have a job state.",
    )
    isp_material_ids = fields.One2many("isp.job.material", "task_id", string="Materials", copy=True)
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

    @api.depends("project_id.isp_is_field_service")
    def _compute_isp_job_state(self):
        for task in self:
            if not task.project_id.isp_is_field_service:
                task.isp_job_state = False
            elif not task.isp_job_state:
                task.isp_job_state = "scheduled"

    @api.depends("isp_picking_ids")
    def _compute_isp_picking_count(self):
        for task in self:
            task.isp_picking_count = len(task.isp_picking_ids)

    @api.depends("isp_picking_ids.move_ids.value", "isp_picking_ids.state")
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
        return self.isp_picking_ids.move_ids.filtered(
            lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
        )

    # ------------------------------------------------------------------
    # Assignment: the technician is the task's assignee (and so follows it)
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
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
        return result

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
        user = self.env.user
        return (
            not self.env.su
            and user.has_group("isp_inventory.group_isp_technician")
            and not user.has_group("isp_inventory.group_isp_storekeeper")
            and not user.has_group("isp_inventory.group_isp_approver")
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
    # Suggested materials
    # ------------------------------------------------------------------
    @api.onchange("isp_job_type_id")
    def _onchange_isp_job_type_id(self):
        if self.isp_job_type_id and not self.isp_material_ids.filtered("qty_issued"):
            self.isp_material_ids = [Command.clear()] + [
                Command.create({"product_id": product.id, "quantity": quantity})
                for product, quantity in self._isp_suggested_materials().items()
            ]

    def action_isp_suggest_materials(self):
        """(Re)fill the material list from the job type and the usage history."""
        for task in self:
            task._isp_check_can_work()
            task._isp_apply_suggestion()
        return True

    def _isp_apply_suggestion(self):
        """Replace the lines nothing was issued or taken from the van for yet."""
        self.ensure_one()
        committed = self.isp_material_ids.filtered(lambda m: m.qty_issued or m.qty_from_van)
        commands = [Command.unlink(m.id) for m in self.isp_material_ids - committed]
        for product, quantity in self._isp_suggested_materials().items():
            line = committed.filtered(lambda m, p=product: m.product_id == p)[:1]
            if line:
                commands.append(Command.update(line.id, {"quantity": max(quantity, line.quantity)}))
            else:
                commands.append(Command.create({"product_id": product.id, "quantity": quantity}))
        self.isp_material_ids = commands

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
        totals = {}
        for material in history.isp_material_ids:
            totals[material.product_id] = totals.get(material.product_id, 0.0) + material.qty_used
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
        """Set aside what the van already holds for this job and request the rest from
        the home branch in one confirmed transfer linked to the job. Returns the
        transfer's id (False when the van already holds everything)."""
        self.ensure_one()
        return self._isp_issue_materials().id

    def _isp_issue_materials(self):
        self.ensure_one()
        self._isp_check_can_work()
        if not self.isp_material_ids:
            raise UserError(self.env._("Job %(job)s has no materials to issue.", job=self.name))
        to_request = {}
        for material in self.isp_material_ids:
            rounding = material.product_uom_id.rounding
            missing = material.quantity - material._isp_claimed_qty()
            if float_compare(missing, 0, precision_rounding=rounding) <= 0:
                continue
            from_van = min(missing, max(self._isp_van_free_qty(material.product_id), 0.0))
            material.write(
                {
                    "qty_from_van": material.qty_from_van + from_van,
                    "qty_issued": material.qty_issued + missing - from_van,
                }
            )
            if not float_is_zero(missing - from_van, precision_rounding=rounding):
                product = material.product_id
                to_request[product] = to_request.get(product, 0.0) + missing - from_van
        if not to_request:
            return self.env["stock.picking"]
        picking = self.isp_technician_id._isp_create_request(
            list(to_request.items()),
            origin=self.name,
            project_id=self.project_id.id,
            isp_task_id=self.id,
            partner_id=self.partner_id.id,
        )
        return picking

    def _isp_van_free_qty(self, product):
        """What the technician's van holds or has coming of `product` that no open job
        has claimed yet (claims include this job's own lines)."""
        self.ensure_one()
        technician = self.isp_technician_id
        van = technician.vehicle_location_id
        on_hand = self.env["stock.quant"]._get_available_quantity(product, van)
        incoming = self.env["stock.move"].search(
            [
                ("product_id", "=", product.id),
                ("location_dest_id", "=", van.id),
                ("location_id", "!=", van.id),
                ("state", "not in", ("draft", "done", "cancel")),
            ]
        )
        claims = self.env["isp.job.material"].search(
            [
                ("product_id", "=", product.id),
                ("task_id.isp_technician_id", "=", technician.id),
                ("task_id.isp_job_state", "!=", "done"),
            ]
        )
        return on_hand + sum(incoming.mapped("product_qty")) - claims._isp_claimed_qty()

    # ------------------------------------------------------------------
    # Start / complete
    # ------------------------------------------------------------------
    def action_isp_start(self):
        for task in self:
            task._isp_check_can_work()
            task._isp_set_job_state("in_progress")
        return True

    def _isp_set_job_state(self, state):
        """Move the job to `state` (and its stage). Only the start and complete
        operations call this, after `_isp_check_can_work`."""
        stage = self.project_id.type_ids.filtered(lambda s: s.isp_job_state == state)[:1]
        vals = {"isp_job_state": state}
        if stage:
            vals["stage_id"] = stage.id
        if state == "done":
            vals.update(state="1_done", isp_completed_date=fields.Datetime.now())
        # sudo: a technician may not set a job's state or stage by hand (that would
        # complete it without its stock moves); the operations do it here.
        self.sudo().write(vals)

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
          (``lots``: serial ids or names installed; for serial products ``qty_used``
          defaults to their number);
        - ``leftover``: ``"carry"`` (unused materials stay in the van, default) or
          ``"return"`` (a transfer van → home branch, reserved, for the storekeeper to
          receive);
        - ``removed``: list of ``{"lot": id or name, "faulty": bool}``, equipment taken
          back from the customer into the van (or the branch quarantine when faulty);
        - ``latitude``, ``longitude``, ``signature`` (base64 image), ``attachment_ids``
          (photos already uploaded, linked to the job);
        - ``rx_power_dbm`` (ONT receive power, -40..+5 dBm) and ``olt_port`` (e.g.
          ``"OLT-WSTL-01 0/1/3"``), recorded on the serials installed.
        """
        self.ensure_one()
        self._isp_complete(values)
        return True

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
        usage = [self._isp_parse_usage(entry) for entry in values.get("lines") or []]
        removed = [self._isp_parse_removed(entry) for entry in values.get("removed") or []]
        technician = self.isp_technician_id
        picking_vals = {
            "origin": self.name,
            "project_id": self.project_id.id,
            "isp_task_id": self.id,
        }
        consumed = [
            (m.product_id, qty, self.env["stock.lot"]) for m, qty, lots in usage if qty and not lots
        ]
        if consumed:
            self.env["stock.picking"]._isp_create_done(
                technician.warehouse_id.out_type_id,
                technician.vehicle_location_id,
                self.partner_id.property_stock_customer,
                consumed,
                partner_id=self.partner_id.id,
                **picking_vals,
            )
        installed = self.env["stock.lot"].union(*[lots for _m, _q, lots in usage])
        if installed:
            installed._isp_install(
                technician,
                self.partner_id,
                latitude=values.get("latitude"),
                longitude=values.get("longitude"),
                rx_power_dbm=values.get("rx_power_dbm"),
                olt_port=values.get("olt_port"),
                **picking_vals,
            )
            # sudo: the install record is written only by the operations (see
            # isp.server.fields.mixin on stock.lot); the job was checked above.
            installed.sudo().isp_task_id = self
        for faulty in (False, True):
            lots = self.env["stock.lot"].union(*[lot for lot, f in removed if f == faulty])
            if lots:
                lots._isp_take_back(technician, self.partner_id, faulty=faulty, **picking_vals)
        for material, qty, lots in usage:
            material.write(
                {
                    "qty_used": material.qty_used + qty,
                    "lot_ids": [Command.link(lot.id) for lot in lots],
                }
            )
        if leftover == "return":
            self._isp_return_leftovers()
        self._isp_record_completion(values)

    def _isp_parse_usage(self, entry):
        """(material, used quantity, serials) of one completion line, checked."""
        material = self._isp_material_for_entry(entry)
        product = material.product_id
        lots = self._isp_resolve_lots(entry.get("lots") or [], product)
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
        elif lots:
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
        van = self.isp_technician_id.vehicle_location_id
        for lot in lots:
            if lot.isp_state == "installed":
                raise UserError(
                    self.env._(
                        "Serial %(lot)s is already installed at %(customer)s.",
                        lot=lot.name,
                        customer=lot.isp_customer_id.display_name,
                    )
                )
            if not lot.quant_ids.filtered(lambda q: q.location_id == van and q.quantity > 0):
                raise UserError(
                    self.env._(
                        "Serial %(lot)s is not in %(van)s.", lot=lot.name, van=van.display_name
                    )
                )
        if qty and not lots:
            available = self.env["stock.quant"]._get_available_quantity(product, van)
            if float_compare(qty, available, precision_rounding=product.uom_id.rounding) > 0:
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
        return material, qty, lots

    def _isp_material_for_entry(self, entry):
        if entry.get("material_id"):
            material = self.isp_material_ids.filtered(lambda m: m.id == entry["material_id"])
            if not material:
                raise UserError(
                    self.env._(
                        "Material line %(id)s is not on job %(job)s.",
                        id=entry["material_id"],
                        job=self.name,
                    )
                )
            return material
        product = self.env["product.product"].browse(entry.get("product_id")).exists()
        if not product:
            raise UserError(self.env._("Each used line needs a material line or a product."))
        material = self.isp_material_ids.filtered(lambda m: m.product_id == product)[:1]
        return material or self.env["isp.job.material"].create(
            {"task_id": self.id, "product_id": product.id, "quantity": 0.0}
        )

    def _isp_resolve_lots(self, refs, product):
        """Serials given by id or name, each of `product`."""
        Lot = self.env["stock.lot"]
        lots = Lot
        for ref in refs:
            if isinstance(ref, int):
                lot = Lot.browse(ref).exists()
            else:
                lot = Lot.search([("name", "=", ref), ("product_id", "=", product.id)], limit=1)
            if not lot:
                raise UserError(
                    self.env._(
                        "Serial %(lot)s of %(product)s does not exist.",
                        lot=ref,
                        product=product.display_name,
                    )
                )
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

    def _isp_return_leftovers(self):
        """Send what was set aside or issued for the job but not used back to the branch:
        a reserved transfer van → home branch stock, for the storekeeper to receive."""
        technician = self.isp_technician_id
        van = technician.vehicle_location_id
        lines = []
        for material in self.isp_material_ids:
            product = material.product_id
            leftover = material._isp_claimed_qty() - material.qty_used - material.qty_returned
            available = self.env["stock.quant"]._get_available_quantity(product, van)
            qty = min(leftover, available)
            if float_compare(qty, 0, precision_rounding=product.uom_id.rounding) > 0:
                lines.append((material, qty))
        if not lines:
            return self.env["stock.picking"]
        destination = technician.warehouse_id.lot_stock_id
        # sudo: technicians hold no Inventory rights; the leftovers of their own job go
        # from their own van to their home branch (checked by _isp_check_can_work).
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": technician.warehouse_id.int_type_id.id,
                    "location_id": van.id,
                    "location_dest_id": destination.id,
                    "origin": self.name,
                    "project_id": self.project_id.id,
                    "isp_task_id": self.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": material.product_id.id,
                                "product_uom_qty": qty,
                                "product_uom": material.product_id.uom_id.id,
                                "location_id": van.id,
                                "location_dest_id": destination.id,
                            }
                        )
                        for material, qty in lines
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        for material, qty in lines:
            material.qty_returned += qty
        return picking.sudo(False)

    def _isp_record_completion(self, values):
        vals = {}
        for key in ("latitude", "longitude"):
            if values.get(key):
                vals[f"isp_{key}"] = values[key]
        if values.get("signature"):
            vals["isp_signature"] = values["signature"]
        if vals:
            self.write(vals)
        attachments = self.env["ir.attachment"].browse(values.get("attachment_ids") or []).exists()
        if attachments:
            attachments.write({"res_model": self._name, "res_id": self.id})
        self._isp_set_job_state("done")

    def action_isp_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("isp_task_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
