"""The demo ISP's year of history (Savannah Fibre Ltd), loaded once with the demo data
by demo/isp_history_demo.xml. Not an API: the private method of an abstract model, run
by the server during the install, never over RPC.

Every event is a public operation of the addons or of Odoo, done by the person who does
it in real life (with that user's rights): the office buys (purchase orders), the
storekeeper receives, restocks the branches, issues kits and requests, runs the counts
and decides on faulty units; the technicians request stock, complete their jobs and
report their losses; the approver approves. The events run one after the other, in the
order of their simulated dates, and each one is then dated: see `_IspDemoYear._backdate`.
"""

import random
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL

TECHNICIANS = ("john", "mary", "peter", "grace", "ali", "fatuma")
# Nairobi is UTC+3: the hours below are local, stored in UTC.
UTC_OFFSET = 3
# The history starts 360 days ago (go-live) and runs in 12 periods of 30 days (about
# four jobs a month: enough for the reports, light enough for a quick install).
GO_LIVE = -360
PERIODS = 12

# Targets the storekeeper restocks to: the main warehouse (bought), each branch
# (transferred from the main warehouse) and each van (requested by the technician).
MAIN_TARGETS = {
    "ont_hg8245": 40,
    "router_archer": 8,
    "drop_cable": 9000,
    "fast_connector": 700,
    "patch_cord": 300,
    "wall_socket": 250,
    "cable_clip": 6000,
    "cable_tie": 4000,
    "rj45": 2000,
    "conduit": 800,
    "ont_psu": 60,
}
BRANCH_TARGETS = {
    "ont_hg8245": 12,
    "router_archer": 3,
    "drop_cable": 3000,
    "fast_connector": 240,
    "patch_cord": 100,
    "wall_socket": 70,
    "cable_clip": 2000,
    "cable_tie": 800,
    "rj45": 400,
    "conduit": 200,
    "ont_psu": 10,
}
VAN_TARGETS = {
    "ont_hg8245": 5,
    "router_archer": 1,
    "drop_cable": 500,
    "fast_connector": 24,
    "patch_cord": 12,
    "wall_socket": 8,
    "cable_clip": 250,
    "rj45": 40,
    "cable_tie": 100,
    "ont_psu": 2,
}
# What a job of each kind may use at most: the van is topped up first when it lacks it.
JOB_NEEDS = {
    "ftth_installation": {
        "ont_hg8245": 1,
        "drop_cable": 60,
        "fast_connector": 2,
        "patch_cord": 1,
        "wall_socket": 1,
        "cable_clip": 30,
    },
    "wireless_installation": {"router_archer": 1, "rj45": 4, "cable_tie": 12},
    "repair": {"drop_cable": 20, "fast_connector": 2, "patch_cord": 1, "ont_psu": 1},
    "relocation": {"drop_cable": 35, "fast_connector": 2, "wall_socket": 1, "cable_clip": 20},
    "disconnection": {},
}
JOB_LABELS = {
    "ftth_installation": "FTTH installation",
    "wireless_installation": "Wireless installation",
    "repair": "Fibre repair",
    "relocation": "Relocation",
    "disconnection": "Disconnection",
}
# Network equipment, tools and spares bought at go-live, with their serials: the demo's
# own serials (isp_inventory demo) and a spare power meter.
GO_LIVE_SERIALS = {
    "router_ccr2004": ["ccr2004_00001", "ccr2004_00002"],
    "switch_crs326": ["crs326_00001", "crs326_00002", "crs326_00003"],
    "olt_ma5800": ["ma5800_00001"],
    "sfp_10g": [f"sfp10g_{n:05d}" for n in range(1, 9)],
    "fan_module": ["fan_00001", "fan_00002"],
    "splicer": [f"fs41s_{n:05d}" for n in range(1, 7)],
    "power_meter": [f"opm_{n:05d}" for n in range(1, 7)],
    "crimper": [f"crmp_{n:05d}" for n in range(1, 7)],
    "otdr": ["otdr_00001", "otdr_00002"],
    "ladder": [f"lad_{n:05d}" for n in range(1, 5)],
}
# The serials the demo's present day uses (isp_inventory demo): bought last, and never
# used by the generated history. ONTs 1-12 and routers 1-6 stay in the main warehouse,
# 13-24 and 7-12 in the branches, ONTs 25-36 go two to each van.
FINAL_ONTS = [f"hwtc4a{n:05d}" for n in range(1, 37)]
FINAL_ROUTERS = [f"arc6_{n:05d}" for n in range(1, 13)]
BRANCH_FINAL_SERIALS = {
    "branch_westlands": ([13, 14, 15, 16, 25, 26, 27, 28], [7, 8]),
    "branch_embakasi": ([17, 18, 19, 20, 29, 30, 31, 32], [9, 10]),
    "branch_nyali": ([21, 22, 23, 24, 33, 34, 35, 36], [11, 12]),
}
# Customers of each branch: (area, street, latitude, longitude).
AREAS = {
    "branch_westlands": [
        ("Westlands", "Woodvale Grove", -1.2649, 36.8044),
        ("Parklands", "3rd Parklands Avenue", -1.2600, 36.8170),
        ("Kileleshwa", "Othaya Road", -1.2810, 36.7830),
        ("Lavington", "James Gichuru Road", -1.2770, 36.7690),
        ("Kilimani", "Ngong Road", -1.2920, 36.7860),
    ],
    "branch_embakasi": [
        ("Embakasi", "Airport North Road", -1.3190, 36.8940),
        ("Donholm", "Savannah Road", -1.2960, 36.8900),
        ("Utawala", "Eastern Bypass", -1.2860, 36.9590),
        ("South B", "Mchumbi Road", -1.3090, 36.8370),
        ("Pipeline", "Outer Ring Road", -1.3170, 36.9010),
    ],
    "branch_nyali": [
        ("Nyali", "Links Road", -4.0310, 39.7130),
        ("Bamburi", "Mombasa-Malindi Road", -3.9990, 39.7230),
        ("Kizingo", "Mama Ngina Drive", -4.0690, 39.6740),
        ("Shanzu", "Serena Road", -3.9530, 39.7480),
        ("Mtwapa", "Kikambala Road", -3.9460, 39.7450),
    ],
}
FIRST_NAMES = {
    "nairobi": (
        "Wanjiku Kamau Achieng Otieno Njeri Mwangi Akinyi Kiprono Chebet Mutua Nyambura "
        "Omondi Wairimu Atieno Gitau Moraa Onyango Wambui Kibet Muthoni"
    ).split(),
    "mombasa": (
        "Amina Hassan Zawadi Bakari Mwanaisha Salim Rehema Juma Fatma Khamis Halima Omar "
        "Riziki Swaleh"
    ).split(),
}
LAST_NAMES = {
    "nairobi": (
        "Kariuki Odhiambo Wafula Njoroge Ochieng Mutiso Kiplagat Maina Owino Nyaga Barasa "
        "Koech Wekesa Kimani Omolo Chege"
    ).split(),
    "mombasa": "Mohamed Abdalla Mwinyi Said Bakari Athman Shee Kombo Nassir Mazrui".split(),
}
BUSINESSES = [
    f"{{area}} {kind}"
    for kind in (
        "Pharmacy",
        "Dental Clinic",
        "Bistro",
        "Academy",
        "Guest House",
        "Hardware",
        "Auto Spares",
        "Fitness Centre",
    )
]
# Technician stock counts: period -> variances (product, difference, reason, note).
COUNT_PLAN = {
    2: [("patch_cord", -1, "damaged", "Connector snapped in the van door.")],
    4: [("cable_tie", -10, "unrecorded_use", "Used on a pole run, not booked.")],
    5: [("fast_connector", 3, "found", "Spare bag under the seat.")],
    6: [("drop_cable", -25, "unrecorded_use", "Extra drop on the Bamburi job.")],
    9: [
        ("cable_clip", -30, "unrecorded_use", "Clips used on a relocation, not booked."),
        ("patch_cord", 1, "found", "Returned by a colleague."),
    ],
    10: [("ont_hg8245", -1, "lost", "ONT missing from the van: reported to security.")],
}
# Loss reports: period -> (technician, type, product, quantity, description).
# The approver's charge-back decisions (the others: no charge).
LOSS_CHARGES = {
    ("john", "patch_cord"): {
        "charge": "full",
        "charge_reason": "Left at the pole after the job: the checklist says bring back spares.",
    },
    ("ali", "ont_hg8245"): {
        "charge": "percent",
        "charge_reason": "Van left unlocked at the market: the policy share applies.",
    },
}
LOSS_PLAN = {
    1: ("john", "lost", "patch_cord", 3, "Three patch cords left at a pole in Parklands."),
    3: (
        "peter",
        "damaged",
        "drop_cable",
        40,
        "Drop cable cut by a lorry while strung across Airport North Road.",
    ),
    5: (
        "ali",
        "stolen",
        "ont_hg8245",
        1,
        "Van broken into at Nyali market; police abstract OB 22/05.",
    ),
    7: ("mary", "damaged", "fast_connector", 6, "A box of fast connectors crushed in the van."),
    10: (
        "fatuma",
        "stolen",
        "power_meter",
        1,
        "Power meter taken from the kit bag at a site in Bamburi; police abstract OB 41/10.",
    ),
}
# Faulty CPE swapped on a repair: period -> (technician, what the storekeeper decides).
SWAP_PLAN = {3: ("john", "rma"), 6: ("peter", "rma"), 9: ("ali", "dispose")}
# Customers who cancel their service (the ONT comes back into the van): period -> tech.
DISCONNECTION_PLAN = {4: "fatuma", 8: "grace"}
# Technicians whose relocations set the materials aside first and return what is left.
RETURNING_TECHNICIANS = ("mary", "fatuma")
# Quarters: the office buys and the branches are restocked; slow movers bought later.
RESTOCK_PERIODS = (3, 6, 9)
SLOW_MOVERS = {7: [("switch_crs326", 2)], 10: [("sfp_10g", 4), ("fan_module", 1)]}

