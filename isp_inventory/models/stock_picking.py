from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

from .product_category import CONTROLLED_ITEM_CLASSES


class StockPicking(models.Model):
    """Controlled issuances (network/CPE or above the company's approval threshold, from
    a store into a technician's van or kit) wait for an approver: the approval engine
    (`isp.approval.mixin`) with what was approved recorded per product."""

    _name = "stock.picking"
    _inherit = [
        "stock.picking",
        "isp.approval.mixin",
        "isp.server.fields.mixin",
        "isp.lock.mixin",
    ]
    _isp_server_fields = ("isp_requested_by_id",)

    isp_requested_by_id = fields.Many2one(
        "res.users",
        string="Requested By",
        index="btree_not_null",
        copy=False,
        readonly=True,
        tracking=True,
        help="Who asked for this stock: set by the ISP operations (the technician, or the "
        "storekeeper on their behalf), never changed afterwards. Technicians see the "
        "transfers they requested.",
    )
    isp_warehouse_id = fields.Many2one(
        related="picking_type_id.warehouse_id", store=True, string="Branch", index=True
    )
    isp_region_id = fields.Many2one(
        related="isp_warehouse_id.isp_region_id", store=True, string="Region", index=True
    )
    isp_approved_quantities = fields.Json(
        string="Approved Quantities",
        copy=False,
        readonly=True,
        help="What the approver approved: per product id, the quantity in the product's "
        "unit. Issuing another product or more than this needs a new approval.",
    )
    # The desk screens (approver's list, storekeeper's queue, the technician's request
    # card): who receives the stock, what and how much it is worth.
    isp_technician_id = fields.Many2one(
        related="location_dest_id.isp_technician_id", string="Technician"
    )
    isp_items = fields.Char(
        compute="_compute_isp_items",
        string="Items",
        help="The products of the transfer and their quantities.",
    )
    isp_value = fields.Monetary(
        compute="_compute_isp_items",
        string="Value",
        currency_field="isp_currency_id",
        help="What the transfer's products are worth at their cost.",
    )
    isp_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")

    @api.depends(
        "move_ids.product_id", "move_ids.product_uom_qty", "move_ids.product_uom", "move_ids.state"
    )
    def _compute_isp_items(self):
        for picking in self:
            moves = picking.move_ids.filtered(lambda m: m.state != "cancel")
            picking.isp_items = ", ".join(
                f"{move.product_id.display_name} × {move.product_uom_qty:g} {move.product_uom.name}"
                for move in moves
            )
            picking.isp_value = sum(
                move.product_id.standard_price * move.product_qty for move in moves
            )

    @api.model_create_multi
    def create(self, vals_list):
        """Users may name only themselves as requester; the ISP operations (in sudo)
        name the technician a request is for."""
        if not self.env.su:
            for vals in vals_list:
                if vals.get("isp_requested_by_id") not in (None, False, self.env.uid):
                    raise AccessError(
                        self.env._("A transfer can be requested only in your own name.")
                    )
        return super().create(vals_list)

    @api.model
    def _isp_create_done(self, picking_type, source, destination, lines, **picking_vals):
        """Create and validate at once a transfer of `lines` from `source` to `destination`.

        The one way the ISP flows (install, take back, job consumption) move stock
        immediately. `lines` is a list of ``(product, quantity, lot_or_empty)``. The
        transfer either moves everything asked or raises: it never leaves a partial
        transfer or creates negative stock in an internal location.
        """
        return self._isp_create_ready(
            picking_type, source, destination, lines, **picking_vals
        )._isp_validate_now()

    @api.model
    def _isp_create_ready(self, picking_type, source, destination, lines, **picking_vals):
        """Create the transfer of `_isp_create_done` with every quantity (and serial)
        reserved and picked, without validating it. The transfer is recorded as requested
        by the user performing it (so a technician's record rules cover, e.g., a faulty
        unit they bring into the branch quarantine)."""
        picking = self._isp_build(picking_type, source, destination, lines, **picking_vals)
        picking.sudo().move_ids.picked = True
        return picking

    @api.model
    def _isp_build(self, picking_type, source, destination, lines, reserve=True, **picking_vals):
        """The one ISP transfer builder: a confirmed transfer of `lines` (``(product,
        quantity, lot_or_empty)``) from `source` to `destination`, reserved (all of it
        or an error) unless `reserve` is false (a request the store prepares).

        Requests, kit issues, installs, take-backs, RMA, job operations and leftovers
        all go through it; `_isp_prepare_picking_values` and `_isp_prepare_move_values`
        are the hooks to extend what it writes."""
        if not lines:
            raise UserError(self.env._("Nothing to transfer."))
        by_product = self._isp_group_lines(lines)
        # sudo: the ISP operations are the only way technicians move stock (they hold no
        # Inventory rights); each public operation calling this builder has checked who
        # acts and on what (own van, customer job, storekeeper) before. uid stays the
        # actor, so the transfer's creator, requester and preparer remain that user.
        picking = self.sudo().create(
            self._isp_prepare_picking_values(picking_type, source, destination, picking_vals)
        )
        for product, entries in by_product.items():
            picking._isp_add_move(product, entries, source, destination, reserve=reserve)
        return picking.sudo(False)

    @api.model
    def _isp_prepare_picking_values(self, picking_type, source, destination, picking_vals):
        """Hook: the values of a transfer the builder creates."""
        return dict(
            picking_vals,
            picking_type_id=picking_type.id,
            location_id=source.id,
            location_dest_id=destination.id,
            isp_requested_by_id=picking_vals.get("isp_requested_by_id") or self.env.uid,
        )

    def _isp_prepare_move_values(self, product, entries, source, destination):
        """Hook: the values of the move of `product` the builder adds to this transfer;
        `entries` are its ``(quantity, lot_or_empty)``. The serials' move lines are
        created with the move: they reserve exactly those serials, and confirming does
        not reserve (then drop) arbitrary others."""
        self.ensure_one()
        return {
            "picking_id": self.id,
            "product_id": product.id,
            "product_uom_qty": sum(qty for qty, _lot in entries),
            "product_uom": product.uom_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "move_line_ids": [
                Command.create(
                    {
                        "picking_id": self.id,
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "quantity": qty,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
                for qty, lot in entries
                if lot
            ],
        }

    @api.model
    def _isp_group_lines(self, lines):
        """``{product: [(quantity, lot), ...]}`` of `lines`, checked: positive quantities
        and no serial listed twice. One move per product keeps Odoo from merging moves
        (and dropping the serials of all but one)."""
        by_product, seen_lots = {}, self.env["stock.lot"]
        for product, quantity, lot in lines:
            if quantity <= 0:
                raise UserError(
                    self.env._(
                        "The quantity of %(product)s must be positive.",
                        product=product.display_name,
                    )
                )
            if lot and lot in seen_lots:
                raise UserError(
                    self.env._("Serial %(lot)s is listed more than once.", lot=lot.name)
                )
            seen_lots |= lot or seen_lots.browse()
            by_product.setdefault(product, []).append((quantity, lot))
        return by_product

    def _isp_add_move(self, product, entries, source, destination, reserve=True):
        """Add one confirmed move of `product`, its quantity reserved when `reserve`:
        the given serials, or what is available in `source` (all of it, or an error)."""
        self.ensure_one()
        quantity = sum(qty for qty, _lot in entries)
        lots = [lot for _qty, lot in entries if lot]
        for lot in lots:
            self._isp_check_lot_in_source(lot, source)
        move = self.env["stock.move"].create(
            self._isp_prepare_move_values(product, entries, source, destination)
        )
        move._action_confirm()
        if lots or not reserve:
            return move
        move._action_assign()
        if source.usage == "internal" and move.quantity < quantity:
            raise UserError(
                self.env._(
                    "%(location)s has only %(available)s %(uom)s of %(product)s "
                    "available, %(wanted)s needed.",
                    location=source.display_name,
                    available=move.quantity,
                    uom=move.product_uom.name,
                    product=product.display_name,
                    wanted=quantity,
                )
            )
        return move

    def _isp_validate_now(self, allow_short=False):
        """Validate a transfer prepared by `_isp_create_ready`, entirely or not at all
        (a move prepared short is refused rather than left with a backorder; with
        `allow_short`, e.g. a job that used less than planned, what is not prepared is
        cancelled, never left open)."""
        picking = self
        short = picking.move_ids.filtered(
            lambda m: m.state != "cancel"
            and m.product_uom.compare(m.quantity, m.product_uom_qty) < 0
        )
        if short and not allow_short:
            raise UserError(
                self.env._(
                    "Transfer %(name)s is not fully prepared: %(products)s.",
                    name=picking.name,
                    products=", ".join(short.product_id.mapped("display_name")),
                )
            )
        # skip_sms: stock_sms would stop the validation of a delivery to a customer with
        # a phone number with its "send an SMS?" wizard; these transfers are immediate.
        # sudo: see _isp_create_ready (the operation calling this checked the actor; a
        # technician holds no right to validate transfers himself).
        picking.sudo().with_context(
            skip_backorder=True, picking_ids_not_to_backorder=picking.ids, skip_sms=True
        ).button_validate()
        if picking.state != "done":
            raise UserError(
                self.env._("Transfer %(name)s could not be completed.", name=picking.name)
            )
        return picking

    def _isp_check_lot_in_source(self, lot, source):
        if source.usage != "internal":
            return
        if lot.quant_ids.filtered(lambda q: q.location_id == source and q.quantity > 0):
            return
        raise UserError(
            self.env._(
                "Serial %(lot)s is not in %(location)s.",
                lot=lot.name,
                location=source.display_name,
            )
        )

    # ------------------------------------------------------------------
    # Approval of controlled issuances
    # ------------------------------------------------------------------
    def _isp_is_controlled(self):
        """A transfer from a store into a technician location that carries network
        equipment/CPE or is worth more than the company's approval threshold."""
        self.ensure_one()
        source = self.location_id
        if source.usage != "internal" or source.isp_technician_id:
            return False
        moves = self.move_ids.filtered(lambda m: m.state != "cancel")
        if not (
            self.location_dest_id.isp_technician_id or moves.location_dest_id.isp_technician_id
        ):
            return False
        if any(moves.product_id.mapped(lambda p: p.isp_item_class in CONTROLLED_ITEM_CLASSES)):
            return True
        threshold = self.company_id.isp_approval_threshold
        value = sum(move.product_id.standard_price * move.product_qty for move in moves)
        return bool(threshold) and self.company_id.currency_id.compare_amounts(value, threshold) > 0

    def _isp_approval_needed(self):
        self.ensure_one()
        return (
            self.isp_approval_state == "none"
            and self.state not in ("done", "cancel")
            and self._isp_is_controlled()
        )

    def _isp_approval_reason(self):
        return self.env._(
            "This transfer to a technician contains controlled items or exceeds the "
            "approval threshold."
        )

    def _isp_approval_excluded_users(self):
        """Who asked for or prepared the transfer, and the technician receiving it."""
        receivers = (self.location_dest_id | self.move_ids.location_dest_id).isp_technician_id
        return (
            super()._isp_approval_excluded_users()
            | self.isp_requested_by_id
            | self.create_uid
            | self.move_line_ids.create_uid
            | receivers.user_id
        )

    def _isp_approval_branches(self):
        """The branch of the transfer's operation type."""
        self.ensure_one()
        return self.picking_type_id.warehouse_id

    def _isp_approval_protected_fields(self):
        return super()._isp_approval_protected_fields() | {"isp_approved_quantities"}

    def _isp_approval_values(self, step):
        """What the approver approved is recorded with the approval."""
        values = super()._isp_approval_values(step)
        values["isp_approved_quantities"] = self._isp_quantities() if step == "approved" else False
        return values

    def _isp_approval_reopenable(self):
        return self.state not in ("done", "cancel")

    def action_isp_approve(self):
        """Approve controlled transfers so they can be validated (the engine's
        `action_approve`, under its documented name)."""
        return self.action_approve()

    def action_isp_reject(self, reason):
        """Reject controlled transfers; they stay open but can no longer be validated."""
        return self.action_reject(reason)

    def _isp_quantities(self):
        """``{product id (str): quantity}`` the transfer issues, in each product's unit:
        per move, the larger of the demand and the quantity prepared."""
        self.ensure_one()
        quantities = {}
        for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
            prepared = move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id)
            key = str(move.product_id.id)
            quantities[key] = quantities.get(key, 0.0) + max(move.product_qty, prepared)
        return quantities

    def _isp_exceeds_approval(self):
        """Whether an approved transfer now issues another product or more of one."""
        self.ensure_one()
        approved = self.isp_approved_quantities or {}
        Product = self.env["product.product"]
        return any(
            Product.browse(int(key)).uom_id.compare(quantity, approved.get(key, 0.0)) > 0
            for key, quantity in self._isp_quantities().items()
        )

    def _isp_approval_on_rejected(self):
        """A rejected transfer is cancelled: it would otherwise hold the branch's stock
        reserved and count as coming into the van (the job forecasts read it) while no
        one may validate it."""
        self.action_cancel()
        return self.env._("The transfer is cancelled and what it reserved is released.")

    def _isp_recheck_approval(self):
        """Send approved transfers that were changed to issue more back to approval."""
        changed = self.filtered(
            lambda p: p.isp_approval_state == "approved"
            and p.state not in ("done", "cancel")
            and p._isp_exceeds_approval()
        )
        changed._isp_approval_check_change(
            self.env._("Changed after approval to issue more: it must be approved again.")
        )

    def _isp_check_approved(self):
        """Refuse to validate a controlled transfer that has not been approved, or that
        issues more than was approved."""
        for picking in self:
            if picking.isp_approval_state == "approved" and picking._isp_exceeds_approval():
                raise UserError(
                    self.env._(
                        "Transfer %(name)s now issues more than was approved: ask an Inventory "
                        "Approver to approve it again.",
                        name=picking.name,
                    )
                )
            if picking.isp_approval_state in ("to_approve", "rejected") or (
                picking.isp_approval_state == "none" and picking._isp_is_controlled()
            ):
                raise UserError(
                    self.env._(
                        "Transfer %(name)s issues controlled items to a technician and must be "
                        "approved by an Inventory Approver before it is validated.",
                        name=picking.name,
                    )
                )

    def _isp_custody_transfers(self):
        """The transfers among these into or out of a technician's van or kit, or
        filed through the ISP flows (requests, issuances, installs, returns)."""
        return self.filtered(
            lambda p: p.isp_requested_by_id
            or (p.location_id | p.location_dest_id).isp_technician_id
            or (p.move_ids.location_id | p.move_ids.location_dest_id).isp_technician_id
        )

    def _isp_check_not_done(self):
        done = self.filtered(lambda p: p.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "Transfer %(names)s is already done.", names=", ".join(done.mapped("name"))
                )
            )

    def write(self, vals):
        """The moves of a transfer follow its locations (a recompute, not a write, for
        the destination): a done transfer's locations, partner (and job) are its done
        moves' (`_isp_done_move_fields`)."""
        moved = self._isp_done_move_fields().intersection(vals)
        if moved:
            self.move_ids._isp_check_done_write(moved)
        if vals.get("state") == "done":
            # a transfer is done when its moves are (a computed state)
            self.move_ids._isp_check_done_by_validation()
        return super().write(vals)

    def _isp_done_move_fields(self):
        """The transfer's fields that its done moves keep too: a done transfer's
        locations and partner are its done moves'."""
        return {"location_id", "location_dest_id", "partner_id"}

    def button_validate(self):
        # Refuse users who may not change transfers (technicians) before anything else:
        # their answer is "not allowed", whatever the transfer's approval state.
        self.check_access("write")
        self._isp_custody_transfers()._isp_lock()._isp_check_not_done()
        self.filtered(lambda p: p.state != "done")._isp_check_approved()
        return super().button_validate()
