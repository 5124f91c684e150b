from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class StockLot(models.Model):
    """Cable spools (issue 12 point 4): a lot of a spool product (`isp_is_spool`, in
    metres) is one spool. Lengths are cut from it: issued to a technician's van (the van
    then holds part of the same lot) and used on jobs (isp_field_service ties each cut to
    its job); a short remainder is scrapped as a loss-free offcut. Through the lot, every
    cut stays traceable to the spool's receipt and purchase order."""

    _inherit = "stock.lot"

    isp_is_spool = fields.Boolean(related="product_id.product_tmpl_id.isp_is_spool")
    isp_spool_quant_ids = fields.Many2many(
        "stock.quant",
        string="Metres Remaining per Location",
        compute="_compute_isp_spool",
        help="Where the spool's remaining metres are: the store and the vans holding part "
        "of it.",
    )
    isp_spool_remaining_qty = fields.Float(
        string="Metres Remaining",
        compute="_compute_isp_spool",
        digits="Product Unit",
        help="Metres of the spool left in stores and vans.",
    )
    isp_cut_line_ids = fields.Many2many(
        "stock.move.line",
        string="Cuts",
        compute="_compute_isp_spool",
        help="The lengths used from the spool: done moves of this lot from a store or van "
        "to a customer (or consumed), oldest first.",
    )
    isp_cut_qty = fields.Float(
        string="Metres Used",
        compute="_compute_isp_spool",
        digits="Product Unit",
    )

    def _compute_isp_spool(self):
        spools = self.filtered("isp_is_spool")
        (self - spools).update(
            {
                "isp_spool_quant_ids": False,
                "isp_spool_remaining_qty": 0.0,
                "isp_cut_line_ids": False,
                "isp_cut_qty": 0.0,
            }
        )
        if not spools:
            return
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", spools.ids),
                ("location_id.usage", "=", "internal"),
                ("quantity", ">", 0),
            ]
        )
        cuts = self.env["stock.move.line"].search(spools._isp_cut_line_domain(), order="date, id")
        quants_by_lot, cuts_by_lot = quants.grouped("lot_id"), cuts.grouped("lot_id")
        for lot in spools:
            lot_quants = quants_by_lot.get(lot, quants.browse())
            lot_cuts = cuts_by_lot.get(lot, cuts.browse())
            lot.isp_spool_quant_ids = lot_quants
            lot.isp_spool_remaining_qty = sum(lot_quants.mapped("quantity"))
            lot.isp_cut_line_ids = lot_cuts
            lot.isp_cut_qty = sum(lot_cuts.mapped("quantity"))

    def _isp_cut_line_domain(self):
        """Hook: the done move lines that are cuts used from these spools."""
        return [
            ("lot_id", "in", self.ids),
            ("state", "=", "done"),
            ("location_id.usage", "=", "internal"),
            ("location_dest_id.usage", "in", ("customer", "production")),
        ]

    @api.depends("quant_ids.quantity", "quant_ids.location_id", "isp_repair_ids.state")
    def _compute_isp_state(self):
        """A spool is in several places at once (the store, vans, customers): it is in
        stock while a store holds part of it, with a technician while only vans do, and
        disposed once nothing is left."""
        result = super()._compute_isp_state()
        spools = self.filtered(lambda lot: lot.product_id.product_tmpl_id.isp_is_spool)
        for lot in spools:
            held = lot.quant_ids.filtered(
                lambda quant: quant.location_id.usage == "internal"
                and quant.product_uom_id.compare(quant.quantity, 0) > 0
            ).location_id
            if held.filtered(lambda loc: not loc.isp_technician_id):
                lot.isp_state = "in_stock"
            elif held:
                lot.isp_state = "with_technician"
            else:
                lot.isp_state = "disposed"
        return result

    # ------------------------------------------------------------------
    # Services (RPC): cut a length into a van, scrap an offcut, view the cuts
    # ------------------------------------------------------------------
    def action_isp_issue_spool(self, technician_id, metres):
        """Cut `metres` from this spool into the technician's van: a transfer from the
        home branch store holding the spool to the van, of this lot (the van then holds
        part of the spool). Validated at once, unless it needs an approver (above the
        company's approval threshold): then it waits, reserved. Storekeepers only.
        Returns the id of the transfer. Refused, nothing changed, for a lot that is not
        a spool, zero or negative metres, or more than the branch store holds."""
        self.ensure_one()
        technician = self.env["isp.technician"].browse(technician_id).exists()
        return self._isp_issue_spool(technician, metres).id

    def _isp_issue_spool(self, technician, metres):
        self.ensure_one()
        if not self.env.user.has_group("isp_inventory.group_isp_storekeeper"):
            raise AccessError(self.env._("Only a storekeeper cuts lengths from a spool."))
        self._isp_check_spool()
        if not technician:
            raise UserError(self.env._("Choose the technician."))
        metres = self._isp_check_metres(metres)
        self._isp_lock()
        source = self._isp_spool_location(technician.warehouse_id.lot_stock_id, metres)
        picking = self.env["stock.picking"]._isp_create_ready(
            technician.warehouse_id.int_type_id,
            source,
            technician.vehicle_location_id,
            [(self.product_id, metres, self)],
            origin=self.env._("Spool %(lot)s", lot=self.name),
        )
        if picking.isp_approval_state == "to_approve":
            return picking
        return picking._isp_validate_now()

    def action_isp_scrap_offcut(self, location_id=None):
        """Scrap the remainder of this spool in `location_id` (default: the one internal
        location holding it) as an offcut: a stock.scrap into the branch Losses location
        with the loss-free "Offcut" reason, so the loss and variance report leaves it out.
        Storekeepers only. Returns the id of the scrap. Refused, nothing changed, when
        the remainder is not shorter than the company's offcut length."""
        self.ensure_one()
        location = self.env["stock.location"].browse(location_id).exists() if location_id else None
        return self._isp_scrap_offcut(location).id

    def _isp_scrap_offcut(self, location=None):
        self.ensure_one()
        if not self.env.user.has_group("isp_inventory.group_isp_storekeeper"):
            raise AccessError(self.env._("Only a storekeeper scraps spool offcuts."))
        self._isp_check_spool()
        self._isp_lock()
        quants = self.quant_ids.filtered(
            lambda quant: quant.location_id.usage == "internal"
            and quant.product_uom_id.compare(quant.quantity, 0) > 0
            and (location is None or quant.location_id == location)
        )
        if not quants:
            raise UserError(
                self.env._(
                    "Spool %(lot)s has nothing left in %(location)s.",
                    lot=self.name,
                    location=location.display_name if location else self.env._("stock"),
                )
            )
        if len(quants.location_id) > 1:
            raise UserError(
                self.env._(
                    "Spool %(lot)s is in several places (%(locations)s): say which offcut "
                    "to scrap.",
                    lot=self.name,
                    locations=", ".join(quants.location_id.mapped("display_name")),
                )
            )
        location = quants.location_id
        remaining = sum(quants.mapped("quantity"))
        limit = self.company_id.isp_spool_offcut_length or self.env.company.isp_spool_offcut_length
        if self.product_id.uom_id.compare(remaining, limit) >= 0:
            raise UserError(
                self.env._(
                    "%(remaining)s m of spool %(lot)s are left in %(location)s: only a "
                    "remainder shorter than %(limit)s m is an offcut.",
                    remaining=remaining,
                    lot=self.name,
                    location=location.display_name,
                    limit=limit,
                )
            )
        warehouse = location.warehouse_id or location.isp_technician_id.warehouse_id
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product_id.id,
                "product_uom_id": self.product_id.uom_id.id,
                "lot_id": self.id,
                "scrap_qty": remaining,
                "location_id": location.id,
                "scrap_location_id": warehouse._isp_get_loss_location().id,
                "scrap_reason_tag_ids": [(6, 0, self._isp_offcut_tag().ids)],
                "origin": self.name,
                "company_id": location.company_id.id or self.env.company.id,
            }
        )
        with self.env["stock.move.line"]._isp_releasing_custody():
            scrap.do_scrap()
        self.message_post(
            body=self.env._(
                "Offcut of %(qty)s m scrapped from %(location)s.",
                qty=remaining,
                location=location.display_name,
            )
        )
        return scrap

    def action_isp_view_cuts(self):
        """The spool's cuts (date, metres, where they went; with Field Service, the job)
        and the metres remaining per location, in a dialog."""
        self.ensure_one()
        self._isp_check_spool()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cuts of %(lot)s", lot=self.name),
            "res_model": "stock.lot",
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("isp_inventory.stock_lot_view_form_isp_spool_cuts").id, "form")
            ],
            "target": "new",
        }

    def _isp_check_spool(self):
        not_spools = self.filtered(lambda lot: not lot.product_id.product_tmpl_id.isp_is_spool)
        if not_spools:
            raise UserError(
                self.env._(
                    "%(lots)s is not a cable spool: only lots of a spool product are cut "
                    "into lengths.",
                    lots=", ".join(not_spools.mapped("name")),
                )
            )

    def _isp_check_metres(self, metres):
        try:
            metres = float(metres or 0.0)
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("%(value)s is not a length in metres.", value=metres)
            ) from error
        if self.product_id.uom_id.compare(metres, 0) <= 0:
            raise UserError(
                self.env._(
                    "The length cut from spool %(lot)s must be more than 0 m.", lot=self.name
                )
            )
        return metres

    def _isp_spool_location(self, store, metres):
        """The location under `store` holding the most of this spool; refused when it
        holds less than `metres` (a spool is never cut below nothing)."""
        self.ensure_one()
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "=", self.id),
                ("location_id", "child_of", store.id),
                ("quantity", ">", 0),
            ]
        )
        best = quants.sorted("quantity", reverse=True)[:1]
        available = best.quantity
        if self.product_id.uom_id.compare(available, metres) < 0:
            raise UserError(
                self.env._(
                    "Spool %(lot)s has only %(available)s m in %(store)s, not %(metres)s m.",
                    lot=self.name,
                    available=available,
                    store=store.display_name,
                    metres=metres,
                )
            )
        return best.location_id

    @api.model
    def _isp_offcut_tag(self):
        """The loss-free "Offcut" scrap reason (data), recreated if it was deleted."""
        tag = self.env.ref("isp_inventory.scrap_reason_offcut", raise_if_not_found=False)
        if tag:
            return tag
        Tag = self.env["stock.scrap.reason.tag"]
        # sudo: scrap reasons are configuration; the offcut reason is the system's own.
        return Tag.search([("isp_loss_free", "=", True)], limit=1) or Tag.sudo().create(
            {"name": self.env._("Offcut"), "isp_loss_free": True}
        )