# The columns an operation sets to "now" (fields.Datetime.now()), per table: a step
# moves those it wrote to its simulated time. Rows a step creates also get it as
# creation date, and the date columns of DAY_COLUMNS its day.
NOW_COLUMNS = {
    "stock_picking": (
        "scheduled_date",
        "date_deadline",
        "date_done",
        "isp_approved_date",
        "isp_rejected_date",
    ),
    "stock_move": ("date", "date_deadline"),
    "stock_move_line": ("date",),
    "stock_quant": ("in_date",),
    "stock_lot": ("isp_installed_date",),
    "stock_scrap": ("date_done",),
    "purchase_order": ("date_order", "date_approve", "date_planned", "effective_date"),
    "purchase_order_line": ("date_planned",),
    "project_task": ("date_assign", "date_end", "date_last_stage_update", "isp_completed_date"),
    "isp_loss_report": ("isp_approved_date", "isp_charge_decided_date"),
    "isp_loss_charge": ("decided_date",),
    "isp_stock_count": ("date_done", "isp_approved_date"),
    "isp_refurbishment": ("date_received", "date_graded"),
    "repair_order": (),
    "mail_message": ("date",),
    "mail_tracking_value": ("old_value_datetime", "new_value_datetime"),
    "res_partner": (),
    "account_analytic_line": (),
}
DAY_COLUMNS = {"account_analytic_line": ("date",)}


class IspDemoHistory(models.AbstractModel):
    _name = "isp.demo.history"
    _description = "ISP Demo History"

    @api.model
    def _isp_load_demo_history(self):
        """Load the year of history of the demo ISP (once; demo data only)."""
        if not self.env.su:
            raise AccessError(self.env._("The demo history is loaded by the install only."))
        first_ont = self.env.ref("isp_inventory.lot_hwtc4a00001_demo", raise_if_not_found=False)
        if not first_ont or self.env["stock.move.line"].search_count(
            [("lot_id", "=", first_ont.id)]
        ):
            return False
        _IspDemoYear(self.env).run()
        return True


