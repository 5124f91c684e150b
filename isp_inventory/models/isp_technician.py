from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class IspTechnician(models.Model):
    """A field technician: the user on the phone, a home branch, a van and a personal kit.

    The van and kit are stock locations created under the branch's 'Technicians' view
    location; whatever sits in them is in the technician's custody.
    """

    _name = "isp.technician"
    _description = "ISP Technician"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(related="user_id.name", store=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="The person who signs in on the phone and holds the stock.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Home Branch",
        required=True,
        check_company=True,
        tracking=True,
        help="The branch store that supplies this technician.",
    )
    region_id = fields.Many2one(
        related="warehouse_id.isp_region_id", store=True, string="Region", index=True
    )
    vehicle_location_id = fields.Many2one(
        "stock.location", string="Vehicle", readonly=True, copy=False, check_company=True
    )
    kit_location_id = fields.Many2one(
        "stock.location", string="Personal Kit", readonly=True, copy=False, check_company=True
    )
    quant_ids = fields.One2many(
        "stock.quant",
        compute="_compute_holdings",
        string="Stock Held",
        help="Everything in the technician's van and kit.",
    )
    stock_value = fields.Monetary(
        compute="_compute_holdings", string="Value Held", currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True, tracking=True)

    _user_company_uniq = models.Constraint(
        "UNIQUE(user_id, company_id)", "This user is already a technician in this company."
    )

    @api.depends("vehicle_location_id", "kit_location_id")
    def _compute_holdings(self):
        Quant = self.env["stock.quant"]
        quants = Quant.search(
            [("location_id", "in", self._isp_locations().ids), ("quantity", "!=", 0)]
        )
        # one pass over the quants, not one per technician
        by_location = quants.grouped("location_id")
        # At the product's cost, as the ISP reports value stock. Odoo's quant `value`
        # recomputes each product's whole valuation (its quantity in every location):
        # 10 s for a page of 40 technicians at 200k serials.
        value = {}
        for company, company_quants in quants.grouped("company_id").items():
            for quant in company_quants.with_company(company):
                value[quant.id] = quant.quantity * quant.product_id.standard_price
        for technician in self:
            mine = Quant.union(
                *[by_location.get(location, Quant) for location in technician._isp_locations()]
            )
            technician.quant_ids = mine
            technician.stock_value = sum(value[quant.id] for quant in mine)

    def _isp_locations(self):
        """The stock locations in the custody of these technicians (vans and kits)."""
        return self.vehicle_location_id | self.kit_location_id

    @api.model
    def _isp_of_current_user(self):
        """The signed-in user's technician in the current company (empty if none):
        the default technician of the phone screens and wizards."""
        return self.search(
            [("user_id", "=", self.env.uid), ("company_id", "=", self.env.company.id)], limit=1
        )

    @api.model_create_multi
    def create(self, vals_list):
        technicians = super().create(vals_list)
        for technician in technicians:
            technician._isp_create_locations()
        return technicians

    def _isp_create_locations(self):
        """Create 'WH/Technicians/<name>/Vehicle' and '.../Kit' for this technician."""
        self.ensure_one()
        Location = self.env["stock.location"]
        parent = Location.create(
            {
                "name": self.name,
                "usage": "view",
                "location_id": self.warehouse_id._isp_get_technicians_location().id,
                "company_id": self.company_id.id,
                "isp_technician_id": self.id,
            }
        )
        common = {
            "usage": "internal",
            "location_id": parent.id,
            "company_id": self.company_id.id,
            "isp_technician_id": self.id,
        }
        self.vehicle_location_id = Location.create(
            dict(
                common,
                name=self.env._("Vehicle"),
                isp_role="vehicle",
                barcode=self._isp_location_barcode("VAN"),
            )
        )
        self.kit_location_id = Location.create(
            dict(
                common,
                name=self.env._("Kit"),
                isp_role="kit",
                barcode=self._isp_location_barcode("KIT"),
            )
        )
        self._isp_create_van_rule()

    def write(self, vals):
        if vals.get("active") is False:
            self.filtered("active")._isp_check_nothing_held()
        moving = self.browse()
        if "warehouse_id" in vals:
            moving = self.filtered(lambda t: t.warehouse_id.id != vals["warehouse_id"])
            moving._isp_check_nothing_held()
        result = super().write(vals)
        moving._isp_move_to_home_branch()
        return result

    def _isp_check_nothing_held(self):
        """Refuse to let a technician go while they still hold stock."""
        held = self.env["stock.quant"].search(
            [("location_id", "in", self._isp_locations().ids), ("quantity", ">", 0)]
        )
        if not held:
            return
        lines = [
            f"- {quant.location_id.isp_technician_id.name}: {quant.quantity} "
            f"{quant.product_uom_id.name} {quant.product_id.display_name} "
            f"({quant.lot_id.name or quant.location_id.name})"
            for quant in held
        ]
        raise UserError(
            self.env._(
                "These technicians still hold stock; return or transfer it before archiving:"
                "\n%(lines)s",
                lines="\n".join(lines),
            )
        )

    def _isp_move_to_home_branch(self):
        """After a change of home branch (van and kit empty): the van and kit move under
        the new branch, the van is replenished from it (the old branch's rule is
        archived) and the van's min/max rules follow."""
        for technician in self:
            branch = technician.warehouse_id
            van = technician.vehicle_location_id
            van.location_id.location_id = branch._isp_get_technicians_location()
            # Odoo recomputes a location's branch when its own parent changes, not when
            # an ancestor moves: recompute the van's and kit's.
            Location = self.env["stock.location"]
            self.env.add_to_compute(
                Location._fields["warehouse_id"],
                Location.search([("id", "child_of", van.location_id.id)]),
            )
            self.env["stock.rule"].search(
                [("location_dest_id", "=", van.id), ("route_id.isp_van_warehouse_id", "!=", False)]
            ).active = False
            technician._isp_create_van_rule()
            # location_id again: Odoo resets it to the branch stock when the branch changes
            self.env["stock.warehouse.orderpoint"].search([("location_id", "=", van.id)]).write(
                {
                    "warehouse_id": branch.id,
                    "location_id": van.id,
                    "route_id": branch._isp_get_van_route().id,
                }
            )

    def _isp_create_request(self, lines, destination=None, origin=None, **picking_vals):
        """Create and confirm a transfer from the home branch's stock to the technician.

        The one way stock is asked for a technician (their own request from the phone,
        kit top-up, job materials). `lines` is a list of ``(product, quantity)``;
        `destination` defaults to the vehicle (tools go to the kit). Confirmed at once:
        a controlled request goes straight to the approvers, the others to the store
        to prepare. The request is in the name of the user asking (or of
        `isp_requested_by_id` in `picking_vals`, for the ISP operations).
        """
        self.ensure_one()
        self._isp_check_acting_for()
        if not lines:
            raise UserError(self.env._("Add at least one product to the request."))
        for product, quantity in lines:
            if quantity <= 0:
                raise UserError(
                    self.env._(
                        "The quantity of %(product)s must be positive.",
                        product=product.display_name,
                    )
                )
        destination = destination or self.vehicle_location_id
        if destination not in self._isp_locations():
            raise UserError(
                self.env._("Stock is requested into %(name)s's van or kit only.", name=self.name)
            )
        # The builder works as the system (technicians hold no Inventory rights):
        # asking stock into their own van or kit is their one way to create a transfer,
        # checked above; it goes only from the home branch to this technician.
        return self.env["stock.picking"]._isp_build(
            self.warehouse_id.int_type_id,
            self.warehouse_id.lot_stock_id,
            destination,
            [(product, quantity, False) for product, quantity in lines],
            reserve=False,
            origin=origin or self.env._("Request for %(name)s", name=self.name),
            **picking_vals,
        )

    def action_isp_request(self, lines):
        """Ask the home branch for stock into this technician's van (RPC and phone).

        `lines`: ``[{"product_id": id, "quantity": qty}, ...]``. The request is sent at
        once (confirmed): controlled items wait for an approver, the rest for the store
        to prepare. Only the technician himself or a storekeeper may ask. Returns the id
        of the transfer."""
        self.ensure_one()
        Product = self.env["product.product"]
        parsed = []
        for line in lines or []:
            product = Product.browse(line.get("product_id")).exists()
            if not product or not product.is_storable:
                raise UserError(self.env._("Choose a stocked product for each line."))
            parsed.append((product, line.get("quantity") or 0.0))
        return self._isp_create_request(parsed).id

    def _isp_check_acting_for(self):
        """Only the technician himself, a storekeeper or the system act for a technician
        (request stock, install, take back). Compared by user: a technician may not read
        a colleague's record."""
        if self.env.su or self.env.user.has_group("isp_inventory.group_isp_storekeeper"):
            return
        others = self.filtered(lambda technician: technician.sudo().user_id != self.env.user)
        if others:
            raise AccessError(
                self.env._(
                    "Only %(name)s or a storekeeper can do this.",
                    name=", ".join(others.sudo().mapped("name")),
                )
            )

    def action_view_stock(self):
        """Open the quants held by the technician."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Stock held by %(name)s", name=self.name),
            "res_model": "stock.quant",
            "view_mode": "list",
            "domain": [("location_id", "in", self._isp_locations().ids)],
        }

    # ------------------------------------------------------------------
    # Kit template, kit issuance, monthly consumable allowance, open requests
    # (stock structure, issue 3)
    # ------------------------------------------------------------------
    kit_template_id = fields.Many2one(
        "isp.kit.template",
        check_company=True,
        tracking=True,
        help="What this technician should carry; 'Issue Kit' tops them up to it.",
    )
    consumption_summary = fields.Text(
        compute="_compute_consumption",
        string="Consumption This Month",
        help="Consumables used this month (moved from the van or kit to customers or "
        "consumption) against the kit template's monthly allowance.",
    )
    over_allowance = fields.Boolean(
        compute="_compute_consumption",
        help="Used more of a consumable this month than the kit template allows.",
    )
    allowance_usage = fields.Json(
        compute="_compute_consumption",
        string="Allowance Used",
        help="Per consumable with a monthly allowance: product, used, allowance, unit, "
        "percent used (the technicians' kanban draws it as progress bars).",
    )
    open_request_count = fields.Integer(compute="_compute_open_request_count")

    def _isp_consumption_this_month(self):
        """{(technician, product): quantity} consumed since the first of the month."""
        first_day = fields.Date.context_today(self).replace(day=1)
        groups = self.env["stock.move"]._read_group(
            [
                ("state", "=", "done"),
                ("location_id", "in", self._isp_locations().ids),
                ("location_dest_id.usage", "in", ("customer", "inventory", "production")),
                ("date", ">=", fields.Datetime.to_datetime(first_day)),
            ],
            ["location_id", "product_id"],
            ["product_qty:sum"],
        )
        consumed = {}
        for location, product, quantity in groups:
            key = (location.isp_technician_id, product)
            consumed[key] = consumed.get(key, 0.0) + quantity
        return consumed

    @api.depends("kit_template_id.line_ids.monthly_allowance")
    def _compute_consumption(self):
        consumed = self._isp_consumption_this_month()
        for technician in self:
            lines, usage, over = [], [], False
            for line in technician.kit_template_id.line_ids.filtered("monthly_allowance"):
                used = consumed.get((technician, line.product_id), 0.0)
                line_over = line.product_id.uom_id.compare(used, line.monthly_allowance) > 0
                over = over or line_over
                lines.append(
                    f"{line.product_id.display_name}: {used:g} / {line.monthly_allowance:g} "
                    f"{line.product_id.uom_id.name}"
                )
                usage.append(
                    {
                        "product": line.product_id.display_name,
                        "used": used,
                        "allowance": line.monthly_allowance,
                        "uom": line.product_id.uom_id.name,
                        "percent": min(100, round(100 * used / line.monthly_allowance)),
                        "over": line_over,
                    }
                )
            technician.consumption_summary = "\n".join(lines)
            technician.allowance_usage = usage
            technician.over_allowance = over

    def _isp_open_request_moves(self):
        """Moves not yet done that bring stock to these technicians from a store."""
        locations = self._isp_locations()
        return self.env["stock.move"].search(
            [
                ("state", "not in", ("done", "cancel")),
                ("location_dest_id", "in", locations.ids),
                ("location_id", "not in", locations.ids),
            ]
        )

    def _compute_open_request_count(self):
        moves = self._isp_open_request_moves()
        for technician in self:
            technician.open_request_count = len(
                moves.filtered(
                    lambda m, t=technician: m.location_dest_id in t._isp_locations()
                ).picking_id
            )

    def action_view_open_requests(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open requests of %(name)s", name=self.name),
            "res_model": "stock.picking",
            "view_mode": "list,form",
            "domain": [("id", "in", self._isp_open_request_moves().picking_id.ids)],
            "context": {"create": False},
        }

    def action_issue_kit(self):
        """Top each technician up to their kit template; returns the transfer ids."""
        return self._isp_issue_kit().ids

    def _isp_issue_kit(self, line_types=None, monthly=False):
        """Create confirmed requests for what is missing against the kit template.

        Tools go to the kit, the rest to the van. Already held stock and open requests
        count as present. `monthly` targets the consumables' monthly allowance instead
        of the template quantity (the monthly top-up).
        """
        pickings = self.env["stock.picking"]
        for technician in self:
            if not technician.kit_template_id:
                raise UserError(self.env._("%(name)s has no kit template.", name=technician.name))
            present = technician._isp_quantities_present()
            by_destination = {}
            for line in technician.kit_template_id.line_ids:
                if line_types and line.line_type not in line_types:
                    continue
                target = line.monthly_allowance if monthly else line.quantity
                missing = target - present.get(line.product_id, 0.0)
                if line.product_id.uom_id.compare(missing, 0.0) <= 0:
                    continue
                destination = (
                    technician.kit_location_id
                    if line.line_type == "tool"
                    else technician.vehicle_location_id
                )
                by_destination.setdefault(destination, []).append((line.product_id, missing))
            for destination, lines in by_destination.items():
                pickings |= technician._isp_create_request(
                    lines,
                    destination=destination,
                    origin=self.env._("Kit top-up for %(name)s", name=technician.name),
                )
        return pickings

    def _isp_quantities_present(self):
        """{product: quantity} in the van and kit plus on its way there."""
        self.ensure_one()
        present = {}
        quants = self.env["stock.quant"].search(
            [("location_id", "in", self._isp_locations().ids), ("quantity", ">", 0)]
        )
        for quant in quants:
            present[quant.product_id] = present.get(quant.product_id, 0.0) + quant.quantity
        for move in self._isp_open_request_moves():
            present[move.product_id] = present.get(move.product_id, 0.0) + move.product_qty
        return present

    @api.model
    def _cron_isp_monthly_consumable_topup(self):
        """Monthly: bring every technician's consumables back to their allowance."""
        technicians = self.search([("kit_template_id", "!=", False)])
        return technicians._isp_issue_kit(line_types=("consumable",), monthly=True)

    def _isp_create_van_rule(self):
        """Pull rule branch stock → this van in the branch's 'Replenish Vans' route, so
        min/max rules on the van create internal transfers from the home branch."""
        self.ensure_one()
        warehouse = self.warehouse_id
        self.env["stock.rule"].create(
            {
                "name": self.env._("%(branch)s → %(van)s", branch=warehouse.name, van=self.name),
                "route_id": warehouse._isp_get_van_route().id,
                "action": "pull",
                "procure_method": "make_to_stock",
                "location_src_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.vehicle_location_id.id,
                "location_dest_from_rule": True,
                "picking_type_id": warehouse.int_type_id.id,
                "warehouse_id": warehouse.id,
                "company_id": self.company_id.id,
            }
        )

    # ------------------------------------------------------------------
    # Loss accountability and tool inspections (serial/tool lifecycle, issue 4)
    # ------------------------------------------------------------------

    loss_report_ids = fields.One2many("isp.loss.report", "technician_id", string="Loss Reports")
    loss_count = fields.Integer(string="Losses", compute="_compute_losses")
    loss_value = fields.Monetary(compute="_compute_losses", currency_field="currency_id")

    charge_ids = fields.One2many("isp.loss.charge", "technician_id", string="Charge-backs")
    charge_total = fields.Monetary(
        string="Charged",
        compute="_compute_charges",
        currency_field="currency_id",
        help="Loss charge-backs to the technician, not reversed.",
    )
    charge_outstanding = fields.Monetary(
        string="Charges Outstanding",
        compute="_compute_charges",
        currency_field="currency_id",
        help="What is still owed on those charge-backs (the receivable's residual when the "
        "account is reconcilable, else the charged amount).",
    )

    tool_inspection_overdue = fields.Boolean(
        compute="_compute_tool_inspection_overdue",
        search="_search_tool_inspection_overdue",
        help="A tool in the technician's custody is past its inspection or calibration.",
    )

    def _compute_tool_inspection_overdue(self):
        overdue = self.search([("id", "in", self.ids), ("tool_inspection_overdue", "=", True)])
        for technician in self:
            technician.tool_inspection_overdue = technician in overdue

    def _search_tool_inspection_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        # sudo: maintenance only shows users the equipment they follow; the flag is
        # about every tool in the technician's custody (only ids are used).
        equipment = (
            self.env["maintenance.equipment"]
            .sudo()
            .search([("isp_inspection_overdue", "=", True), ("isp_lot_id", "!=", False)])
        )
        technicians = equipment.isp_lot_id.location_id.isp_technician_id
        in_or_not = "in" if (operator == "=") == value else "not in"
        return [("id", in_or_not, technicians.ids)]

    @api.depends("charge_ids.state", "charge_ids.amount")
    def _compute_charges(self):
        for technician in self:
            charged = technician.charge_ids.filtered(lambda charge: charge.state == "posted")
            technician.charge_total = sum(charged.mapped("amount"))
            technician.charge_outstanding = sum(charged.mapped("amount_outstanding"))

    def action_isp_view_charges(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Charge-backs"),
            "res_model": "isp.loss.charge",
            "view_mode": "list,form",
            "domain": [("technician_id", "=", self.id)],
        }

    @api.depends("loss_report_ids.state", "loss_report_ids.amount")
    def _compute_losses(self):
        """Approved losses (done reports) the technician is accountable for."""
        for technician in self:
            done = technician.loss_report_ids.filtered(lambda r: r.state == "done")
            technician.loss_count = len(done)
            technician.loss_value = sum(done.mapped("amount"))

    def action_view_loss_reports(self):
        self.ensure_one()
        return {
            **self.env["ir.actions.actions"]._for_xml_id("isp_inventory.isp_loss_report_action"),
            "domain": [("technician_id", "=", self.id)],
            "context": {"default_technician_id": self.id},
        }

    # ------------------------------------------------------------------
    # Labels and scanning (issue 4): every van and kit carries a barcode
    # ------------------------------------------------------------------
    def _isp_location_barcode(self, prefix):
        """A free location barcode '<prefix>-<LOGIN>' (e.g. 'VAN-JOHN'), with '-2', '-3'...
        appended when the company already has it (barcodes are unique per company)."""
        self.ensure_one()
        login = "-".join((self.user_id.login or str(self.id)).upper().split())
        base = f"{prefix}-{login}"
        Location = self.env["stock.location"].with_context(active_test=False)
        # sudo: the barcode must be free among every location of the company, including
        # those the current user cannot read (only the barcodes are compared).
        taken = set(
            Location.sudo()
            .search(
                [
                    ("barcode", "=like", f"{base}%"),
                    ("company_id", "in", [self.company_id.id, False]),
                ]
            )
            .mapped("barcode")
        )
        barcode, suffix = base, 1
        while barcode in taken:
            suffix += 1
            barcode = f"{base}-{suffix}"
        return barcode

    @api.model
    def _isp_set_location_barcodes(self):
        """Give a barcode to every van and kit that has none (technicians created before
        vans and kits got barcodes); called on each module update."""
        technicians = self.with_context(active_test=False).search(
            [
                "|",
                ("vehicle_location_id.barcode", "=", False),
                ("kit_location_id.barcode", "=", False),
            ]
        )
        for technician in technicians:
            for location, prefix in (
                (technician.vehicle_location_id, "VAN"),
                (technician.kit_location_id, "KIT"),
            ):
                if location and not location.barcode:
                    location.barcode = technician._isp_location_barcode(prefix)

    # ------------------------------------------------------------------
    # Stock counts and random audits (issue 4, capability 6)
    # ------------------------------------------------------------------
    stock_count_ids = fields.One2many("isp.stock.count", "technician_id", string="Stock Counts")
    stock_count_count = fields.Integer(string="Counts", compute="_compute_stock_count_count")

    @api.depends("stock_count_ids")
    def _compute_stock_count_count(self):
        for technician in self:
            technician.stock_count_count = len(technician.stock_count_ids)

    def action_view_stock_counts(self):
        self.ensure_one()
        return {
            **self.env["ir.actions.actions"]._for_xml_id("isp_inventory.isp_stock_count_action"),
            "domain": [("technician_id", "=", self.id)],
            "context": {"default_technician_id": self.id},
        }
