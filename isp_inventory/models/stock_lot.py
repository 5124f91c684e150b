import re
from urllib.parse import quote_plus

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

# Plausible ONT optical receive power (dBm): a working PON link reads about -8 to -27.
ISP_RX_POWER_MIN, ISP_RX_POWER_MAX = -40.0, 5.0

# The install record of a serial, written where stock moves: when a move line of the
# serial into or out of a customer location is done (stock.move.line._action_done, in
# the superuser environment); isp_field_service adds the job.
ISP_INSTALL_RECORD_FIELDS = (
    "isp_customer_id",
    "isp_installed_date",
    "isp_installed_by_id",
    "isp_latitude",
    "isp_longitude",
    "isp_rx_power_dbm",
    "isp_olt_port",
)
# Context key of the descriptive values of an install or take-back (a dict with any of
# "latitude", "longitude", "rx_power_dbm", "olt_port", "installed_date", "note"),
# applied by stock.move.line._action_done to every serial the validation installs at or
# takes back from a customer. Customer, technician and job always come from the moves.
ISP_INSTALL_VALUES_KEY = "isp_install_values"
# The identity of a serial, fixed once it has a done move.
ISP_LOT_IDENTITY_FIELDS = ("name", "product_id", "company_id")

# A MAC address as users and labels write it (after removing blanks, in upper case):
# AABBCCDDEEFF, AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF (one separator throughout) or
# AABB.CCDD.EEFF; always stored as AA:BB:CC:DD:EE:FF.
ISP_MAC_NOTATIONS = (
    re.compile(r"[0-9A-F]{12}"),
    re.compile(r"[0-9A-F]{2}([:-])[0-9A-F]{2}(?:\1[0-9A-F]{2}){4}"),
    re.compile(r"[0-9A-F]{4}\.[0-9A-F]{4}\.[0-9A-F]{4}"),
)


def isp_normalize_mac(value):
    """`value` as AA:BB:CC:DD:EE:FF if it is a MAC address in an accepted notation,
    else None."""
    text = re.sub(r"\s+", "", str(value)).upper()
    if not any(notation.fullmatch(text) for notation in ISP_MAC_NOTATIONS):
        return None
    digits = re.sub(r"[^0-9A-F]", "", text)
    return ":".join(digits[index : index + 2] for index in range(0, 12, 2))


# The refurbishment record of a serial, written only by grading (isp.refurbishment).
ISP_REFURB_LOT_FIELDS = ("isp_refurb_count", "isp_refurb_grade")
REFURB_GRADES = [
    ("a", "A (as new)"),
    ("b", "B (signs of use)"),
    ("c", "C (needs repair)"),
    ("scrap", "Scrap"),
]

