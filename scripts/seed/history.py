"""Write the stories (stories.py) into Odoo's tables by COPY, in the shape Odoo's own
validation leaves them: done transfers with their moves and move lines, serials with
their install record, job cards of the field-jobs project. Ids from the tables' id
sequences, transfer names from each picking type's ir.sequence."""

import time
from datetime import timedelta

from psycopg2 import sql as pgsql

from .common import Ids, Names, Progress, copy_rows, log
from .stories import Stories

PICKING_COLUMNS = (
    "id",
    "name",
    "origin",
    "state",
    "date_done",
    "scheduled_date",
    "location_id",
    "location_dest_id",
    "picking_type_id",
    "partner_id",
    "company_id",
    "user_id",
    "move_type",
    "priority",
    "isp_task_id",
    "isp_warehouse_id",
    "isp_region_id",
    "isp_approval_state",
    "isp_requested_by_id",
    "isp_approved_by_id",
    "isp_approved_date",
    "is_locked",
    "printed",
    "has_deadline_issue",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
MOVE_COLUMNS = (
    "id",
    "sequence",
    "company_id",
    "product_id",
    "product_uom",
    "location_id",
    "location_dest_id",
    "location_final_id",
    "partner_id",
    "picking_id",
    "picking_type_id",
    "warehouse_id",
    "priority",
    "state",
    "origin",
    "procure_method",
    "reference",
    "product_qty",
    "product_uom_qty",
    "quantity",
    "picked",
    "propagate_cancel",
    "is_inventory",
    "additional",
    "inventory_name",
    "date",
    "price_unit",
    "value",
    "is_in",
    "is_out",
    "is_dropship",
    "isp_task_id",
    "purchase_line_id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
LINE_COLUMNS = (
    "id",
    "picking_id",
    "move_id",
    "company_id",
    "product_id",
    "product_uom_id",
    "lot_id",
    "location_id",
    "location_dest_id",
    "state",
    "quantity",
    "quantity_product_uom",
    "picked",
    "is_entire_pack",
    "date",
    "isp_warehouse_id",
    "isp_region_id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
LOT_COLUMNS = (
    "id",
    "name",
    "product_id",
    "company_id",
    "isp_mac_address",
    "isp_customer_id",
    "isp_installed_date",
    "isp_installed_by_id",
    "isp_latitude",
    "isp_longitude",
    "isp_rx_power_dbm",
    "isp_olt_port",
    "isp_task_id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
TASK_COLUMNS = (
    "id",
    "name",
    "project_id",
    "stage_id",
    "partner_id",
    "company_id",
    "sequence",
    "priority",
    "state",
    "active",
    "display_in_project",
    "recurring_task",
    "is_template",
    "has_template_ancestor",
    "allocated_hours",
    "date_assign",
    "date_end",
    "date_last_stage_update",
    "isp_job_type_id",
    "isp_technician_id",
    "isp_operation_id",
    "isp_job_state",
    "isp_latitude",
    "isp_longitude",
    "isp_scheduled_date",
    "isp_completed_date",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
ORDER_COLUMNS = (
    "id",
    "name",
    "partner_id",
    "currency_id",
    "company_id",
    "user_id",
    "picking_type_id",
    "state",
    "invoice_status",
    "receipt_status",
    "priority",
    "locked",
    "acknowledged",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_total_cc",
    "currency_rate",
    "date_order",
    "date_approve",
    "date_planned",
    "effective_date",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
ORDER_LINE_COLUMNS = (
    "id",
    "order_id",
    "sequence",
    "name",
    "product_id",
    "product_uom_id",
    "company_id",
    "partner_id",
    "qty_received_method",
    "product_qty",
    "product_uom_qty",
    "price_unit",
    "technical_price_unit",
    "discount",
    "price_subtotal",
    "price_tax",
    "price_total",
    "qty_invoiced",
    "qty_received",
    "qty_to_invoice",
    "is_downpayment",
    "propagate_cancel",
    "date_planned",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
FLUSH = 50_000
LOT_PREFIX = {"cpe": "HWTC", "network": "NETW", "tool": "TOOL", "spare": "SPRE"}


class Writer:
    """Rows buffered per table and COPY'd in blocks of FLUSH."""

    def __init__(self, env, world, progress):
        self.env, self.world, self.cr = env, world, env.cr
        self.progress = progress
        self.ids = {
            t: Ids(self.cr, t)
            for t in (
                "stock_picking",
                "stock_move",
                "stock_move_line",
                "stock_lot",
                "project_task",
                "purchase_order",
                "purchase_order_line",
            )
        }
        self.rows = {t: [] for t in self.ids}
        self.columns = {
            "stock_picking": PICKING_COLUMNS,
            "stock_move": MOVE_COLUMNS,
            "stock_move_line": LINE_COLUMNS,
            "stock_lot": LOT_COLUMNS,
            "project_task": TASK_COLUMNS,
            "purchase_order": ORDER_COLUMNS,
            "purchase_order_line": ORDER_LINE_COLUMNS,
            "purchase_order_stock_picking_rel": ("purchase_order_id", "stock_picking_id"),
        }
        self.rows["purchase_order_stock_picking_rel"] = []
        self.names = {}
        self.written = dict.fromkeys(self.columns, 0)
        self.seconds = dict.fromkeys(self.columns, 0.0)
        self.warehouse_of_type = {}
        self.region_of_warehouse = {}
        for ptype in world.picking_types.values():
            self.warehouse_of_type[ptype.id] = ptype.warehouse_id.id
            self.region_of_warehouse[ptype.warehouse_id.id] = ptype.warehouse_id.isp_region_id.id
        self.task_users = []

    def add(self, table, row):
        self.rows[table].append(row)
        if len(self.rows[table]) >= FLUSH:
            self.flush(table)

    def flush(self, table=None):
        # lots and tasks first: moves, lines and transfers point to them
        # the tables a row points to go first (job cards point to their operation
        # only once the transfers are written: set at the end)
        order = (
            "project_task",
            "stock_lot",
            "purchase_order",
            "purchase_order_line",
            "stock_picking",
            "purchase_order_stock_picking_rel",
            "stock_move",
            "stock_move_line",
        )
        last = order.index(table) if table else len(order) - 1
        for name in order[: last + 1]:
            self._copy(name)

    def _copy(self, table):
        rows = self.rows[table]
        if rows:
            t0 = time.perf_counter()
            self.written[table] += copy_rows(self.cr, table, self.columns[table], rows)
            self.seconds[table] += time.perf_counter() - t0
            if table == "stock_move_line":
                self.progress.add(len(rows))
            self.rows[table] = []

    def name_of(self, picking_type_id):
        if picking_type_id not in self.names:
            ptype = self.world.picking_types[picking_type_id]
            self.names[picking_type_id] = Names(self.env, ptype.sequence_id)
        return self.names[picking_type_id].next()

    # -- rows ---------------------------------------------------------------
    def picking(self, ptype, src, dest, when, partner=None, origin=None, task=None, approval=None):
        pid = self.ids["stock_picking"].next()
        name = self.name_of(ptype)
        warehouse = self.warehouse_of_type[ptype]
        admin = self.world.admin
        requested_by, approved_by, approved_date, state = None, None, None, "none"
        if approval:
            state, requested_by, approved_by = "approved", approval, admin
            approved_date = when - timedelta(minutes=20)
        self.add(
            "stock_picking",
            (
                pid,
                name,
                origin,
                "done",
                when,
                when,
                src,
                dest,
                ptype,
                partner,
                self.world.company,
                admin,
                "direct",
                "0",
                task,
                warehouse,
                self.region_of_warehouse.get(warehouse),
                state,
                requested_by,
                approved_by,
                approved_date,
                True,
                False,
                False,
                admin,
                when - timedelta(minutes=30),
                admin,
                when,
            ),
        )
        return pid, name, warehouse

    def move(
        self,
        picking,
        product,
        qty,
        lots,
        src,
        dest,
        when,
        ptype=None,
        partner=None,
        origin=None,
        task=None,
        is_inventory=False,
        reference=None,
        is_in=False,
        is_out=False,
        purchase_line=None,
    ):
        """One done move of `qty` (`lots`: one serial each, or [None])."""
        pid, name, warehouse = picking or (None, reference, None)
        mid = self.ids["stock_move"].next()
        admin, company = self.world.admin, self.world.company
        self.add(
            "stock_move",
            (
                mid,
                10,
                company,
                product.id,
                product.uom,
                src,
                dest,
                dest,
                partner,
                pid,
                ptype,
                warehouse,
                "0",
                "done",
                origin,
                "make_to_stock",
                name,
                qty,
                qty,
                qty,
                True,
                False,
                is_inventory,
                False,
                "Count" if is_inventory else None,
                when,
                product.cost,
                round(qty * product.cost, 2),
                is_in,
                is_out,
                False,
                task,
                purchase_line,
                admin,
                when - timedelta(minutes=30),
                admin,
                when,
            ),
        )
        region = self.region_of_warehouse.get(warehouse)
        for lot in lots:
            line_qty = 1 if lot is not None else qty
            self.add(
                "stock_move_line",
                (
                    self.ids["stock_move_line"].next(),
                    pid,
                    mid,
                    company,
                    product.id,
                    product.uom,
                    lot["id"] if lot is not None else None,
                    src,
                    dest,
                    "done",
                    line_qty,
                    line_qty,
                    True,
                    False,
                    when,
                    warehouse,
                    region,
                    admin,
                    when - timedelta(minutes=30),
                    admin,
                    when,
                ),
            )

    def transfer(
        self, ptype, src, dest, when, lines, is_in=False, is_out=False, purchase=False, **kw
    ):
        """A done transfer of `lines` ((product, qty, lot)), one move per product; with
        `purchase`, the receipt of a confirmed purchase order of the same lines."""
        by_product = {}
        for product, qty, lot in lines:
            entry = by_product.setdefault(product.id, [product, 0, []])
            entry[1] += qty
            entry[2].append(lot)
        order_lines = {}
        if purchase:
            order, kw["origin"], order_lines = self.purchase_order(
                ptype, kw["partner"], when, by_product.values()
            )
        picking = self.picking(ptype, src, dest, when, **kw)
        if purchase:
            self.add("purchase_order_stock_picking_rel", (order, picking[0]))
        for product, qty, lots in by_product.values():
            serials = [lot for lot in lots if lot is not None]
            self.move(
                picking,
                product,
                qty,
                serials or [None],
                src,
                dest,
                when,
                ptype=ptype,
                partner=kw.get("partner"),
                origin=kw.get("origin"),
                task=kw.get("task"),
                is_in=is_in,
                is_out=is_out,
                purchase_line=order_lines.get(product.id),
            )
        return picking

    def purchase_order(self, ptype, vendor, received, entries):
        """A purchase order, confirmed two weeks before `received` and fully received
        then (not billed): its id, name and {product id: order line id}."""
        oid = self.ids["purchase_order"].next()
        if "purchase" not in self.names:
            sequence = self.env["ir.sequence"].search([("code", "=", "purchase.order")], limit=1)
            self.names["purchase"] = Names(self.env, sequence)
        name = self.names["purchase"].next()
        ordered = received - timedelta(days=14)
        admin, company = self.world.admin, self.world.company
        total = 0.0
        lines = {}
        for sequence, (product, qty, _lots) in enumerate(entries, 1):
            subtotal = round(qty * product.cost, 2)
            total += subtotal
            lines[product.id] = lid = self.ids["purchase_order_line"].next()
            self.add(
                "purchase_order_line",
                (
                    lid,
                    oid,
                    sequence * 10,
                    product.name,
                    product.id,
                    product.uom,
                    company,
                    vendor,
                    "stock_moves",
                    qty,
                    qty,
                    product.cost,
                    product.cost,
                    0.0,
                    subtotal,
                    0.0,
                    subtotal,
                    0.0,
                    qty,
                    qty,
                    False,
                    False,
                    received,
                    admin,
                    ordered,
                    admin,
                    received,
                ),
            )
        total = round(total, 2)
        self.add(
            "purchase_order",
            (
                oid,
                name,
                vendor,
                self.world.currency,
                company,
                admin,
                ptype,
                "purchase",
                "to invoice",
                "full",
                "0",
                True,
                False,
                total,
                0.0,
                total,
                total,
                1.0,
                ordered,
                ordered,
                received,
                received,
                admin,
                ordered,
                admin,
                received,
            ),
        )
        return oid, name, lines


def write_history(env, plan, world):
    """Decide the stories, then write them; returns the number of done move lines."""
    stories = Stories(plan, world)
    stories.build()
    s = stories
    total = _count_lines(s)
    progress = Progress("history (done move lines)", total)
    w = Writer(env, world, progress)
    replica = fast_copy(env.cr)
    # serials: names, MACs, install records (job ids are given below, before writing)
    for lot in s.lots:
        lot["id"] = w.ids["stock_lot"].next()
    for job in s.jobs:
        job["id"] = w.ids["project_task"].next()
        _add_task(w, world, job)
    _write_lots(w, s, world)
    _write_transfers(w, s, world)
    _write_loose_moves(w, s, world)
    w.flush()
    copy_rows(env.cr, "project_task_user_rel", ("task_id", "user_id"), w.task_users)
    if replica:
        env.cr.execute("SET session_replication_role = DEFAULT")
        check_foreign_keys(env.cr, [*w.columns, "project_task_user_rel"])
    # the job's operation: its transfer to the customer (else its take-back)
    env.cr.execute(
        """UPDATE project_task t SET isp_operation_id = p.id
             FROM (SELECT DISTINCT ON (isp_task_id) isp_task_id, id FROM stock_picking
                    WHERE isp_task_id = ANY(%s)
                    ORDER BY isp_task_id, date_done DESC, id DESC) p
            WHERE p.isp_task_id = t.id""",
        [[job["id"] for job in s.jobs]],
    )
    progress.tick(total)
    log("  [history] COPY " + ", ".join(f"{t} {w.seconds[t]:.1f} s" for t in w.seconds))
    return w.written["stock_move_line"], w.written, s


def _write_lots(w, s, world):
    """The serials: name, MAC (CPE), install record of those installed at the end."""
    admin, company = world.admin, world.company
    first_receipt = {}
    for (_branch, _vendor, week), lines in s.receipts.items():
        for _p, _q, lot in lines:
            if lot is not None:
                first_receipt[lot["index"]] = s.at(week, 0, 6)
    for lot in s.lots:
        product = lot["product"]
        received = first_receipt[lot["index"]] - timedelta(hours=1)
        record = lot["record"] or {}
        mac = None
        if product.item_class == "cpe":
            n = lot["id"]
            mac = "02:5E:" + ":".join(f"{(n >> s_) & 0xFF:02X}" for s_ in (24, 16, 8, 0))
        w.add(
            "stock_lot",
            (
                lot["id"],
                f"{LOT_PREFIX[product.item_class]}{lot['id']:09d}",
                product.id,
                company,
                mac,
                record.get("customer"),
                record.get("date"),
                record.get("tech"),
                record.get("latitude", 0.0),
                record.get("longitude", 0.0),
                record.get("rx", 0.0),
                record.get("olt"),
                record["job"]["id"] if record else None,
                admin,
                received,
                admin,
                received,
            ),
        )


def _write_transfers(w, s, world):
    """Receipts, weekly issues, kit issues, jobs, returns and RMAs, in date order of kind."""
    branches, techs = world.branches, world.techs
    for (b, vendor, week), lines in sorted(s.receipts.items(), key=lambda kv: kv[0][2]):
        branch = branches[b]
        w.transfer(
            branch.in_type,
            world.supplier,
            branch.stock,
            s.at(week, 0, 6),
            lines,
            is_in=True,
            partner=vendor,
            purchase=True,
        )
    for (t, week), lines in sorted(s.issues.items(), key=lambda kv: kv[0][1]):
        tech, branch = techs[t], branches[techs[t].branch]
        controlled = any(p.item_class in ("cpe", "network") for p, _q, _l in lines)
        w.transfer(
            branch.int_type,
            branch.stock,
            tech.van,
            s.at(week, 0, 7, 30),
            lines,
            approval=tech.user_id if controlled else None,
            origin="Weekly top-up",
        )
    for (t, week), lines in sorted(s.kit_issues.items(), key=lambda kv: kv[0][1]):
        tech, branch = techs[t], branches[techs[t].branch]
        w.transfer(
            branch.int_type, branch.stock, tech.kit, s.at(week, 0, 7, 45), lines, origin="Kit issue"
        )
    for job in s.jobs:
        _write_job(w, s, world, job)
    for (t, week), lines in sorted(s.returns.items(), key=lambda kv: kv[0][1]):
        tech, branch = techs[t], branches[techs[t].branch]
        w.transfer(
            branch.int_type,
            tech.van,
            branch.stock,
            s.at(week, 5, 12),
            lines,
            origin="Return to store",
        )
    for (b, vendor, week), lines in sorted(s.rmas.items(), key=lambda kv: kv[0][2]):
        branch = branches[b]
        w.transfer(
            branch.out_type,
            branch.quarantine,
            world.supplier,
            s.at(week, 3, 11),
            lines,
            is_out=True,
            partner=vendor,
            origin="RMA",
        )


def _write_loose_moves(w, s, world):
    """Moves without a transfer: losses and count variances."""
    branches, techs = world.branches, world.techs
    for t, week, product, qty, lot in s.losses:
        tech, branch = techs[t], branches[techs[t].branch]
        w.move(
            None,
            product,
            qty,
            [lot],
            tech.van,
            branch.loss,
            s.at(week, 4, 17),
            reference="Loss",
            origin="Loss",
            is_out=True,
        )
    for t, week, product, qty in s.counts:
        tech = techs[t]
        src, dest = (tech.van, world.inventory) if qty < 0 else (world.inventory, tech.van)
        w.move(
            None,
            product,
            abs(qty),
            [None],
            src,
            dest,
            s.at(week, 6, 18),
            reference="Monthly count",
            is_inventory=True,
        )


def fast_copy(cr):
    """COPY without PostgreSQL's per-row foreign-key triggers (about 20 per move, the
    most of the COPY's time), when the database user may (a superuser): the keys are
    then checked once per column by `check_foreign_keys`, before the commit."""
    cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not cr.fetchone()[0]:
        return False
    cr.execute("SET session_replication_role = replica")
    return True


def check_foreign_keys(cr, tables):
    """Every foreign key of `tables` points to an existing row (one anti-join per key,
    over the whole table); raises otherwise, so the phase rolls back."""
    cr.execute(
        """SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text,
                  fa.attname
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
              AND array_length(c.conkey, 1) = 1""",
        [list(tables)],
    )
    broken = []
    for table, column, target, target_column in cr.fetchall():
        query = pgsql.SQL(
            "SELECT COUNT(*) FROM {t} x WHERE x.{c} IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM {r} y WHERE y.{rc} = x.{c})"
        ).format(
            t=pgsql.Identifier(table),
            c=pgsql.Identifier(column),
            r=pgsql.Identifier(target),
            rc=pgsql.Identifier(target_column),
        )
        cr.execute(query.as_string(cr._obj))
        missing = cr.fetchone()[0]
        if missing:
            broken.append(f"{table}.{column} -> {target}: {missing}")
    if broken:
        raise RuntimeError("foreign keys broken by the seed: " + "; ".join(broken))


def _write_job(w, s, world, job):
    tech = world.techs[job["tech"]]
    branch = world.branches[tech.branch]
    when = job["date"]
    kind = job["kind"]
    task = job["id"]
    if job["take_back"]:
        dest = branch.quarantine if job["to"] == "quarantine" else tech.van
        w.transfer(
            branch.in_type,
            world.customer_loc,
            dest,
            when - timedelta(minutes=10),
            job["take_back"],
            is_in=True,
            partner=job["customer"],
            origin=kind.title(),
            task=task,
        )
    if job["install"]:
        w.transfer(
            branch.out_type,
            tech.van,
            world.customer_loc,
            when,
            job["install"],
            is_out=True,
            partner=job["customer"],
            origin=kind.title(),
            task=task,
        )


def _add_task(w, world, job):
    """The job card, done; its operation is set once the transfers are written."""
    tech = world.techs[job["tech"]]
    when, kind, task = job["date"], job["kind"], job["id"]
    titles = {"install": "FTTH installation", "repair": "Repair", "disconnection": "Disconnection"}
    admin = world.admin
    created = when - timedelta(days=2)
    w.add(
        "project_task",
        (
            task,
            titles[kind],
            world.project,
            world.stage_done,
            job["customer"],
            world.company,
            10,
            "0",
            "1_done",
            True,
            True,
            False,
            False,
            False,
            0.0,
            created,
            when,
            when,
            world.job_types[kind],
            tech.id,
            None,
            "done",
            0.0,
            0.0,
            when - timedelta(hours=2),
            when,
            admin,
            created,
            admin,
            when,
        ),
    )
    w.task_users.append((task, tech.user_id))


def _count_lines(s):
    def lines(groups):
        return sum(len(v) for v in groups)

    jobs = sum(len(j["install"]) + len(j["take_back"]) for j in s.jobs)
    return (
        lines(s.receipts.values())
        + lines(s.issues.values())
        + lines(s.kit_issues.values())
        + lines(s.returns.values())
        + lines(s.rmas.values())
        + jobs
        + len(s.losses)
        + len(s.counts)
    )
