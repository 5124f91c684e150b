from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .stock_lot import ISP_INSTALL_RECORD_FIELDS, ISP_INSTALL_VALUES_KEY
from .stock_move import APPROVAL_SENSITIVE_FIELDS

# What a done move line keeps: quantity, lot, locations, product, date, transfer,
# owner, packages.
DONE_MOVE_LINE_LOCKED_FIELDS = {
    "product_id",
    "quantity",
    "product_uom_id",
    "lot_id",
    "lot_name",
    "location_id",
    "location_dest_id",
    "date",
    "picking_id",
    "move_id",
    "owner_id",
    "package_id",
    "result_package_id",
    "quant_id",
}

# Key of a cursor-local counter (``cr.cache``; the block sets it and puts it back): set
# while an ISP document posts what leaves a van or kit for a loss location (see
# `_isp_releasing_custody`). Server state, never the RPC context.
CUSTODY_RELEASE_KEY = "isp_inventory.custody_release"


class StockMoveLine(models.Model):
    _name = "stock.move.line"
    _inherit = ["stock.move.line", "isp.done.lock.mixin"]

    # A serial's history (its moves, where it is, what a customer has got) is read by
    # lot; Odoo indexes stock_quant.lot_id but not this column, so each lookup scanned
    # every move line (850 ms at a million lines).
    _isp_lot_idx = models.Index("(lot_id) WHERE lot_id IS NOT NULL")
    # The serials delivered to a place in a period (the KPIs' serials installed: to the
    # customer location, by date): Odoo indexes neither column pair, so the count read
    # every serial line ever delivered to customers (127 ms at a million lines; 23 ms).
    _isp_lot_dest_date_idx = models.Index("(location_dest_id, date) WHERE lot_id IS NOT NULL")

    # Stored so the moves history can be filtered and grouped by branch and region.
    isp_warehouse_id = fields.Many2one(
        related="picking_type_id.warehouse_id", store=True, string="Branch", index=True
    )
    isp_region_id = fields.Many2one(
        related="isp_warehouse_id.isp_region_id", store=True, string="Region", index=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._isp_check_stock_writer(self.env._("create"))
        moves = self.env["stock.move"].browse(
            [vals["move_id"] for vals in vals_list if vals.get("move_id")]
        )
        moves._isp_check_done_write({"move_line_ids"})
        lines = super().create(vals_list)
        # a scoped user reserves (or adds) only lines within his branches
        lines._isp_check_branch_scope()
        lines.picking_id._isp_recheck_approval()
        return lines

    def write(self, vals):
        self._isp_check_stock_writer(self.env._("change"))
        if "state" in vals:
            # the line's state is its move's (a stored related field): written on the
            # line alone it would show a line done, or undone, that its move is not
            self.move_id._isp_check_done_by_validation()
        result = super().write(vals)
        if APPROVAL_SENSITIVE_FIELDS.intersection(vals):
            self.picking_id._isp_recheck_approval()
        return result

    def unlink(self):
        self._isp_check_stock_writer(self.env._("delete"))
        return super().unlink()

    def _isp_check_stock_writer(self, action):
        """Odoo grants every internal user create/write/unlink on move lines; only stock
        (and purchase) users may use them directly (see stock.move)."""
        self.env["stock.move"]._isp_check_stock_writer(action, self.env._("stock move lines"))

    def _isp_is_done(self):
        self.ensure_one()
        return self.state == "done"

    def _isp_done_locked_fields(self):
        return DONE_MOVE_LINE_LOCKED_FIELDS

    def _isp_done_edit_scope(self):
        """Odoo updates the line's move when a done quantity is corrected."""
        return [self, self.move_id]

    def _isp_done_log_record(self):
        self.ensure_one()
        return self.picking_id or self.move_id.picking_id or self.product_id.product_tmpl_id

    def _action_done(self):
        """A tool whose inspection is overdue cannot go into a technician's kit, whatever
        the transfer (sign-out, request, kit template); no transfer may leave a branch's
        store, quarantine, van or kit with less than nothing; and a serial delivered to or
        taken back from a customer gets (or loses) its install record, whatever the
        transfer (ISP install, take-back, swap or job; a plain delivery; a return)."""
        to_kits = self.filtered(
            lambda line: line.lot_id and line.location_dest_id.isp_role == "kit"
        )
        to_kits.lot_id._isp_check_inspections()
        guarded = self.location_id.filtered(
            lambda loc: loc.usage == "internal" and (loc.warehouse_id or loc.isp_technician_id)
        )
        products = self.filtered(lambda line: line.location_id in guarded).product_id
        given = self._isp_given_install_values()
        self._isp_check_branch_scope()
        self._isp_check_custody_release()
        self._isp_check_store_write_off()
        self._isp_check_install_customers()
        self._isp_check_install_macs()
        result = super()._action_done()
        self._isp_check_no_negative_custody(guarded, products)
        # Lines of no quantity were deleted by super.
        self.exists()._isp_update_install_records(given)
        self.exists()._isp_open_refurbishments()
        return result

    def _isp_check_branch_scope(self):
        """A storekeeper or approver with branches (res.users.isp_warehouse_ids) moves
        stock only within them: each line's source and destination is in one of those
        branches or outside any branch (vendors, customers, the inter-warehouse transit,
        virtual locations). The record rules keep other branches' stock and transfers
        out of sight; this keeps a transfer of one's own branch from taking stock out
        of, or putting it into, another branch's store, van or kit, whatever the path
        (a transfer, a scrap, Physical Inventory), from its reservation (the lines are
        created) to its validation. Branches resupply each other through the transit
        location, each side validated in its own branch. ISP managers and the superuser
        environment (server-side operations) pass."""
        if self.env.su or not self or not self.env.user._isp_branch_scope():
            return
        for line in self:
            self.env.user._isp_check_branch_locations(
                line.location_id | line.location_dest_id,
                self.env._(
                    "%(product)s cannot move from %(origin)s to %(destination)s",
                    product=line.product_id.display_name,
                    origin=line.location_id.display_name,
                    destination=line.location_dest_id.display_name,
                ),
                self.env._(
                    "Stock for another branch goes through the transit location, and "
                    "that branch receives it."
                ),
            )

    # ------------------------------------------------------------------
    # What a technician holds leaves it for a loss only through an ISP document
    # ------------------------------------------------------------------
    @api.model
    @contextmanager
    def _isp_releasing_custody(self):
        """Let the block take stock out of vans, kits and branch stores into loss, scrap
        and adjustment locations: the approved loss report, the applied stock count, the
        spool offcut, the disposal of a faulty unit and a refurbishment graded scrap run
        their scraps and inventory adjustments inside it."""
        cache = self.env.cr.cache
        cache[CUSTODY_RELEASE_KEY] = cache.get(CUSTODY_RELEASE_KEY, 0) + 1
        try:
            yield
        finally:
            cache[CUSTODY_RELEASE_KEY] -= 1

    def _isp_check_custody_release(self):
        """Refuse lines that take stock out of a technician's van or kit into a location
        of usage ``inventory`` (the branch Losses, a scrap location, Inventory
        adjustment) outside an ISP document: what a technician was given is in his van,
        at a customer, back on a shelf, or reported lost with an approver's signature.
        Odoo's Physical Inventory, a scrap or a plain transfer would otherwise write a
        van down with no loss report and no count, whoever does it (a storekeeper, an
        approver, a manager). A gain entered in Physical Inventory (a van's opening
        balance) is not refused; the superuser environment (server-side operations)
        passes."""
        if self.env.su or self.env.cr.cache.get(CUSTODY_RELEASE_KEY):
            return
        released = self.filtered(
            lambda line: line.location_id.isp_technician_id
            and line.location_dest_id.usage == "inventory"
            and line.quantity > 0
        )
        if released:
            line = released[0]
            raise UserError(
                self.env._(
                    "%(product)s cannot go from %(location)s to %(destination)s this way. "
                    "Stock leaves a technician's van or kit as a loss only through an "
                    "approved loss report, and as a count difference only through a "
                    "stock count.",
                    product=line.product_id.display_name,
                    location=line.location_id.display_name,
                    destination=line.location_dest_id.display_name,
                )
            )

    def _isp_check_store_write_off(self):
        """Refuse lines that take stock out of a branch's store (its shelves, quarantine
        or refurbishment location) into a location of usage ``inventory`` (the branch
        Losses, a scrap location, Inventory adjustment) unless an Inventory Approver
        applies them: stock on a shelf is written off with an approver's signature.
        Odoo lets any Inventory user apply Physical Inventory below the quantity on hand
        and validate a scrap; a storekeeper then counts or prepares the scrap and an
        approver applies or validates it. The ISP documents that decide on their own
        (the stock count, the spool offcut, the storekeeper's disposal of a faulty unit
        and a refurbishment graded scrap) run inside `_isp_releasing_custody`; gains,
        vans and kits (`_isp_check_custody_release`) and the superuser environment pass.
        """
        if self.env.su or self.env.cr.cache.get(CUSTODY_RELEASE_KEY):
            return
        written_off = self.filtered(
            lambda line: line.location_id.usage == "internal"
            and line.location_id.warehouse_id
            and not line.location_id.isp_technician_id
            and line.location_dest_id.usage == "inventory"
            and line.quantity > 0
        )
        if written_off and not self.env.user.has_group("isp_inventory.group_isp_approver"):
            line = written_off[0]
            raise AccessError(
                self.env._(
                    "%(product)s cannot go from %(location)s to %(destination)s: only an "
                    "Inventory Approver writes stock off a branch's shelves (a count below "
                    "what is on hand, a scrap). Enter the counted quantity or prepare the "
                    "scrap, and ask an approver to apply or validate it.",
                    product=line.product_id.display_name,
                    location=line.location_id.display_name,
                    destination=line.location_dest_id.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Refurbishment (issue 12 point 3): a serial arriving in a branch's
    # refurbishment location gets a pending refurbishment, whatever the transfer
    # ------------------------------------------------------------------
    def _isp_open_refurbishments(self):
        """One pending isp.refurbishment per serial these done lines bring into a
        refurbishment location from elsewhere (none if one is already pending)."""
        lines = self.filtered(
            lambda line: line.lot_id
            and line.location_dest_id.isp_role == "refurbishment"
            and line.location_id.isp_role != "refurbishment"
        )
        if lines:
            self.env["isp.refurbishment"]._isp_open_for_lines(lines)

    # ------------------------------------------------------------------
    # The install record follows the serial into and out of customer locations
    # ------------------------------------------------------------------
    def _isp_serial_customer_lines(self, direction):
        """The lines among these moving a serial-tracked product into (`direction` "in")
        or out of ("out") a customer location; only the lines' own fields are read."""
        if direction == "in":
            return self.filtered(
                lambda line: line.product_id.tracking == "serial"
                and line.location_dest_id.usage == "customer"
            )
        return self.filtered(
            lambda line: line.product_id.tracking == "serial"
            and line.location_id.usage == "customer"
            and line.location_dest_id.usage != "customer"
        )

    def _isp_install_customer(self):
        """Who a serial delivered by this line is installed at: the move's partner (a
        sales delivery sets it to the delivery address), else the transfer's."""
        self.ensure_one()
        return self.move_id.partner_id or self.picking_id.partner_id

    def _isp_check_install_customers(self):
        """Refuse, before anything moves, to deliver a serial to a customer location
        without knowing the customer (its install record would be empty)."""
        for line in self._isp_serial_customer_lines("in"):
            if line.product_uom_id.compare(line.quantity, 0) > 0 and not (
                line._isp_install_customer()
            ):
                raise UserError(
                    self.env._(
                        "Set the customer of transfer %(transfer)s: serial %(lot)s goes to "
                        "a customer.",
                        transfer=line.picking_id.name or line.reference or "",
                        lot=line.lot_id.name or line.lot_name or line.product_id.display_name,
                    )
                )

    def _isp_check_install_macs(self):
        """Refuse, before anything moves, to deliver to a customer a serial of a product
        whose serials carry a MAC address (`isp_mac_required`) while the serial has
        none: the unit could not be found again by its MAC."""
        lines = self._isp_serial_customer_lines("in").filtered(
            lambda line: line.product_uom_id.compare(line.quantity, 0) > 0
        )
        # sudo: only whether each serial has a MAC is read, whoever validates (a
        # technician's job completion, a storekeeper's delivery).
        new_serials = [
            (line.product_id, line.lot_name) for line in lines if not line.lot_id and line.lot_name
        ]
        lines.lot_id.sudo()._isp_check_mac_for_install(new_serials)

    @api.model
    def _isp_given_install_values(self):
        """The descriptive values of the install or take-back, checked: the
        ``isp_install_values`` context key (ISP_INSTALL_VALUES_KEY) set by the operation.

        A context key can come from any RPC caller. That is acceptable here only because
        these values are descriptive (position, optical reading, port, date, note) and
        checked like the operation's own input; the customer, the technician and the job
        always come from the moves being done. Applying the key requires validating a
        transfer into or out of a customer location, which technicians may not do
        directly (the ISP operations set the key themselves, replacing any given), and a
        stock user who may validate a delivery may as well type these values in."""
        given = self.env.context.get(ISP_INSTALL_VALUES_KEY) or {}
        if not isinstance(given, dict):
            raise UserError(self.env._("The install values must be a dictionary."))
        try:
            values = {
                "latitude": float(given.get("latitude") or 0.0),
                "longitude": float(given.get("longitude") or 0.0),
                "rx_power_dbm": float(given.get("rx_power_dbm") or 0.0),
                "installed_date": fields.Datetime.to_datetime(given.get("installed_date")) or False,
            }
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Invalid install values: %(error)s", error=error)) from error
        values["olt_port"] = str(given["olt_port"]) if given.get("olt_port") else False
        values["note"] = str(given["note"]) if given.get("note") else ""
        self.env["stock.lot"]._isp_check_rx_power(values["rx_power_dbm"])
        values["by_lot"] = self._isp_given_lot_readings(given.get("by_lot") or {})
        return values

    @api.model
    def _isp_given_lot_readings(self, by_lot):
        """``{lot id: {"rx_power_dbm": float, "olt_port": str or False}}``: the
        per-serial readings of the install values (``by_lot``), checked like the
        operation's own; they win over the operation-level ones for their serial."""
        if not isinstance(by_lot, dict):
            raise UserError(self.env._("The per-serial readings must be a dictionary."))
        readings = {}
        for lot_id, reading in by_lot.items():
            if not isinstance(reading, dict):
                raise UserError(self.env._("Each per-serial reading must be a dictionary."))
            try:
                rx_power_dbm = float(reading.get("rx_power_dbm") or 0.0)
                lot_id = int(lot_id)
            except (TypeError, ValueError) as error:
                raise UserError(
                    self.env._("Invalid per-serial reading: %(error)s", error=error)
                ) from error
            self.env["stock.lot"]._isp_check_rx_power(rx_power_dbm)
            readings[lot_id] = {
                "rx_power_dbm": rx_power_dbm,
                "olt_port": str(reading["olt_port"]) if reading.get("olt_port") else False,
            }
        return readings

    def _isp_install_record_values(self, given):
        """The install record of the serial this done line delivers to a customer:
        customer and technician (the van's, if it comes from one) from the move data,
        the date and descriptive values from `given` (`_isp_given_install_values`), the
        date defaulting to the line's done date; a reading given for this serial
        (``given["by_lot"]``) wins over the operation-level one. Extended by
        isp_field_service (job)."""
        self.ensure_one()
        reading = given.get("by_lot", {}).get(self.lot_id.id) or {}
        return {
            "isp_customer_id": self._isp_install_customer().id,
            "isp_installed_date": given["installed_date"] or self.date,
            "isp_installed_by_id": self.location_id.isp_technician_id.id,
            "isp_latitude": given["latitude"],
            "isp_longitude": given["longitude"],
            "isp_rx_power_dbm": reading.get("rx_power_dbm") or given["rx_power_dbm"],
            "isp_olt_port": reading.get("olt_port") or given["olt_port"],
        }

    def _isp_cleared_install_record_values(self):
        """The install record of a serial taken back from a customer: all of it
        cleared. Extended by isp_field_service (job)."""
        return dict.fromkeys(ISP_INSTALL_RECORD_FIELDS, False)

    def _isp_update_install_records(self, given):
        """Write the install record of the serials these done lines delivered to a
        customer, clear it for those taken back from one, and log one chatter line per
        serial. One write per distinct set of values, one batch of messages: nothing is
        searched, only the lines' own fields are read."""
        # sudo: the install record follows the stock movement the user was allowed to
        # validate (Odoo checked that); its values come from the moves (customer, van's
        # technician, job) and the checked descriptive values. Reading the job, the
        # technician and the customer must not depend on the validating user's record
        # rules, and the guard in stock.lot `write` lets only the superuser environment
        # change the install record.
        lines = self.sudo()
        removed = lines._isp_serial_customer_lines("out").filtered("lot_id")
        installed = lines._isp_serial_customer_lines("in").filtered("lot_id")
        if not (removed or installed):
            return
        # {lot id: (values, message)}: a serial taken back and delivered again in the
        # same validation ends installed.
        records = {}
        cleared = lines._isp_cleared_install_record_values()
        for line in removed:
            records[line.lot_id.id] = (cleared, line._isp_take_back_message(given))
        for line in installed:
            values = line._isp_install_record_values(given)
            records[line.lot_id.id] = (values, line._isp_install_message(values, given))
        lot_ids_by_values = {}
        for lot_id, (values, _message) in records.items():
            lot_ids_by_values.setdefault(tuple(sorted(values.items())), []).append(lot_id)
        Lot = lines.env["stock.lot"]
        for items, lot_ids in lot_ids_by_values.items():
            # mail_notrack: the message below states the change; field tracking would
            # log it a second time (and skips serials created in the same transaction).
            Lot.browse(lot_ids).with_context(mail_notrack=True).write(dict(items))
        Lot.browse(list(records))._message_log_batch(
            bodies={lot_id: message for lot_id, (_values, message) in records.items()}
        )

    def _isp_install_message(self, values, given):
        """The chatter line of a serial this line installed with `values`."""
        self.ensure_one()
        technician = self.location_id.isp_technician_id
        latitude, longitude = values["isp_latitude"], values["isp_longitude"]
        return self.env._(
            "Installed at %(customer)s%(by)s on %(date)s%(gps)s (%(transfer)s). %(note)s",
            customer=self._isp_install_customer().display_name,
            by=self.env._(" by %(technician)s", technician=technician.name) if technician else "",
            date=fields.Datetime.context_timestamp(self, values["isp_installed_date"]).strftime(
                "%Y-%m-%d %H:%M"
            ),
            gps=self.env._(
                ", GPS %(latitude)s, %(longitude)s", latitude=latitude, longitude=longitude
            )
            if latitude or longitude
            else "",
            transfer=self.picking_id.name or self.reference or "",
            note=given["note"],
        ).strip()

    def _isp_take_back_message(self, given):
        """The chatter line of a serial this line takes back (read before clearing)."""
        self.ensure_one()
        customer = self.lot_id.isp_customer_id or self._isp_install_customer()
        return self.env._(
            "Taken back from %(customer)s into %(location)s (%(transfer)s). %(reason)s",
            customer=customer.display_name or self.location_id.display_name,
            location=self.location_dest_id.display_name,
            transfer=self.picking_id.name or self.reference or "",
            reason=given["note"],
        ).strip()

    def _isp_check_no_negative_custody(self, locations, products):
        """Refuse quants below zero of `products` in `locations` (internal locations of a
        branch: stores, quarantine, vans, kits) once the moves are done.

        Odoo lets a forced quantity (set by hand beyond what is reserved) or an inventory
        adjustment take a location below zero; in a branch that is refused. It is also
        what makes a last-unit race end with one winner: when two transfers take the
        last unit at once, Odoo's quant update skips the quant the other transaction
        holds and books the second one on a new, negative quant (or, when the first has
        committed, the retried call finds nothing left), which this check refuses.
        """
        if not locations:
            return
        negative = (
            self.env["stock.quant"]
            .search(
                [
                    ("location_id", "in", locations.ids),
                    ("product_id", "in", products.ids),
                    ("quantity", "<", 0),
                ]
            )
            .filtered(lambda quant: quant.product_uom_id.compare(quant.quantity, 0) < 0)
        )
        if negative:
            raise UserError(
                self.env._(
                    "A store, van or kit cannot hold less than nothing: %(lines)s. Another "
                    "user may just have taken the last units: transfer only what is there, "
                    "or count the location first.",
                    lines=", ".join(
                        f"{quant.product_id.display_name} in {quant.location_id.display_name} "
                        f"({quant.quantity:g})"
                        for quant in negative
                    ),
                )
            )