ISP_LOT_STATES = [
    ("in_stock", "In Stock"),
    ("with_technician", "With Technician"),
    ("installed", "Installed"),
    ("faulty", "Faulty (quarantine)"),
    ("refurbishment", "In Refurbishment"),
    ("in_repair", "In Repair"),
    ("rma", "Returned to Vendor"),
    ("disposed", "Disposed"),
]


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "isp.server.fields.mixin", "isp.lock.mixin"]
    # The install record changes only when the serial moves into or out of a customer
    # location (the install, take-back and swap operations, a delivery, a return), which
    # writes it in the superuser environment; refused for everyone else, storekeepers and
    # stock managers included.
    # The lifecycle state is computed from where the serial is: written directly it
    # would say "installed" of a unit on the shelf.
    _isp_server_fields = ISP_INSTALL_RECORD_FIELDS + ISP_REFURB_LOT_FIELDS + ("isp_state",)

    # Odoo's `_check_unique_lot` cannot see a concurrent transaction's new serial: two
    # receipts of the same serial at once would both pass it. One row per product, name
    # and company (no company counting as one more "company"); a serial of no company
    # clashing with a company's serial stays checked by `_check_unique_lot` only.
    _isp_serial_unique = models.UniqueIndex(
        "(product_id, name, COALESCE(company_id, 0))",
        "This serial/lot number already exists for this product.",
    )
    # One serial per MAC address and company, enforced by PostgreSQL (a concurrent
    # transaction or a direct SQL write cannot get round it): a partial unique index,
    # rather than UNIQUE(company_id, isp_mac_address), so that serials without a MAC
    # are not indexed at all and serials of no company (NULL company_id, which a
    # UNIQUE constraint treats as all distinct) count as one more company. The CHECK
    # keeps the column in the one stored notation, so that the index compares like
    # with like even for rows written by SQL.
    _isp_mac_unique = models.UniqueIndex(
        "(COALESCE(company_id, 0), isp_mac_address) WHERE isp_mac_address IS NOT NULL",
        "This MAC address is already recorded on another serial of this company.",
    )
    _isp_mac_notation = models.Constraint(
        "CHECK (isp_mac_address IS NULL OR isp_mac_address ~ '^([0-9A-F]{2}:){5}[0-9A-F]{2}$')",
        "A MAC address is stored as AA:BB:CC:DD:EE:FF.",
    )

    isp_mac_address = fields.Char(
        string="MAC Address",
        copy=False,
        tracking=True,
        help="The unit's MAC address, stored as AA:BB:CC:DD:EE:FF (aabbccddeeff, "
        "aa-bb-cc-dd-ee-ff and AABB.CCDD.EEFF are accepted); unique in the company. "
        "Required before installing a product marked 'MAC Address Required'.",
    )

    isp_state = fields.Selection(
        ISP_LOT_STATES,
        string="Lifecycle State",
        compute="_compute_isp_state",
        store=True,
        index=True,
        help="Derived from where the serial is: a store, a technician, a customer, "
        "quarantine, repair, the vendor or disposal.",
    )
    # The install record: written only when the serial is delivered to or taken back
    # from a customer (stock.move.line._action_done; see isp.server.fields.mixin).
    isp_customer_id = fields.Many2one(
        "res.partner",
        string="Installed At",
        readonly=True,
        index="btree_not_null",
        copy=False,
        tracking=True,
    )
    isp_installed_date = fields.Datetime(
        string="Installed On", readonly=True, copy=False, tracking=True
    )
    isp_installed_by_id = fields.Many2one(
        "isp.technician", string="Installed By", readonly=True, copy=False, tracking=True
    )
    isp_latitude = fields.Float(
        string="Latitude", digits=(10, 7), readonly=True, copy=False, tracking=True
    )
    isp_longitude = fields.Float(
        string="Longitude", digits=(10, 7), readonly=True, copy=False, tracking=True
    )
    isp_rx_power_dbm = fields.Float(
        string="Rx Power (dBm)",
        digits=(6, 2),
        readonly=True,
        copy=False,
        tracking=True,
        help="Optical receive power measured at the ONT when installed (dBm, typically "
        "-8 to -27; 0 = not recorded).",
    )
    isp_olt_port = fields.Char(
        string="OLT/PON Port",
        readonly=True,
        copy=False,
        tracking=True,
        help="The OLT and PON port serving the installation, e.g. OLT-WSTL-01 0/1/3.",
    )
    isp_receipt_date = fields.Datetime(
        string="Received On",
        compute="_compute_isp_receipt_date",
        store=True,
        help="First receipt of the serial from a vendor, else the day it was recorded.",
    )
    isp_warranty_end = fields.Date(
        string="Warranty End",
        compute="_compute_isp_warranty_end",
        store=True,
        index="btree_not_null",
        help="Receipt date plus the product's warranty period; empty without a warranty.",
    )
    isp_eol_date = fields.Date(
        string="End of Life", related="product_id.product_tmpl_id.isp_eol_date", store=True
    )
    isp_under_warranty = fields.Boolean(
        string="Under Warranty", compute="_compute_isp_under_warranty"
    )
    isp_equipment_ids = fields.One2many(
        "maintenance.equipment", "isp_lot_id", string="Equipment (inspections)"
    )
    isp_repair_ids = fields.One2many("repair.order", "lot_id", string="Repairs", readonly=True)
    isp_move_line_ids = fields.One2many(
        "stock.move.line",
        string="History",
        compute="_compute_isp_move_line_ids",
        help="Every done move of the serial, oldest first.",
    )
    isp_item_class = fields.Selection(related="product_id.isp_item_class")
    isp_map_url = fields.Char(
        string="Map",
        compute="_compute_isp_map_url",
        help="Where the serial is installed, on Google Maps: its GPS position, else the "
        "customer's address.",
    )
    isp_photo_ids = fields.Many2many(
        "ir.attachment",
        string="Photos",
        compute="_compute_isp_photo_ids",
        help="Pictures attached to the serial (and, with Field Service, to the job that "
        "installed it).",
    )

    # ------------------------------------------------------------------
    # Refurbishment (issue 12 point 3): set only by grading (isp.refurbishment)
    # ------------------------------------------------------------------
    isp_refurb_count = fields.Integer(
        string="Refurbishments",
        readonly=True,
        copy=False,
        tracking=True,
        help="How many times the unit came back from a customer and was refurbished to "
        "grade A or B; 0 for a new unit. Set by grading only.",
    )
    isp_refurb_grade = fields.Selection(
        REFURB_GRADES,
        string="Refurbishment Grade",
        readonly=True,
        copy=False,
        tracking=True,
        help="The grade of the last refurbishment. Set by grading only.",
    )

    @api.constrains("isp_rx_power_dbm")
    def _check_isp_rx_power_dbm(self):
        for lot in self:
            lot._isp_check_rx_power(lot.isp_rx_power_dbm)

    def _get_outgoing_domain(self):
        """A serial's deliveries ("Transfer to", the Transfers button, the customer
        search) read only that serial's move lines.

        Odoo's condition `move_id.picking_code = 'outgoing'` becomes `move_id IN (SELECT
        ... FROM stock_move ...)`, and inside an OR PostgreSQL hashes the whole
        subquery: every outgoing move of the company (480k at ISP size, 0.8 s) for each
        list of serials, each serial's form and each lookup. Joining the move instead
        (`any!`) keeps the same condition on the same rows, read through the move
        line's `lot_id` index (25 ms)."""

        # `any!` skips stock.move's record rules inside this condition only. The move
        # lines searched are still filtered by their own rules, which mirror the moves'
        # (company; a technician's own van, kit or request), and the condition reads the
        # move's transfer type, nothing else. Other conditions are left as they are.
        def join_move(condition):
            if condition.field_expr != "move_id.picking_code":
                return condition
            return Domain(
                "move_id", "any!", Domain("picking_code", condition.operator, condition.value)
            )

        return Domain(super()._get_outgoing_domain()).map_conditions(join_move)

    def _find_delivery_ids_by_lot_iterative(self):
        """A serial's deliveries ("Transfer to", the Transfers button), as far as the user
        may read them.

        Serials are not branch-scoped, transfers are: a branch's storekeeper sees a
        serial another branch delivered, and Odoo's compute would read that branch's
        delivery (its date and customer) and refuse the whole list of serials. Such a
        serial shows no customer to him, as the delivery itself is hidden from him."""
        deliveries_by_lot = super()._find_delivery_ids_by_lot_iterative()
        all_ids = {picking_id for ids in deliveries_by_lot.values() for picking_id in ids}
        if not all_ids:
            return deliveries_by_lot
        readable = set(self.env["stock.picking"].browse(all_ids)._filtered_access("read").ids)
        if readable == all_ids:
            return deliveries_by_lot
        return {
            lot_id: [picking_id for picking_id in ids if picking_id in readable]
            for lot_id, ids in deliveries_by_lot.items()
        }

    @api.model_create_multi
    def create(self, vals_list):
        # A new serial has no install record, refurbishment or lifecycle of its own yet:
        # they come from its moves (and gradings), in the superuser environment.
        if not self.env.su:
            given = sorted(
                {name for vals in vals_list for name in self._isp_server_fields if vals.get(name)}
            )
            if given:
                names = [vals.get("name") or "" for vals in vals_list]
                raise self._isp_server_fields_error(given, names=names)
        # The MAC addresses are written once the serials exist, so that the clash check
        # (`_isp_check_mac_unique`) knows their company (computed from the product).
        macs = [self._isp_normalize_mac_vals(vals).get("isp_mac_address") for vals in vals_list]
        vals_list = [
            {key: value for key, value in vals.items() if key != "isp_mac_address"}
            for vals in vals_list
        ]
        lots = super().create(vals_list)
        lots._isp_check_serial_format()
        for lot, mac in zip(lots, macs, strict=True):
            if mac:
                # mail_notrack: part of the creation, not a change to log
                lot.with_context(mail_notrack=True).write({"isp_mac_address": mac})
        return lots

    def write(self, vals):
        self._isp_check_identity_write(vals)
        vals = self._isp_normalize_mac_vals(vals)
        self._isp_check_mac_unique(vals)
        # Only serials that get a new name or product are checked against the format:
        # those recorded before a format was set keep their name.
        renamed = self.filtered(
            lambda lot: any(
                name in vals and lot._isp_changes(name, vals) for name in ("name", "product_id")
            )
        )
        result = super().write(vals)
        renamed._isp_check_serial_format()
        return result

    # ------------------------------------------------------------------
    # Serial identity: the product's serial format, the MAC address
    # ------------------------------------------------------------------
    @api.model
    def _isp_normalize_mac_vals(self, vals):
        """`vals` with its MAC address (if any) in the stored notation."""
        if "isp_mac_address" not in vals:
            return vals
        return dict(vals, isp_mac_address=self._isp_normalize_mac(vals["isp_mac_address"]))

    @api.model
    def _isp_normalize_mac(self, value):
        """AA:BB:CC:DD:EE:FF from any accepted notation; False for no MAC; a
        ValidationError naming `value` for anything else."""
        if not value or not str(value).strip():
            return False
        mac = isp_normalize_mac(value)
        if not mac:
            raise ValidationError(
                self.env._(
                    "%(value)s is not a MAC address: write it as AA:BB:CC:DD:EE:FF, "
                    "AA-BB-CC-DD-EE-FF, AABB.CCDD.EEFF or AABBCCDDEEFF (12 hexadecimal "
                    "digits).",
                    value=value,
                )
            )
        return mac

    def _isp_check_mac_unique(self, vals):
        """A MAC address names one unit: refuse `vals` when it would give these serials
        a MAC address that another serial of their company (or of no company; a serial
        of no company: of any company) has, or one MAC to several serials. Checked
        before writing, to name the serial that has it; the unique index
        `_isp_mac_unique` enforces it in the database (concurrent transactions, SQL)."""
        if "isp_mac_address" not in vals and "company_id" not in vals:
            return
        given = "isp_mac_address" in vals
        if given and vals["isp_mac_address"] and len(self) > 1:
            raise ValidationError(
                self.env._(
                    "MAC address %(mac)s cannot be given to several serials (%(lots)s): a MAC "
                    "address belongs to one unit.",
                    mac=vals["isp_mac_address"],
                    lots=", ".join(self.mapped("name")),
                )
            )
        for lot in self:
            mac = vals["isp_mac_address"] if given else lot.isp_mac_address
            if not mac:
                continue
            company = (
                self.env["res.company"].browse(vals["company_id"] or [])
                if "company_id" in vals
                else lot.company_id
            )
            domain = [("isp_mac_address", "=", mac), ("id", "not in", self.ids)]
            if company:
                domain.append(("company_id", "in", [company.id, False]))
            # sudo: the clash must be found whoever may read the other serial; its name
            # is shown only when the user works in its company.
            other = self.sudo().search(domain, limit=1)
            if other:
                visible = not other.company_id or other.company_id in self.env.user.company_ids
                raise ValidationError(
                    self.env._(
                        "MAC address %(mac)s is already recorded on serial %(other)s: a MAC "
                        "address belongs to one unit.",
                        mac=mac,
                        other=other.name if visible else self.env._("of another company"),
                    )
                )

    def _isp_check_serial_format(self):
        """Refuse serials whose name does not match their product's serial format (a
        regular expression matched in full, serial-tracked products only). When the
        name matches another product's format, the message names that product: a
        serial recorded against the wrong product is the usual cause."""
        for lot in self:
            template = lot.product_id.product_tmpl_id
            if template.tracking != "serial" or template._isp_serial_matches(lot.name):
                continue
            likely = lot._isp_likely_products()
            if likely:
                raise ValidationError(
                    self.env._(
                        "%(serial)s looks like a %(likely)s, not a %(product)s (its serials "
                        "are %(hint)s). Check the product of this serial.",
                        serial=lot.name,
                        likely=" / ".join(likely.mapped("display_name")),
                        product=template.display_name,
                        hint=template._isp_serial_format_description(),
                    )
                )
            raise ValidationError(
                self.env._(
                    "%(serial)s is not a serial number of %(product)s: expected %(hint)s.",
                    serial=lot.name,
                    product=template.display_name,
                    hint=template._isp_serial_format_description(),
                )
            )

    def _isp_likely_products(self):
        """The other serial-tracked products (of the serial's company or none) whose
        serial format this serial's name matches, at most three."""
        self.ensure_one()
        company_ids = [self.company_id.id or self.env.company.id, False]
        candidates = self.env["product.template"].search(
            [
                ("isp_serial_format", "!=", False),
                ("tracking", "=", "serial"),
                ("id", "!=", self.product_id.product_tmpl_id.id),
                ("company_id", "in", company_ids),
            ],
            order="name, id",
        )
        return candidates.filtered(lambda template: template._isp_serial_matches(self.name))[:3]

    def _isp_check_mac_for_install(self, lot_names=()):
        """Refuse to install at a customer a serial of a 'MAC Address Required' product
        that has no MAC address (stock.move.line._action_done, every path).
        `lot_names`: [(product, name)] of serials the validation would create."""
        missing = [
            f"{lot.name} ({lot.product_id.display_name})"
            for lot in self
            if lot.product_id.isp_mac_required and not lot.isp_mac_address
        ] + [
            f"{name} ({product.display_name})"
            for product, name in lot_names
            if product.isp_mac_required
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(lots)s: record the MAC address of the unit on the serial before "
                    "installing it at a customer.",
                    lots=", ".join(missing),
                )
            )

    def _isp_server_fields_error(self, changed, names=None):
        """``names``: the serials' names (those being created), else these serials'."""
        lots = ", ".join(names if names is not None else self.mapped("name"))
        if "isp_state" in changed:
            message = self.env._(
                "The lifecycle state of serial %(lots)s follows where it is: it changes "
                "only when the serial moves.",
                lots=lots,
            )
        elif set(changed) & set(ISP_REFURB_LOT_FIELDS):
            message = self.env._(
                "%(fields)s of serial %(lots)s change only by grading its refurbishment.",
                fields=self._isp_server_field_labels(changed),
                lots=lots,
            )
        else:
            message = self.env._(
                "%(fields)s of serial %(lots)s change only by installing, taking back or "
                "swapping it.",
                fields=self._isp_server_field_labels(changed),
                lots=lots,
            )
        return AccessError(message)

    def _isp_check_identity_write(self, vals):
        """A serial's name, product and company are fixed once it has a done move."""
        if self.env.su:
            return
        identity = [
            name
            for name in ISP_LOT_IDENTITY_FIELDS
            if name in vals and self._isp_changes(name, vals)
        ]
        # sudo: whether any done move exists, whoever may read it (a technician's record
        # rules hide other people's moves); only the count is used.
        moved = identity and self.env["stock.move.line"].sudo().search_count(
            [("lot_id", "in", self.ids), ("state", "=", "done")], limit=1
        )
        if moved:
            raise AccessError(
                self.env._(
                    "Serial %(lots)s has been moved: its %(fields)s can no longer change.",
                    lots=", ".join(self.mapped("name")),
                    fields=self._isp_server_field_labels(identity),
                )
            )

    @api.model
    def _isp_check_rx_power(self, rx_power_dbm):
        """Refuse an optical receive power outside -40..+5 dBm (a typo, or a sign lost)."""
        if rx_power_dbm and not ISP_RX_POWER_MIN <= rx_power_dbm <= ISP_RX_POWER_MAX:
            raise ValidationError(
                self.env._(
                    "Rx power %(value)s dBm is not plausible: an ONT reads between %(min)s and "
                    "%(max)s dBm (typically -8 to -27). Check the sign and the unit.",
                    value=rx_power_dbm,
                    min=ISP_RX_POWER_MIN,
                    max=ISP_RX_POWER_MAX,
                )
            )

    @api.depends("quant_ids.quantity", "quant_ids.location_id", "isp_repair_ids.state")
    def _compute_isp_state(self):
        """Where the serial is now; once it has left stock entirely (returned to the
        vendor, consumed), where its last move took it. An open repair order wins."""
        last_lines = self.filtered(lambda lot: not lot.location_id)._isp_last_done_move_lines()
        for lot in self:
            if lot.isp_repair_ids.filtered(lambda r: r.state not in ("done", "cancel")):
                lot.isp_state = "in_repair"
                continue
            location = lot.location_id or last_lines.get(lot.id, self.env["stock.move.line"])
            if location._name == "stock.move.line":
                location = location.location_dest_id
            lot.isp_state = lot._isp_state_for_location(location)

    @api.depends("create_date", "quant_ids.quantity")
    def _compute_isp_receipt_date(self):
        receipts = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", self.ids),
                ("state", "=", "done"),
                ("location_id.usage", "=", "supplier"),
            ],
            order="date desc, id desc",
        )
        first_receipt = {line.lot_id.id: line.date for line in receipts}
        for lot in self:
            lot.isp_receipt_date = first_receipt.get(lot.id) or lot.create_date

    @api.depends("isp_receipt_date", "product_id.product_tmpl_id.isp_warranty_months")
    def _compute_isp_warranty_end(self):
        for lot in self:
            months = lot.product_id.isp_warranty_months
            lot.isp_warranty_end = (
                (lot.isp_receipt_date + relativedelta(months=months)).date()
                if months and lot.isp_receipt_date
                else False
            )

    def _compute_isp_under_warranty(self):
        today = fields.Date.context_today(self)
        for lot in self:
            lot.isp_under_warranty = bool(lot.isp_warranty_end and lot.isp_warranty_end >= today)

    def _compute_isp_move_line_ids(self):
        lines = self.env["stock.move.line"].search(
            [("lot_id", "in", self.ids), ("state", "=", "done")], order="date, id"
        )
        lines_by_lot = lines.grouped("lot_id")
        for lot in self:
            lot.isp_move_line_ids = lines_by_lot.get(lot, lines.browse())

    @api.depends("isp_latitude", "isp_longitude", "isp_customer_id")
    def _compute_isp_map_url(self):
        for lot in self:
            if lot.isp_latitude or lot.isp_longitude:
                query = f"{lot.isp_latitude},{lot.isp_longitude}"
            else:
                query = quote_plus(lot.isp_customer_id.contact_address_inline or "")
            lot.isp_map_url = (
                f"https://www.google.com/maps/search/?api=1&query={query}" if query else False
            )

    def _compute_isp_photo_ids(self):
        photos = self.env["ir.attachment"].search(
            self._isp_photo_domain(), order="create_date desc, id desc"
        )
        for lot in self:
            lot.isp_photo_ids = photos.filtered(lambda photo, lot=lot: lot._isp_is_photo_of(photo))

    def _isp_photo_domain(self):
        """Hook: the image attachments shown as the serial's photos (those of the
        serials; isp_field_service adds those of their install jobs). The attachments'
        own access rules apply: a user sees the pictures of the records they may read."""
        return [
            ("res_model", "=", "stock.lot"),
            ("res_id", "in", self.ids),
            ("mimetype", "=like", "image/%"),
        ]

    def _isp_is_photo_of(self, attachment):
        """Hook: is `attachment` (found by `_isp_photo_domain`) a photo of this serial?"""
        self.ensure_one()
        return attachment.res_model == "stock.lot" and attachment.res_id == self.id

    def _isp_last_done_move_lines(self):
        """The latest done move line of each lot: where the serial went last."""
        lines = self.env["stock.move.line"].search(
            [("lot_id", "in", self.ids), ("state", "=", "done")], order="date desc, id desc"
        )
        last = {}
        for line in lines:
            last.setdefault(line.lot_id.id, line)
        return last

    def _isp_state_for_location(self, location):
        """Lifecycle state of a serial whose last move went to `location`."""
        if not location:
            return "in_stock"
        if location.usage == "customer":
            return "installed"
        if location.usage == "supplier":
            return "rma"
        if location.usage in ("inventory", "production"):
            return "disposed"
        if location.isp_role == "quarantine":
            return "faulty"
        if location.isp_role == "refurbishment":
            return "refurbishment"
        if location.isp_technician_id:
            return "with_technician"
        return "in_stock"

    # ------------------------------------------------------------------
    # Services (RPC): install at a customer, take back from a customer
    # ------------------------------------------------------------------
    def action_isp_install(
        self,
        technician_id,
        partner_id,
        latitude=0.0,
        longitude=0.0,
        rx_power_dbm=None,
        olt_port=None,
    ):
        """Install these serials from the technician's vehicle at the customer.

        `rx_power_dbm` (ONT receive power, -40..+5) and `olt_port` (e.g. "OLT-WSTL-01
        0/1/3") complete the install record. Returns the id of the validated transfer.
        Refused (nothing changed) when a serial is not in that vehicle, is already
        installed, or is not serial-tracked, or the rx power is out of range.
        """
        technician = self.env["isp.technician"].browse(technician_id).exists()
        partner = self.env["res.partner"].browse(partner_id).exists()
        picking = self._isp_install(
            technician,
            partner,
            latitude=latitude,
            longitude=longitude,
            rx_power_dbm=rx_power_dbm,
            olt_port=olt_port,
        )
        return picking.id

    def action_isp_take_back(
        self,
        technician_id,
        partner_id,
        faulty=False,
        to_branch=False,
        reason=None,
        refurbish=False,
    ):
        """Take these serials back from the customer into the technician's vehicle (or the
        branch stock when `to_branch`), into the branch quarantine when `faulty`, or into
        the branch refurbishment location when `refurbish` (churn or upgrade: each serial
        gets a pending isp.refurbishment). `reason` (free text) is logged on each serial.
        Returns the id of the transfer."""
        technician = self.env["isp.technician"].browse(technician_id).exists()
        partner = self.env["res.partner"].browse(partner_id).exists()
        picking = self._isp_take_back(
            technician,
            partner,
            faulty=faulty,
            to_branch=to_branch,
            reason=reason,
            refurbish=refurbish,
        )
        return picking.id

    def _isp_install(
        self,
        technician,
        partner,
        latitude=0.0,
        longitude=0.0,
        installed_date=None,
        product=None,
        rx_power_dbm=None,
        olt_port=None,
        note=None,
        **picking_vals,
    ):
        """Move the serials van → customer in one validated transfer, which writes their
        install record (stock.move.line._action_done). `installed_date` defaults to the
        transfer's done date; `product`, when given, must be the serials' one;
        `rx_power_dbm` and `olt_port` are recorded on each serial; `note` ends the
        install line posted on each serial."""
        self._isp_lock()
        self._isp_check_service_call(technician, partner)
        self._isp_check_rx_power(rx_power_dbm)
        self._isp_check_not_tools()
        for lot in self:
            if product and lot.product_id != product:
                raise UserError(
                    self.env._(
                        "Serial %(lot)s is a %(lot_product)s, not a %(product)s.",
                        lot=lot.name,
                        lot_product=lot.product_id.display_name,
                        product=product.display_name,
                    )
                )
            if lot.isp_state == "installed":
                raise UserError(
                    self.env._(
                        "Serial %(lot)s is already installed at %(customer)s.",
                        lot=lot.name,
                        customer=lot.isp_customer_id.display_name,
                    )
                )
        # The install record is written when the transfer is done
        # (stock.move.line._action_done): the customer is the transfer's, the technician
        # the van's; these are the operation's descriptive values.
        install_values = {
            "latitude": latitude or 0.0,
            "longitude": longitude or 0.0,
            "rx_power_dbm": rx_power_dbm or 0.0,
            "olt_port": olt_port or False,
            "installed_date": fields.Datetime.to_datetime(installed_date) or False,
            "note": note or "",
        }
        picking = (
            self.env["stock.picking"]
            .with_context(**{ISP_INSTALL_VALUES_KEY: install_values})
            ._isp_create_done(
                technician.warehouse_id.out_type_id,
                technician.vehicle_location_id,
                partner.property_stock_customer,
                [(lot.product_id, 1.0, lot) for lot in self],
                partner_id=partner.id,
                origin=picking_vals.pop("origin", self.env._("Installation")),
                **picking_vals,
            )
        )
        return picking.with_env(self.env)

    def _isp_take_back(
        self,
        technician,
        partner,
        faulty=False,
        to_branch=False,
        reason=None,
        refurbish=False,
        **picking_vals,
    ):
        """Move installed serials customer → van, branch stock (`to_branch`), the branch
        quarantine (`faulty`, which wins) or the branch refurbishment location
        (`refurbish`); the done transfer clears their install record and logs `reason`
        (stock.move.line._action_done, which also opens their refurbishment)."""
        self._isp_lock()
        self._isp_check_service_call(technician, partner)
        for lot in self:
            if lot.isp_state != "installed" or lot.isp_customer_id != partner:
                raise UserError(
                    self.env._(
                        "Serial %(lot)s is not installed at %(customer)s.",
                        lot=lot.name,
                        customer=partner.display_name,
                    )
                )
        self._isp_check_may_remove(technician, partner)
        if faulty:
            destination = technician.warehouse_id._isp_get_quarantine_location()
        elif refurbish:
            destination = technician.warehouse_id._isp_get_refurbishment_location()
        elif to_branch:
            destination = technician.warehouse_id.lot_stock_id
        else:
            destination = technician.vehicle_location_id
        # The install record is cleared when the transfer is done
        # (stock.move.line._action_done), which logs `reason`.
        picking = (
            self.env["stock.picking"]
            .with_context(**{ISP_INSTALL_VALUES_KEY: {"note": reason or ""}})
            ._isp_create_done(
                technician.warehouse_id.in_type_id,
                partner.property_stock_customer,
                destination,
                [(lot.product_id, 1.0, lot) for lot in self],
                partner_id=partner.id,
                origin=picking_vals.pop("origin", self.env._("Customer return")),
                **picking_vals,
            )
        )
        return picking.with_env(self.env)

    # ------------------------------------------------------------------
    # CPE swap: the faulty unit out (quarantine), a unit from the van in
    # ------------------------------------------------------------------
    def action_isp_swap(
        self,
        new_lot_id,
        technician_id,
        reason=None,
        latitude=None,
        longitude=None,
        rx_power_dbm=None,
        olt_port=None,
    ):
        """Swap this installed (faulty) serial for `new_lot_id` from the technician's van
        at the same customer, all or nothing. GPS and OLT port default to the old unit's.
        Returns ``[take_back_transfer_id, install_transfer_id]``."""
        self.ensure_one()
        new_lot = self.browse(new_lot_id).exists()
        technician = self.env["isp.technician"].browse(technician_id).exists()
        back, install = self._isp_swap(
            new_lot,
            technician,
            reason=reason,
            latitude=latitude,
            longitude=longitude,
            rx_power_dbm=rx_power_dbm,
            olt_port=olt_port,
        )
        return [back.id, install.id]

    def _isp_swap(
        self,
        new_lot,
        technician,
        reason=None,
        latitude=None,
        longitude=None,
        rx_power_dbm=None,
        olt_port=None,
        installed_date=None,
        **picking_vals,
    ):
        """Replace this installed serial by `new_lot` in one go: the old unit is taken back
        as faulty into the branch quarantine (`_isp_take_back`), `new_lot` is installed from
        the technician's van at the same customer (`_isp_install`). The GPS position
        (unless `latitude`/`longitude` are given) and the OLT port (unless `olt_port` is
        given) are the old unit's. Everything is checked first and both transfers run in
        one savepoint: a refusal changes nothing. Returns (take-back, install) transfers."""
        self.ensure_one()
        (self | new_lot)._isp_lock()
        self._isp_check_swap(new_lot, technician, rx_power_dbm)
        partner = self.isp_customer_id
        if latitude is None and longitude is None:
            latitude, longitude = self.isp_latitude, self.isp_longitude
        olt_port = olt_port or self.isp_olt_port
        note = self.env._(
            "Swapped for %(new)s at %(customer)s.", new=new_lot.name, customer=partner.display_name
        )
        picking_vals.setdefault(
            "origin", self.env._("Swap %(old)s → %(new)s", old=self.name, new=new_lot.name)
        )
        with self.env.cr.savepoint():
            back = self._isp_take_back(
                technician,
                partner,
                faulty=True,
                reason=" ".join(filter(None, [note, reason])),
                **picking_vals,
            )
            install = new_lot._isp_install(
                technician,
                partner,
                latitude=latitude,
                longitude=longitude,
                installed_date=installed_date,
                rx_power_dbm=rx_power_dbm,
                olt_port=olt_port,
                note=" ".join(
                    filter(
                        None,
                        [
                            self.env._("Swapped in, replacing faulty %(old)s.", old=self.name),
                            reason,
                        ],
                    )
                ),
                **picking_vals,
            )
        return back, install

    def _isp_check_swap(self, new_lot, technician, rx_power_dbm=None):
        """Everything `_isp_swap` needs, checked before any stock moves."""
        self.ensure_one()
        if self.isp_state != "installed" or not self.isp_customer_id:
            raise UserError(
                self.env._(
                    "Serial %(lot)s is not installed at a customer: there is nothing to swap.",
                    lot=self.name,
                )
            )
        if len(new_lot) != 1:
            raise UserError(self.env._("Choose the one serial number to install instead."))
        if new_lot == self:
            raise UserError(self.env._("Serial %(lot)s cannot replace itself.", lot=self.name))
        (self | new_lot)._isp_check_service_call(technician, self.isp_customer_id)
        self._isp_check_may_remove(technician, self.isp_customer_id)
        if new_lot.isp_state == "installed":
            raise UserError(
                self.env._(
                    "Serial %(lot)s is already installed at %(customer)s.",
                    lot=new_lot.name,
                    customer=new_lot.isp_customer_id.display_name,
                )
            )
        self.env["stock.picking"]._isp_check_lot_in_source(new_lot, technician.vehicle_location_id)
        self._isp_check_rx_power(rx_power_dbm)

    # ------------------------------------------------------------------
    # Tool custody: sign out to a technician's kit, sign back in to the branch
    # ------------------------------------------------------------------
    def action_isp_sign_out_tool(self, technician_id):
        """Hand these tools from the branch stock to the technician's kit; returns the
        id of the validated transfer."""
        technician = self.env["isp.technician"].browse(technician_id).exists()
        return self._isp_sign_out_tool(technician).id

    def action_isp_sign_in_tool(self, technician_id):
        """Take these tools back from the technician's kit into the branch stock."""
        technician = self.env["isp.technician"].browse(technician_id).exists()
        return self._isp_sign_in_tool(technician).id

    def _isp_sign_out_tool(self, technician):
        """Custody changes when the tool changes hands at the store counter, so the
        transfer is validated at once, unless it needs approval (tools worth more than
        the company's threshold): then it waits, reserved, for an approver and is
        validated by the storekeeper afterwards. Refused for a tool whose inspection is
        overdue (checked here first, and again when any move into a kit is done)."""
        self._isp_lock()
        self._isp_check_tool_custody(technician)
        self._isp_check_inspections()
        picking = self.env["stock.picking"]._isp_create_ready(
            technician.warehouse_id.int_type_id,
            technician.warehouse_id.lot_stock_id,
            technician.kit_location_id,
            [(lot.product_id, 1.0, lot) for lot in self],
            origin=self.env._("Tool sign-out"),
        )
        if picking.isp_approval_state == "to_approve":
            return picking
        return picking._isp_validate_now()

    def _isp_sign_in_tool(self, technician):
        self._isp_lock()
        self._isp_check_tool_custody(technician)
        return self.env["stock.picking"]._isp_create_done(
            technician.warehouse_id.int_type_id,
            technician.kit_location_id,
            technician.warehouse_id.lot_stock_id,
            [(lot.product_id, 1.0, lot) for lot in self],
            origin=self.env._("Tool sign-in"),
        )

    def _isp_check_not_tools(self):
        """Tools (fusion splicers, power meters...) are the technician's equipment: they
        stay in the kit and are never installed at a customer."""
        tools = self.filtered(lambda lot: lot.product_id.isp_item_class == "tool")
        if tools:
            raise UserError(
                self.env._(
                    "%(lots)s: a tool is never installed at a customer; it stays in the "
                    "technician's kit.",
                    lots=", ".join(f"{lot.name} ({lot.product_id.display_name})" for lot in tools),
                )
            )

    def _isp_check_tool_custody(self, technician):
        if not technician:
            raise UserError(self.env._("Choose the technician."))
        if not self.env.user.has_group("isp_inventory.group_isp_storekeeper"):
            raise AccessError(self.env._("Only a storekeeper signs tools out and in."))
        not_tools = self.filtered(lambda lot: lot.product_id.isp_item_class != "tool")
        if not self or not_tools:
            raise UserError(
                self.env._(
                    "Choose tool serial numbers (not %(lots)s).",
                    lots=", ".join(not_tools.mapped("name")),
                )
            )

    def _isp_check_inspections(self):
        """Refuse tools whose inspection or calibration is overdue."""
        # sudo: maintenance only shows users the equipment they follow; the gate must
        # see every tool's equipment (names only are reported).
        overdue = (
            self.env["maintenance.equipment"]
            .sudo()
            .search([("isp_lot_id", "in", self.ids), ("isp_inspection_overdue", "=", True)])
        )
        if overdue:
            raise UserError(
                self.env._(
                    "Inspection overdue for %(tools)s: inspect or calibrate the tool (close "
                    "its maintenance request) before signing it out.",
                    tools=", ".join(overdue.isp_lot_id.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Quarantine decisions (storekeeper): repair, return to vendor, dispose
    # ------------------------------------------------------------------
    def action_isp_repair(self):
        """Open a repair order for each faulty serial; returns the action showing them."""
        return self._isp_send_to_repair()._get_records_action()

    def action_isp_return_to_vendor(self):
        """Return a faulty serial under warranty to its vendor (RMA); returns the action
        showing the validated return transfer."""
        self.ensure_one()
        return self._isp_return_to_vendor()._get_records_action()

    def action_isp_dispose(self, reason=None):
        """Scrap faulty serials, tagged with `reason` (text); returns the scrap action."""
        return self._isp_dispose(reason=reason)._get_records_action()

    def _isp_send_to_repair(self):
        self._isp_check_quarantine_decision()
        repairs = self.env["repair.order"]
        for lot in self:
            repairs |= lot._isp_create_repair(
                lot._isp_quarantine_location(), self.env._("Faulty return, from quarantine.")
            )
        return repairs

    def _isp_create_repair(self, source, note):
        """Open a repair order of this serial lying in `source` (quarantine, or the
        refurbishment location for a grade C unit), back to the branch stock once
        repaired; logged on the serial."""
        self.ensure_one()
        repair = self.env["repair.order"].create(self._isp_prepare_repair_values(source, note))
        self.message_post(body=self.env._("Sent to repair (%(repair)s).", repair=repair.name))
        return repair

    def _isp_prepare_repair_values(self, source, note):
        """Hook: the values of the repair order `_isp_create_repair` opens."""
        self.ensure_one()
        warehouse = source.warehouse_id
        return {
            "product_id": self.product_id.id,
            "lot_id": self.id,
            "picking_type_id": warehouse.repair_type_id.id,
            "product_location_src_id": source.id,
            "product_location_dest_id": warehouse.lot_stock_id.id,
            "internal_notes": note,
        }

    def _isp_return_to_vendor(self):
        """One return transfer quarantine → vendor; only while the warranty runs."""
        self.ensure_one()
        self._isp_check_quarantine_decision()
        if not self.isp_under_warranty:
            raise UserError(
                self.env._(
                    "Serial %(lot)s is out of warranty (ended %(end)s): repair or dispose "
                    "of it instead.",
                    lot=self.name,
                    end=self.isp_warranty_end or self.env._("no warranty"),
                )
            )
        vendor = self._isp_vendor()
        if not vendor:
            raise UserError(self.env._("No vendor is known for serial %(lot)s.", lot=self.name))
        quarantine = self._isp_quarantine_location()
        picking = self.env["stock.picking"]._isp_create_done(
            quarantine.warehouse_id.out_type_id,
            quarantine,
            vendor.property_stock_supplier,
            [(self.product_id, 1.0, self)],
            partner_id=vendor.id,
            origin=self.env._("RMA %(lot)s", lot=self.name),
        )
        self.message_post(
            body=self.env._(
                "Returned to %(vendor)s under warranty (%(transfer)s).",
                vendor=vendor.display_name,
                transfer=picking.name,
            )
        )
        return picking

    def _isp_vendor(self):
        """The vendor the serial was received from, else the product's first vendor."""
        self.ensure_one()
        receipt = self.env["stock.move.line"].search(
            [
                ("lot_id", "=", self.id),
                ("state", "=", "done"),
                ("location_id.usage", "=", "supplier"),
            ],
            order="date, id",
            limit=1,
        )
        return receipt.picking_partner_id or self.product_id.seller_ids[:1].partner_id

    def _isp_dispose(self, reason=None):
        """Scrap the serials where they are, tagged with the reason."""
        self._isp_check_quarantine_decision()
        tag = self.env["stock.scrap.reason.tag"]
        reason = reason or self.env._("Faulty beyond repair")
        tag = tag.search([("name", "=", reason)], limit=1) or tag.create({"name": reason})
        scraps = self.env["stock.scrap"]
        for lot in self:
            scrap = scraps.create(
                {
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "scrap_qty": 1.0,
                    "location_id": lot._isp_quarantine_location().id,
                    "scrap_reason_tag_ids": [(6, 0, tag.ids)],
                    "origin": lot.name,
                }
            )
            # the storekeeper's decision on a faulty unit is the document that writes it
            # off (stock.move.line._isp_check_store_write_off)
            with self.env["stock.move.line"]._isp_releasing_custody():
                scrap.do_scrap()
            lot.message_post(body=self.env._("Disposed: %(reason)s.", reason=reason))
            scraps |= scrap
        return scraps

    def _isp_check_quarantine_decision(self):
        if not self.env.user.has_group("isp_inventory.group_isp_storekeeper"):
            raise AccessError(self.env._("Only a storekeeper decides on faulty items."))
        if not self:
            raise UserError(self.env._("Choose at least one serial number."))
        not_faulty = self.filtered(
            lambda lot: lot.isp_state != "faulty" or not lot._isp_quarantine_location()
        )
        if not_faulty:
            raise UserError(
                self.env._(
                    "%(lots)s: only faulty serials in quarantine can be repaired, returned "
                    "to the vendor or disposed of.",
                    lots=", ".join(not_faulty.mapped("name")),
                )
            )

    def _isp_quarantine_location(self):
        """The quarantine location that holds this serial, read from its quants.

        Not `location_id`: Odoo fills that field only while the serial has stock in
        exactly one location, and empties it when a serial shows in two places (a
        stray quant elsewhere, Odoo's long-standing "one serial in two locations").
        The RMA transfer then had no source ("Missing required value for the field
        'Source Location'") although the serial lay in quarantine."""
        self.ensure_one()
        quants = self.quant_ids.filtered(
            lambda quant: quant.location_id.isp_role == "quarantine"
            and quant.product_uom_id.compare(quant.quantity, 0) > 0
        )
        return quants.location_id[:1]

    def _isp_check_service_call(self, technician, partner):
        if not technician:
            raise UserError(self.env._("Choose the technician."))
        if not partner:
            raise UserError(self.env._("Choose the customer."))
        if not self:
            raise UserError(self.env._("Choose at least one serial number."))
        if technician.user_id != self.env.user and not self.env.user.has_group(
            "isp_inventory.group_isp_storekeeper"
        ):
            raise AccessError(
                self.env._("Only %(name)s or a storekeeper can do this.", name=technician.name)
            )
        not_serial = self.filtered(lambda lot: lot.product_id.tracking != "serial")
        if not_serial:
            raise UserError(
                self.env._(
                    "%(lots)s: only serial-numbered items are installed one by one.",
                    lots=", ".join(not_serial.mapped("name")),
                )
            )

    def _isp_check_may_remove(self, technician, partner):
        """Hook: may the current user take these serials back from `partner` (or swap
        them) as `technician`? `_isp_check_service_call` has checked the actor;
        isp_field_service requires a technician's open job at that customer."""