class _IspDemoYear:
    """One run of the demo history: the simulated clock, the people and the events."""

    def __init__(self, env):
        self.env = env
        self.rng = random.Random(2016)
        ref = env.ref
        self.company = ref("base.main_company")
        self.main = ref("stock.warehouse0")
        self.store = ref("isp_inventory.user_storekeeper_wanjiru_demo")
        self.approver = ref("isp_inventory.user_approver_omondi_demo")
        self.office = ref("base.user_admin")
        self.techs = {name: ref(f"isp_inventory.tech_{name}_demo") for name in TECHNICIANS}
        keys = set(MAIN_TARGETS) | set(GO_LIVE_SERIALS) | {"router_archer"}
        self.products = {key: ref(f"isp_inventory.product_{key}_demo") for key in keys}
        self.project = ref("isp_field_service.project_field_jobs")
        self.job_types = {key: ref(f"isp_field_service.job_type_{key}") for key in JOB_LABELS}
        self.final_lots = self._lots(FINAL_ONTS) | self._lots(FINAL_ROUTERS)
        self.serial_counter = {}
        self.name_counter = 0
        # each technician's customers with what is installed there: [(partner, lot)]
        self.installed = {name: [] for name in TECHNICIANS}
        self.midnight = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.start = None
        self.day = None  # the day being run: [day, time of its last step, markers]
        self.first_id = {}

    def _lots(self, names):
        return self.env["stock.lot"].browse(
            [self.env.ref(f"isp_inventory.lot_{name}_demo").id for name in names]
        )

    def _product(self, key):
        return self.products.get(key) or self.env.ref(f"isp_inventory.product_{key}_demo")

    # ------------------------------------------------------------------
    # The simulated clock
    # ------------------------------------------------------------------
    def at(self, day, hour):
        """UTC datetime of `day` (days from today, negative) at `hour` Nairobi time."""
        return self.midnight + timedelta(days=day, hours=hour - UTC_OFFSET)

    @contextmanager
    def step(self, day, hour):
        """Run the operations of the block on `day` at `hour`. The operations of a day
        are dated together, when the next day starts (see `_close_day`)."""
        when = self.at(day, hour)
        if self.day is not None and self.day[0] != day:
            self._close_day()
        if self.day is None:
            self.day = [day, when, self._markers()]
        self.day[1] = max(self.day[1], when)
        yield when

    def _close_day(self):
        """Date what the operations of the open day wrote at its last step's time."""
        if self.day is not None:
            _day, when, markers = self.day
            self.day = None
            self._backdate(when, markers)

    def _markers(self):
        """The last id of each table before a step: rows above it are the step's."""
        columns = SQL(", ").join(
            SQL("(SELECT COALESCE(MAX(id), 0) FROM %s)", SQL.identifier(table))
            for table in NOW_COLUMNS
        )
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT %s", columns))
        return dict(zip(NOW_COLUMNS, self.env.cr.fetchone(), strict=True))

    def _backdate(self, when, markers):
        """Date what the step wrote: its rows' creation dates, and every column of
        NOW_COLUMNS it set to "now" (any value since the history started: earlier steps
        have moved theirs into the past already) at `when`.

        Why SQL: the operations run now and set their dates from the clock; moving them
        into the past is a correction no operation offers. The ORM refuses it by design
        on done records (the done lock), and `action_isp_edit_done` would log a false
        correction with a reason on every transfer and job of the year; creation dates
        are written by the ORM only, never by `write`. The history is made of real
        operations: only their dates are moved, here, in the same transaction, before
        anyone sees them. The tracking messages of the step are written first (they are
        dated too); stored values computed from dates are recomputed at the end."""
        env = self.env
        env.flush_all()
        env.cr.precommit.run()
        env.flush_all()
        for table, columns in NOW_COLUMNS.items():
            marker = markers[table]
            assignments = [
                SQL("create_date = CASE WHEN id > %s THEN %s ELSE create_date END", marker, when),
                SQL("write_date = CASE WHEN id > %s THEN %s ELSE write_date END", marker, when),
            ]
            conditions = [SQL("id > %s", marker)]
            for column in columns:
                name = SQL.identifier(column)
                assignments.append(
                    SQL(
                        "%s = CASE WHEN %s >= %s THEN %s ELSE %s END",
                        name,
                        name,
                        self.start,
                        when,
                        name,
                    )
                )
                conditions.append(
                    SQL("%s >= %s", name, self.start)
                    if table == "stock_lot"
                    else SQL("(id > %s AND %s >= %s)", self.first_id[table], name, self.start)
                )
            for column in DAY_COLUMNS.get(table, ()):
                name = SQL.identifier(column)
                assignments.append(
                    SQL(
                        "%s = CASE WHEN id > %s THEN %s ELSE %s END",
                        name,
                        marker,
                        when.date(),
                        name,
                    )
                )
            env.cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE %s",
                    SQL.identifier(table),
                    SQL(", ").join(assignments),
                    SQL(" OR ").join(conditions),
                )
            )
        env.invalidate_all()

    def _context_at(self, when):
        """Sequences numbered by year (LOSS/2025/…, CNT/2025/…) take the simulated one."""
        return {"ir_sequence_date": fields.Datetime.to_string(when)}

    # ------------------------------------------------------------------
    # Stock helpers
    # ------------------------------------------------------------------
    def _free(self, product, location):
        """Unreserved quantity of `product` in `location`."""
        return self.env["stock.quant"]._get_available_quantity(product, location)

    def _serials_in(self, product, location, count, allow_final=False):
        """Up to `count` free serials of `product` in `location`, oldest first (FIFO);
        the present day's serials only when `allow_final`."""
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", location.id),
                ("lot_id", "!=", False),
                ("quantity", ">", 0),
                ("reserved_quantity", "=", 0),
            ],
            order="in_date, lot_id",
        )
        lots = quants.lot_id
        if not allow_final:
            lots -= self.final_lots
        return lots[: int(count)]

    def _available(self, product, location, allow_final=False):
        if product.tracking == "serial":
            return len(self._serials_in(product, location, 10**6, allow_final))
        return self._free(product, location)

    def _new_serials(self, product, count):
        """Serials for a purchase of `product`, named as the vendor numbers them."""
        prefix = {
            "ont_hg8245": "HWTC4B",
            "router_archer": "ARC6-B",
            "power_meter": "OPM-",
            "sfp_10g": "SFP10G-B",
            "fan_module": "FAN-B",
            "switch_crs326": "CRS326-B",
        }
        key = next(key for key, value in self.products.items() if value == product)
        names = []
        for _index in range(int(count)):
            self.serial_counter[key] = self.serial_counter.get(key, 0) + 1
            start = 6 if key == "power_meter" else 0  # OPM-00001..6 are the kits'
            number = self.serial_counter[key] + start
            digits = 4 if key == "router_archer" else 5
            names.append(f"{prefix[key]}{number:0{digits}d}")
        return (
            self.env["stock.lot"]
            .with_user(self.store)
            .create(
                [
                    {"name": name, "product_id": product.id, "company_id": self.company.id}
                    for name in names
                ]
            )
        )

    def _prepare_and_validate(self, picking, serials=None):
        """The storekeeper prepares `picking` and validates it: the serials given (per
        move or per product), else those Odoo reserved (its FIFO), unless they include
        the present day's serials: then the oldest others."""
        serials = serials or {}
        if picking.state != "assigned":
            picking.action_assign()
        for move in picking.move_ids.filtered(lambda m: m.state != "cancel"):
            product = move.product_id
            if product.tracking == "serial":
                lots = serials.get(move, serials.get(product))
                reserved = move.move_line_ids.lot_id
                if lots is None and (
                    reserved & self.final_lots or len(reserved) < move.product_uom_qty
                ):
                    move.move_line_ids.unlink()
                    lots = self._serials_in(product, move.location_id, move.product_uom_qty)
                if lots is not None:
                    self._set_serials(picking.env.user, move, lots)
            elif move.product_uom.compare(move.quantity, move.product_uom_qty) < 0:
                move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=picking.ids, skip_sms=True
        ).button_validate()
        if picking.state != "done":
            raise UserError(
                self.env._("Demo history: %(name)s could not be validated.", name=picking.name)
            )
        return picking

    def _set_serials(self, user, move, lots):
        if move.move_line_ids.lot_id == lots and len(move.move_line_ids) == len(lots):
            return
        move.move_line_ids.unlink()
        self.env["stock.move.line"].with_user(user).create(
            [
                {
                    "move_id": move.id,
                    "picking_id": move.picking_id.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_id.uom_id.id,
                    "lot_id": lot.id,
                    "quantity": 1.0,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
                for lot in lots
            ]
        )

    def _transfer(self, source, destination, lines, serials=None):
        """The storekeeper moves `lines` [(product, quantity)] from `source` to
        `destination` (an internal transfer of the main warehouse) and validates."""
        picking = (
            self.env["stock.picking"]
            .with_user(self.store)
            .create(
                {
                    "picking_type_id": self.main.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "move_ids": [
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
                }
            )
        )
        picking.action_confirm()
        return self._prepare_and_validate(picking, serials)

    # ------------------------------------------------------------------
    # Buying, restocking, requests
    # ------------------------------------------------------------------
    def _purchase(self, ordered_day, received_day, lines):
        """The office orders `lines` [(product, quantity, serials or None)] from each
        product's vendor; the storekeeper receives them at the main warehouse."""
        by_vendor = {}
        for product, quantity, lots in lines:
            if quantity > 0:
                vendor = product.seller_ids[:1].partner_id
                by_vendor.setdefault(vendor, []).append((product, quantity, lots))
        orders = self.env["purchase.order"]
        with self.step(ordered_day, 9) as when:
            for vendor, vendor_lines in by_vendor.items():
                order = (
                    self.env["purchase.order"]
                    .with_user(self.office)
                    .create(
                        {
                            "partner_id": vendor.id,
                            "picking_type_id": self.main.in_type_id.id,
                            "date_order": when,
                            "order_line": [
                                Command.create(
                                    {
                                        "product_id": product.id,
                                        "product_qty": quantity,
                                        "price_unit": product.seller_ids[:1].price,
                                        "date_planned": self.at(received_day, 8),
                                    }
                                )
                                for product, quantity, _lots in vendor_lines
                            ],
                        }
                    )
                )
                order.button_confirm()
                orders |= order
        with self.step(received_day, 8):
            for order, (_vendor, vendor_lines) in zip(orders, by_vendor.items(), strict=True):
                receipt = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
                serials = {}
                for line, (product, quantity, lots) in zip(
                    order.order_line, vendor_lines, strict=True
                ):
                    if product.tracking == "serial":
                        lots = lots or self._new_serials(product, quantity)
                        for move in receipt.move_ids.filtered(
                            lambda m, line=line: m.purchase_line_id == line
                        ):
                            serials[move] = lots
                self._prepare_and_validate(receipt.with_user(self.store), serials)

    def _purchase_to_targets(self, ordered_day, received_day, extra=()):
        """Order what brings the main warehouse back to its targets, plus `extra`."""
        stock = self.main.lot_stock_id
        extra_products = {product for product, _quantity, _lots in extra}
        lines = [
            (self.products[key], target - self._available(self.products[key], stock, True), None)
            for key, target in MAIN_TARGETS.items()
            if self.products[key] not in extra_products
        ]
        self._purchase(ordered_day, received_day, [*lines, *extra])

    def _restock_branch(self, day, branch, targets=None, serials=None):
        """The storekeeper tops `branch` up to its targets from the main warehouse."""
        main_stock, stock = self.main.lot_stock_id, branch.lot_stock_id
        lines = []
        targets = BRANCH_TARGETS if targets is None else targets
        for key, target in targets.items():
            product = self._product(key)
            wanted = target - self._available(product, stock, True)
            quantity = min(wanted, self._available(product, main_stock))
            if product.uom_id.compare(quantity, 0) > 0:
                lines.append((product, quantity))
        for product, lots in (serials or {}).items():
            lines.append((product, len(lots)))
        if lines:
            with self.step(day, 6.75):
                self._transfer(main_stock, stock, lines, serials)

    def _van_request(self, day, name, wanted, serials=None):
        """Technician `name` asks for `wanted` {product: quantity} into the van; the
        approver approves it when it must, the storekeeper prepares and validates it.
        Returns the request, or nothing when the branch cannot serve any of it."""
        tech = self.techs[name]
        stock = tech.warehouse_id.lot_stock_id
        if any(self._available(p, stock) < q for p, q in wanted.items() if not serials):
            self._restock_branch(day, tech.warehouse_id)
        lines = []
        for product, quantity in wanted.items():
            quantity = (
                len(serials[product])
                if serials and product in serials
                else min(quantity, self._available(product, stock))
            )
            if product.uom_id.compare(quantity, 0) > 0:
                lines.append({"product_id": product.id, "quantity": quantity})
        if not lines:
            return None
        with self.step(day, 7):
            picking_id = tech.with_user(tech.user_id).action_isp_request(lines)
            picking = self.env["stock.picking"].browse(picking_id)
        if picking.isp_approval_state == "to_approve":
            with self.step(day, 7.4):
                picking.with_user(self.approver).action_isp_approve()
        with self.step(day, 7.8):
            self._prepare_and_validate(picking.with_user(self.store), serials)
        return picking

    def _top_up_van(self, day, name, needs):
        """Before a job: when the van lacks what the job needs, the technician asks for
        everything back to the van's targets."""
        van = self.techs[name].vehicle_location_id
        lacking = any(
            self._available(self._product(key), van) < quantity for key, quantity in needs.items()
        )
        if not lacking:
            return
        wanted = {}
        for key, target in VAN_TARGETS.items():
            product = self._product(key)
            missing = target - self._available(product, van, True)
            if product.uom_id.compare(missing, 0) > 0:
                wanted[product] = missing
        self._van_request(day, name, wanted)

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    def _new_customer(self, name):
        """A new subscriber in the technician's area, registered by the office."""
        branch_key = next(
            key
            for key in AREAS
            if self.env.ref(f"isp_inventory.{key}_demo") == self.techs[name].warehouse_id
        )
        region = "mombasa" if branch_key == "branch_nyali" else "nairobi"
        area, street, latitude, longitude = self.rng.choice(AREAS[branch_key])
        self.name_counter += 1
        if self.name_counter % 6 == 0:
            partner_name = self.rng.choice(BUSINESSES).format(area=area)
            is_company = True
        else:
            partner_name = (
                f"{self.rng.choice(FIRST_NAMES[region])} {self.rng.choice(LAST_NAMES[region])}"
            )
            is_company = False
        return (
            self.env["res.partner"]
            .with_user(self.office)
            .create(
                {
                    "name": partner_name,
                    "is_company": is_company,
                    "street": f"{street} {self.rng.randint(2, 240)}, {area}",
                    "city": "Mombasa" if region == "mombasa" else "Nairobi",
                    "country_id": self.env.ref("base.ke").id,
                    "phone": f"+254 7{self.rng.randint(10, 99)} {self.rng.randint(100, 999)} "
                    f"{self.rng.randint(100, 999)}",
                    "partner_latitude": latitude + self.rng.uniform(-0.004, 0.004),
                    "partner_longitude": longitude + self.rng.uniform(-0.004, 0.004),
                }
            )
        )

    def _schedule(self, day, plan):
        """The storekeeper books a period's jobs `plan` [(day, hour, tech, kind,
        customer or None, extra)] and suggests their materials; returns the jobs."""
        jobs = []
        with self.step(day, 8):
            Task = self.env["project.task"].with_user(self.store)
            for job_day, hour, name, kind, customer, extra in plan:
                customer = customer or self._new_customer(name)
                job = Task.create(
                    {
                        "name": f"{JOB_LABELS[kind]} - {customer.name}",
                        "project_id": self.project.id,
                        "isp_job_type_id": self.job_types[kind].id,
                        "isp_technician_id": self.techs[name].id,
                        "partner_id": customer.id,
                        "isp_scheduled_date": self.at(job_day, hour),
                    }
                )
                job.action_isp_suggest_materials()
                jobs.append((job_day, hour, name, kind, job, extra))
        return jobs

    def _usage(self, name, kind, extra):
        """What technician `name` reports using on a job of `kind`: [lines], or None when
        the van cannot do it (an installation without a serial in the van)."""
        van = self.techs[name].vehicle_location_id
        rng = self.rng
        amounts = {
            "ftth_installation": {
                "drop_cable": rng.choice([30, 35, 40, 45, 50, 60]),
                "fast_connector": 2,
                "patch_cord": 1,
                "wall_socket": 1,
                "cable_clip": rng.randint(15, 30),
            },
            "wireless_installation": {"rj45": 4, "cable_tie": rng.randint(6, 12)},
            "repair": {
                "drop_cable": rng.choice([0, 10, 15, 20]),
                "fast_connector": 2,
                "patch_cord": rng.choice([0, 1]),
                "ont_psu": 1 if rng.random() < 0.3 else 0,
            },
            "relocation": {
                "drop_cable": 15 if extra.get("return") else rng.choice([20, 25, 30, 35]),
                "fast_connector": 2,
                "wall_socket": 1,
                "cable_clip": 8 if extra.get("return") else rng.randint(10, 20),
            },
            "disconnection": {},
        }[kind]
        lines = []
        for key, quantity in amounts.items():
            product = self._product(key)
            quantity = min(quantity, self._available(product, van))
            if quantity > 0:
                lines.append({"product_id": product.id, "qty_used": quantity})
        serial_key = {"ftth_installation": "ont_hg8245", "wireless_installation": "router_archer"}
        if kind in serial_key or extra.get("swap"):
            product = self._product(serial_key.get(kind, "ont_hg8245"))
            lots = extra.get("lots") or self._serials_in(product, van, 1)
            if not lots:
                return None
            lines.append({"product_id": product.id, "lots": lots.ids})
        return lines

    def _complete(self, job_day, hour, name, kind, job, extra):
        """Technician `name` does the job: starts it and completes it with what was used,
        the serial installed, the GPS position and the ONT's receive power."""
        self._top_up_van(
            job_day, name, JOB_NEEDS[kind] | ({"ont_hg8245": 1} if extra.get("swap") else {})
        )
        lines = self._usage(name, kind, extra)
        tech = self.techs[name]
        if lines is None:
            with self.step(job_day, hour):
                job.with_user(self.store).write({"state": "1_canceled"})
            return
        customer = job.partner_id
        values = {
            "lines": lines,
            "leftover": "carry",
            "latitude": customer.partner_latitude + self.rng.uniform(-0.0002, 0.0002),
            "longitude": customer.partner_longitude + self.rng.uniform(-0.0002, 0.0002),
        }
        installed = [line["lots"][0] for line in lines if line.get("lots")]
        if not installed:
            # a repair may have been planned with a spare ONT (suggested from past swaps):
            # the technician says why none was installed (logged on the job only then)
            values["no_serial_reason"] = "The customer's ONT works: no replacement needed."
        if installed and kind != "wireless_installation":
            values["rx_power_dbm"] = round(self.rng.uniform(-24.5, -16.0), 1)
            values["olt_port"] = (
                f"OLT-{tech.warehouse_id.code}-01 0/{self.rng.randint(1, 4)}/"
                f"{self.rng.randint(0, 15)}"
            )
        removed = extra.get("removed")
        if removed:
            values["removed"] = [{"lot": removed.id, "faulty": bool(extra.get("swap"))}]
        job = job.with_user(tech.user_id)
        if extra.get("return"):
            with self.step(job_day - 1, 16):
                job.action_isp_issue_materials()
            values["leftover"] = "return"
        with self.step(job_day, hour):
            job.action_isp_start()
            job.action_isp_complete(values)
        self._record_installation(name, kind, job, installed, removed)
        if extra.get("return"):
            leftovers = job.sudo().isp_picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
                and p.location_id == tech.vehicle_location_id
            )
            if leftovers:
                with self.step(job_day + 1, 8.5):
                    for picking in leftovers:
                        self._prepare_and_validate(picking.with_user(self.store))

    def _record_installation(self, name, kind, job, installed, removed):
        customers = self.installed[name]
        if removed:
            customers[:] = [(c, lot) for c, lot in customers if lot != removed]
        if installed and kind in ("ftth_installation", "repair"):
            lot = self.env["stock.lot"].browse(installed[0])
            if lot.product_id == self.products["ont_hg8245"]:
                customers.append((job.partner_id, lot))

    def _installed_customer(self, name, serial=False):
        """A customer of technician `name` (with their installed ONT when `serial`)."""
        customers = [
            (partner, lot)
            for partner, lot in self.installed[name]
            if lot.isp_state == "installed" and lot.isp_customer_id == partner
        ]
        if not customers:
            return None, None
        return customers[self.rng.randrange(len(customers))] if not serial else customers[0]

    # ------------------------------------------------------------------
    # Losses, counts, quarantine decisions
    # ------------------------------------------------------------------
    def _loss(self, day, plan):
        name, loss_type, key, quantity, description = plan
        tech = self.techs[name]
        product = self._product(key)
        line = {"product_id": product.id, "quantity": quantity}
        if product.tracking == "serial":
            location = (
                tech.kit_location_id
                if product.isp_item_class == "tool"
                else tech.vehicle_location_id
            )
            lot = self._serials_in(product, location, 1)
            if not lot:
                return None
            line.update(lot_id=lot.id, quantity=1)
        with self.step(day, 12) as when:
            report = (
                self.env["isp.loss.report"]
                .with_user(tech.user_id)
                .with_context(**self._context_at(when))
                .create(
                    {
                        "technician_id": tech.id,
                        "loss_type": loss_type,
                        "date": when.date(),
                        "description": description,
                        "line_ids": [Command.create(line)],
                    }
                )
            )
            report.action_submit()
        with self.step(day + 1, 9.5):
            report.with_user(self.approver).action_approve(**LOSS_CHARGES.get((name, key), {}))
        return report

    def _count(self, day, name, variances):
        """The storekeeper counts technician `name`'s van and kit and applies the count
        (the approver approves a variance above the company's threshold)."""
        tech = self.techs[name]
        shortfalls = {key: -difference for key, difference, *_rest in variances if difference < 0}
        if shortfalls:
            self._top_up_van(day, name, shortfalls)
        with self.step(day, 10) as when:
            count = (
                self.env["isp.stock.count"]
                .with_user(self.store)
                .with_context(**self._context_at(when))
                .create({"technician_id": tech.id, "kind": "monthly", "date": when.date()})
            )
            count.action_start()
            for key, difference, reason, note in variances:
                product = self._product(key)
                lines = count.line_ids.filtered(
                    lambda line, product=product: line.product_id == product
                    and line.location_id == tech.vehicle_location_id
                    and line.lot_id not in self.final_lots
                )[:1]
                if lines and lines.expected_qty + difference >= 0:
                    lines.write(
                        {
                            "counted_qty": lines.expected_qty + difference,
                            "reason": reason,
                            "note": note,
                        }
                    )
            count.action_apply()
        if count.isp_approval_state == "to_approve":
            with self.step(day, 15):
                count.with_user(self.approver).action_approve()

    def _quarantine_decision(self, day, lot, decision):
        with self.step(day, 11):
            lot = lot.with_user(self.store)
            if decision == "rma":
                lot.action_isp_return_to_vendor()
            else:
                lot.action_isp_dispose("Lightning damage: not covered by the warranty")

    # ------------------------------------------------------------------
    # The year
    # ------------------------------------------------------------------
    def run(self):
        # Everything the history writes is at or after `start` (a whole second, so that
        # nothing written before it shares it).
        time.sleep(1.0 - datetime.now().microsecond / 1e6)
        self.start = datetime.now().replace(microsecond=0)
        self.first_id = self._markers()
        self._date_odoo_sample_trade()
        self._go_live()
        for period in range(PERIODS):
            self._period(period)
        self._present_day_serials()
        self._present_day_jobs()
        self._present_day_refurbishment()
        self._close_day()
        self._recompute()

    def _date_odoo_sample_trade(self):
        """Odoo's own demo trade of the main company (furniture receipts, deliveries and
        adjustments done, the rest cancelled by isp_inventory's demo, the products
        archived) cannot be undone: it is dated 40 days before the ISP's first year, so
        that no period of the ISP's history (and no list sorted by date) starts with it."""
        when = self.at(GO_LIVE - 40, 9)
        for table, columns in (
            ("stock_move", ("date",)),
            ("stock_move_line", ("date",)),
            ("stock_picking", ("scheduled_date", "date_done")),
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE state IN ('done', 'cancel') AND company_id = %s",
                    SQL.identifier(table),
                    SQL(", ").join(
                        SQL(
                            "%s = CASE WHEN %s IS NULL THEN NULL ELSE %s END",
                            SQL.identifier(column),
                            SQL.identifier(column),
                            when,
                        )
                        for column in columns
                    ),
                    self.company.id,
                )
            )
        self.env.invalidate_all()

    def _go_live(self):
        """Day one: the first purchases, the branches stocked, every technician's kit."""
        extra = [
            (self.products[key], len(names), self._lots(names))
            for key, names in GO_LIVE_SERIALS.items()
        ]
        extra.append((self.products["power_meter"], 1, None))  # a spare
        initial = [
            (self.products[key], MAIN_TARGETS[key] + 3 * BRANCH_TARGETS[key], None)
            for key in MAIN_TARGETS
        ]
        self._purchase(GO_LIVE - 7, GO_LIVE, [*initial, *extra])
        tools = {"splicer": "fs41s", "power_meter": "opm", "crimper": "crmp"}
        for branch_key, names in (
            ("branch_westlands", ("john", "mary")),
            ("branch_embakasi", ("peter", "grace")),
            ("branch_nyali", ("ali", "fatuma")),
        ):
            numbers = [TECHNICIANS.index(name) + 1 for name in names]
            serials = {
                self.products[key]: self._lots([f"{prefix}_{n:05d}" for n in numbers])
                for key, prefix in tools.items()
            }
            self._restock_branch(
                GO_LIVE + 1, self.env.ref(f"isp_inventory.{branch_key}_demo"), serials=serials
            )
        pickings = self.env["stock.picking"]
        with self.step(GO_LIVE + 2, 10):
            for tech in self.techs.values():
                pickings |= self.env["stock.picking"].browse(
                    tech.with_user(self.store).action_issue_kit()
                )
        with self.step(GO_LIVE + 2, 14):
            pickings.filtered(lambda p: p.isp_approval_state == "to_approve").with_user(
                self.approver
            ).action_isp_approve()
        with self.step(GO_LIVE + 3, 8):
            for index, name in enumerate(TECHNICIANS, start=1):
                tech = self.techs[name]
                serials = {
                    self.products[key]: self._lots([f"{prefix}_{index:05d}"])
                    for key, prefix in tools.items()
                }
                for picking in pickings.filtered(
                    lambda p, tech=tech: p.location_dest_id in tech._isp_locations()
                ):
                    self._prepare_and_validate(picking.with_user(self.store), serials)

    def _period(self, period):
        """A month of the ISP: purchases every other month, the branches restocked, the
        technicians' jobs, a count and now and then a loss."""
        start = GO_LIVE + 30 * period
        if period in RESTOCK_PERIODS:
            self._purchase_to_targets(start - 7, start - 1)
            for branch_key in AREAS:
                self._restock_branch(start + 1, self.env.ref(f"isp_inventory.{branch_key}_demo"))
        if period in SLOW_MOVERS:
            # spares for the core network, kept in the main warehouse
            spares = [(self.products[key], quantity, None) for key, quantity in SLOW_MOVERS[period]]
            self._purchase(start - 7, start - 1, spares)
        plan = self._period_jobs(period, start)
        events = [(job[0], job[1], "job", job) for job in self._schedule(start, plan)]
        if period in LOSS_PLAN:
            events.append((start + 11, 12, "loss", LOSS_PLAN[period]))
        if period:
            counted = TECHNICIANS[(period - 1) % len(TECHNICIANS)]
            events.append((start + 17, 10, "count", (counted, COUNT_PLAN.get(period, []))))
        for day, _hour, kind, payload in sorted(events, key=lambda event: event[:2]):
            self._event(day, kind, payload)

    def _event(self, day, kind, payload):
        if kind == "job":
            self._complete(*payload)
            extra = payload[5]
            if extra.get("swap") in ("rma", "dispose"):
                self._quarantine_decision(day + 5, extra["removed"], extra["swap"])
        elif kind == "loss":
            report = self._loss(day, payload)
            if report and payload[2] == "power_meter":
                self._replace_tool(day + 1, payload[0], "power_meter")
        else:
            self._count(day, *payload)

    def _period_jobs(self, period, start):
        """[(day, hour, tech, kind, customer, extra)] of a period, by technician."""
        plan = []
        for index, name in enumerate(TECHNICIANS):
            if (period + index) % 3 == 0:
                plan.append((start + 3 + 4 * index, 10, name, "ftth_installation", None, {}))
            if index % 2 == 0 and period == 3 + index:
                plan.append((start + 13 + index, 11, name, "wireless_installation", None, {}))
            customer, lot = self._installed_customer(name)
            if customer and period % 6 == index:
                plan.append((start + 19 + index, 14, name, "repair", customer, {}))
            if customer and index % 2 == 1 and period == 5 + index // 2:
                extra = {"return": True} if name in RETURNING_TECHNICIANS else {}
                plan.append((start + 25, 9, name, "relocation", customer, extra))
            if SWAP_PLAN.get(period, ("",))[0] == name:
                customer, lot = self._installed_customer(name, serial=True)
                if customer:
                    extra = {"swap": SWAP_PLAN[period][1], "removed": lot}
                    plan.append((start + 22, 15, name, "repair", customer, extra))
            if DISCONNECTION_PLAN.get(period) == name:
                customer, lot = self._installed_customer(name, serial=True)
                if customer:
                    plan.append((start + 16, 13, name, "disconnection", customer, {"removed": lot}))
        # one job per technician, day and hour
        seen, unique = set(), []
        for entry in plan:
            if entry[:3] not in seen and entry[0] <= -2:
                seen.add(entry[:3])
                unique.append(entry)
        return unique

    def _replace_tool(self, day, name, key):
        """A stolen tool is replaced from the main warehouse's spares: the branch gets
        one, and the storekeeper tops the technician's kit up with its tools."""
        tech = self.techs[name]
        product = self.products[key]
        spares = self._serials_in(product, self.main.lot_stock_id, 1)
        if not spares:
            return
        self._restock_branch(day, tech.warehouse_id, targets={}, serials={product: spares})
        with self.step(day, 10):
            pickings = tech.with_user(self.store)._isp_issue_kit(line_types=("tool",))
        waiting = pickings.filtered(lambda p: p.isp_approval_state == "to_approve")
        if waiting:
            with self.step(day, 14):
                waiting.with_user(self.approver).action_isp_approve()
        with self.step(day + 1, 8):
            for picking in pickings:
                self._prepare_and_validate(picking.with_user(self.store))

    def _present_day_serials(self):
        """The serials the present day of the demo uses arrive last: bought, spread over
        the branches, two ONTs into each van."""
        lines = [
            (self.products["ont_hg8245"], len(FINAL_ONTS), self._lots(FINAL_ONTS)),
            (self.products["router_archer"], len(FINAL_ROUTERS), self._lots(FINAL_ROUTERS)),
        ]
        self._purchase_to_targets(-33, -26, extra=lines)
        for branch_key, (onts, routers) in BRANCH_FINAL_SERIALS.items():
            serials = {
                self.products["ont_hg8245"]: self._lots([f"hwtc4a{n:05d}" for n in onts]),
                self.products["router_archer"]: self._lots([f"arc6_{n:05d}" for n in routers]),
            }
            branch = self.env.ref(f"isp_inventory.{branch_key}_demo")
            self._restock_branch(-24, branch, targets={}, serials=serials)
        for index, name in enumerate(TECHNICIANS):
            first = 25 + 2 * index
            onts = self._lots([f"hwtc4a{n:05d}" for n in (first, first + 1)])
            self._van_request(
                -20, name, {self.products["ont_hg8245"]: 2}, {self.products["ont_hg8245"]: onts}
            )

    def _present_day_jobs(self):
        """The last weeks of the demo's own customers (isp_inventory demo): Wanjiru's
        first ONT fails and is swapped, Otieno and the Kilimani clinic are connected."""
        wanjiru = self.env.ref("isp_inventory.customer_wanjiru_demo")
        plan = [
            (-12, 10, "john", "ftth_installation", wanjiru, {"lots": self._lots(["hwtc4a00026"])}),
            (
                -8,
                11,
                "mary",
                "ftth_installation",
                self.env.ref("isp_inventory.customer_otieno_demo"),
                {"lots": self._lots(["hwtc4a00027"])},
            ),
            (
                -6,
                10,
                "peter",
                "ftth_installation",
                self.env.ref("isp_inventory.customer_kilimani_dental_demo"),
                {"lots": self._lots(["hwtc4a00029"])},
            ),
        ]
        for job in self._schedule(-14, plan):
            self._complete(*job)
        swap = {
            "swap": "keep",
            "lots": self._lots(["hwtc4a00025"]),
            "removed": self._lots(["hwtc4a00026"]),
        }
        for job in self._schedule(-4, [(-3, 9, "john", "repair", wanjiru, swap)]):
            self._complete(*job)

    def _present_day_refurbishment(self):
        """Churn: three customers of the history leave and the storekeeper takes their
        ONT back into the branch refurbishment location; one unit is graded A (back to
        stock, reissuable), one C (to repair), one waits for its checklist."""
        churned = []
        for name in ("john", "mary", "grace"):
            customer, lot = self._installed_customer(name, serial=True)
            if lot:
                churned.append((name, customer, lot))
        for name, customer, lot in churned:
            with self.step(-10, 15):
                lot.with_user(self.store)._isp_take_back(
                    self.techs[name],
                    customer,
                    refurbish=True,
                    reason="Customer left (churn): service cancelled",
                )
        Refurbishment = self.env["isp.refurbishment"]
        pending = Refurbishment.search(
            [("lot_id", "in", [lot.id for _n, _c, lot in churned]), ("state", "=", "pending")],
            order="id",
        ).with_user(self.store)
        checklist = {
            "factory_reset": True,
            "cleaned": True,
            "power_on_test": True,
            "firmware_noted": True,
            "firmware_version": "V5R020C00S115",
            "accessories_complete": True,
        }
        for day, grade, refurbishment in zip((-9, -7), ("a", "c"), pending, strict=False):
            with self.step(day, 10):
                refurbishment.write(checklist)
                refurbishment.action_grade(grade)

    def _recompute(self):
        """Stored values computed from the dates moved above: each serial's receipt date
        (and so its warranty); the demo's own serials were created when it loaded and
        date from their receipt."""
        Lot = self.env["stock.lot"]
        lots = Lot.search([("product_id.isp_item_class", "!=", False)])
        self.env.add_to_compute(Lot._fields["isp_receipt_date"], lots)
        self.env.add_to_compute(Lot._fields["isp_warranty_end"], lots)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_lot SET create_date = isp_receipt_date "
                "WHERE id IN %s AND isp_receipt_date < create_date",
                tuple(lots.ids) or (0,),
            )
        )
        self.env.invalidate_all()
