from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


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
        string="User",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
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
        quants = self.env["stock.quant"].search(
            [("location_id", "in", self._isp_locations().ids), ("quantity", "!=", 0)]
        )
        for technician in self:
            mine = quants.filtered(lambda q, t=technician: q.location_id in t._isp_locations())
            technician.quant_ids = mine
            technician.stock_value = sum(mine.mapped("value"))

    def _isp_locations(self):
        """The stock locations in the custody of these technicians (vans and kits)."""
        return self.vehicle_location_id | self.kit_location_id

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
            dict(common, name=self.env._("Vehicle"), isp_role="vehicle")
        )
        self.kit_location_id = Location.create(dict(common, name=self.env._("Kit"), isp_role="kit"))

    def write(self, vals):
        if vals.get("active") is False:
            self.filtered("active")._isp_check_nothing_held()
        if "warehouse_id" in vals:
            self._isp_check_can_move_branch(vals["warehouse_id"])
        return super().write(vals)

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

    def _isp_check_can_move_branch(self, warehouse_id):
        """Changing the home branch is allowed only with an empty van and kit; the
        locations then move under the new branch."""
        for technician in self.filtered(lambda t: t.warehouse_id.id != warehouse_id):
            technician._isp_check_nothing_held()
            new_parent = self.env["stock.warehouse"].browse(warehouse_id)
            technician.vehicle_location_id.location_id.location_id = (
                new_parent._isp_get_technicians_location()
            )

    def _isp_create_request(self, lines, destination=None, origin=None, **picking_vals):
        """Create a draft transfer from the home branch's stock to the technician.

        The one way stock is asked for a technician (their own request from the phone,
        kit top-up, job materials). `lines` is a list of ``(product, quantity)``;
        `destination` defaults to the vehicle (tools go to the kit). The caller confirms
        it when it should be reserved; approval rules apply when it is validated.
        """
        self.ensure_one()
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
        source = self.warehouse_id.lot_stock_id
        return self.env["stock.picking"].create(
            dict(
                picking_vals,
                picking_type_id=self.warehouse_id.int_type_id.id,
                location_id=source.id,
                location_dest_id=destination.id,
                origin=origin or self.env._("Request for %(name)s", name=self.name),
                isp_requested_by_id=picking_vals.get("isp_requested_by_id", self.env.uid),
                move_ids=[
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                    for product, quantity in lines
                ],
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


class IspTechnicianLifecycle(models.Model):
    """Issue 4 (serial/tool lifecycle): loss accountability and tool inspections."""

    _inherit = "isp.technician"

    loss_report_ids = fields.One2many("isp.loss.report", "technician_id", string="Loss Reports")
    loss_count = fields.Integer(string="Losses", compute="_compute_losses")
    loss_value = fields.Monetary(
        string="Loss Value", compute="_compute_losses", currency_field="currency_id"
    )

    tool_inspection_overdue = fields.Boolean(
        string="Tool Inspection Overdue",
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
