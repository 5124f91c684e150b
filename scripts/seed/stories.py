"""The 24 months of an ISP's stock, as stories of each serial and each van, decided in
memory (deterministic: one random generator per seed) before anything is written.

- CPE: received from the vendor into the branch store, issued to a technician's van in
  the weekly issue, installed at a customer by an install job (an ONT and a router per
  customer); some customers later get a repair job (the faulty unit back into the
  branch quarantine, a new one installed; most faulty units then go back to the vendor
  as an RMA) or a disconnection job (both units back into the van, returned to the
  store the next week). The rest sit in the stores or the vans; a few are lost.
- Tools are issued to the technicians' kits; network equipment stays in the stores;
  some spares are issued to the vans.
- Consumables: every job uses some from the van; each week the van is topped up from
  the branch store (what the week's jobs need plus a buffer) and the store from the
  vendors; each month the technician's count finds a small variance.
- Demand has seasons (and growth): more installs from August to December, fewer in
  January and April, about twice as many at the end as at the start.

Dates keep every location non-negative at any time: receipts Monday 06:00, issues
Monday 07:30, jobs Monday 08:00 to Saturday 17:00, returns Saturday 12:00 of the week
after, counts Sunday 18:00.
"""

import math
import random
from collections import defaultdict
from datetime import timedelta

VAN_BUFFER = 10  # of each consumable a van keeps after its weekly top-up
STORE_BUFFER = 200  # of each consumable a store keeps after its weekly receipt


def is_ont(product):
    """The CPE catalogue alternates ONTs and routers (structure.CATALOGUE)."""
    return int(product.code.rsplit("-", 1)[1]) % 2 == 0


class Stories:
    def __init__(self, plan, world):
        self.plan, self.world = plan, world
        self.rng = random.Random(f"{plan.seed}-history")
        start = plan.start
        self.monday0 = (start - timedelta(days=start.weekday())).replace(hour=0, minute=0)
        self.weeks = int((plan.stop - self.monday0).days // 7)
        # what gets written (see history.py)
        self.receipts = defaultdict(list)  # (branch, vendor, week) -> [(product, qty, lot)]
        self.issues = defaultdict(list)  # (tech, week) -> [...], branch store -> van
        self.kit_issues = defaultdict(list)  # (tech, week) -> [...], branch store -> kit
        self.returns = defaultdict(list)  # (tech, week) -> [...], van -> branch store
        self.rmas = defaultdict(list)  # (branch, vendor, week) -> [...], quarantine -> vendor
        self.jobs = []  # dicts: kind, tech, customer, date, install lines, take-back lines
        self.losses = []  # (tech, week, product, qty, lot): van -> branch losses
        self.counts = []  # (tech, week, product, qty): van <-> inventory adjustment
        self.lots = []  # dicts: product, name, received, installed record (or None)
        self.usage = defaultdict(lambda: defaultdict(float))  # (tech, week) -> {product: qty}

    # -- time ----------------------------------------------------------
    def monday(self, week):
        return self.monday0 + timedelta(weeks=week)

    def at(self, week, day, hour, minute=0):
        return self.monday(week) + timedelta(days=day, hours=hour, minutes=minute)

    def week_of(self, when):
        return int((when - self.monday0).days // 7)

    def season(self, week):
        """Demand of a week: growth over the two years times a yearly season."""
        month = self.monday(week).month
        growth = 0.65 + 0.7 * week / max(self.weeks - 1, 1)
        yearly = 1 + 0.3 * math.sin(2 * math.pi * (month - 5) / 12)
        dips = {1: 0.75, 4: 0.85}.get(month, 1.0)
        return growth * yearly * dips

    # -- serials ---------------------------------------------------------
    def new_lot(self, product, received_week, branch, record=None):
        """A serial received into `branch` in `received_week` (vendor receipt)."""
        lot = {"product": product, "index": len(self.lots), "record": record}
        self.lots.append(lot)
        self.receipts[(branch, product.vendor, received_week)].append((product, 1, lot))
        return lot

    def supply(self, product, tech_index, use_week):
        """A serial for a job of `use_week`: received, then issued to the van before."""
        tech = self.world.techs[tech_index]
        issue_week = max(0, use_week - self.rng.randint(0, 1))
        receipt_week = max(0, issue_week - self.rng.randint(1, 6))
        lot = self.new_lot(product, receipt_week, tech.branch)
        self.issues[(tech_index, issue_week)].append((product, 1, lot))
        return lot

    def pick(self, products, skew=1.2):
        weights = [1 / (i + 1) ** skew for i in range(len(products))]
        return self.rng.choices(products, weights)[0]

    # -- the stories -------------------------------------------------------
    def build(self):
        rng, plan, world = self.rng, self.plan, self.world
        cpe = world.products["cpe"]
        onts, routers = cpe[0::2], cpe[1::2]
        consumables = world.products["consumable"]
        weeks = list(range(self.weeks))
        weights = [self.season(w) for w in weeks]
        install_weeks = sorted(rng.choices(weeks, weights, k=plan.install_jobs))
        techs = len(world.techs)
        jobs = []
        for k, week in enumerate(install_weeks):
            tech = rng.randrange(techs)
            when = self.at(week, rng.randint(0, 5), rng.randint(8, 16), rng.randrange(60))
            when = min(when, plan.stop - timedelta(hours=1))
            job = {
                "kind": "install",
                "tech": tech,
                "customer": world.customers[k],
                "date": when,
                "week": week,
                "install": [],
                "take_back": [],
                "to": None,
            }
            for product in (self.pick(onts), self.pick(routers)):
                lot = self.supply(product, tech, week)
                job["install"].append((product, 1, lot))
            self.consume(job, consumables, 4)
            jobs.append(job)
        # disconnections and repairs of earlier installs (disjoint)
        order = list(range(len(jobs)))
        rng.shuffle(order)
        later = []
        disconnections = [i for i in order if jobs[i]["week"] <= self.weeks - 12]
        disconnections = disconnections[: plan.disconnections]
        taken = set(disconnections)
        repairs = [i for i in order if i not in taken and jobs[i]["week"] <= self.weeks - 6]
        repairs = repairs[: plan.repairs]
        for i in disconnections:
            first = jobs[i]
            week = rng.randint(first["week"] + 4, self.weeks - 3)
            job = self.follow_up("disconnection", first, week)
            job["take_back"] = [line for line in first["install"] if line[2] is not None]
            job["to"] = "van"
            for product, qty, lot in job["take_back"]:
                self.returns[(first["tech"], week + 1)].append((product, qty, lot))
            later.append(job)
        for i in repairs:
            first = jobs[i]
            week = rng.randint(first["week"] + 1, self.weeks - 2)
            job = self.follow_up("repair", first, week)
            product, qty, old = first["install"][0]
            job["take_back"] = [(product, qty, old)]
            job["to"] = "quarantine"
            new = self.supply(product, first["tech"], week)
            job["install"] = [(product, 1, new)]
            job["replaces"] = (first, old, new)
            self.consume(job, consumables[:3], 1)
            if rng.random() < 0.6 and week + 1 < self.weeks:
                rma_week = rng.randint(week + 1, self.weeks - 1)
                branch = world.techs[first["tech"]].branch
                self.rmas[(branch, product.vendor, rma_week)].append((product, qty, old))
            later.append(job)
        self.jobs = sorted(jobs + later, key=lambda j: j["date"])
        self.install_records()
        self.other_serials()
        self.consumables()

    def follow_up(self, kind, first, week):
        rng = self.rng
        when = self.at(week, rng.randint(1, 4), rng.randint(9, 15), rng.randrange(60))
        return {
            "kind": kind,
            "tech": first["tech"],
            "customer": first["customer"],
            "date": when,
            "week": week,
            "install": [],
            "take_back": [],
            "to": None,
        }

    def consume(self, job, consumables, lines):
        rng = self.rng
        chosen = set()
        while len(chosen) < min(lines, len(consumables)):
            chosen.add(self.pick(consumables).id)
        for product in consumables:
            if product.id in chosen:
                qty = rng.randint(20, 80) if product.code.endswith("000") else rng.randint(1, 4)
                job["install"].append((product, qty, None))
                self.usage[(job["tech"], job["week"])][product] += qty

    def install_records(self):
        """The install record each serial installed at the end carries (its last
        install), as stock.move.line._action_done writes it."""
        rng = self.rng
        for job in self.jobs:
            if job["kind"] == "disconnection":
                continue
            tech = self.world.techs[job["tech"]]
            for product, _qty, lot in job["install"]:
                if lot is None or product.item_class != "cpe":
                    continue
                lot["record"] = {
                    "customer": job["customer"],
                    "date": job["date"],
                    "tech": tech.id,
                    "job": job,
                    "latitude": round(-1.28 + rng.uniform(-0.3, 0.3), 7),
                    "longitude": round(36.82 + rng.uniform(-0.3, 0.3), 7),
                    "rx": round(rng.uniform(-27.0, -8.0), 2) if is_ont(product) else 0.0,
                    "olt": f"OLT-{tech.branch:02d}-0{rng.randint(1, 3)} "
                    f"0/{rng.randint(1, 16)}/{rng.randint(1, 64)}",
                }
        for job in self.jobs:
            if job["kind"] == "disconnection":
                for _product, _qty, lot in job["take_back"]:
                    lot["record"] = None
            if job["kind"] == "repair":
                _first, old, _new = job["replaces"]
                old["record"] = None

    def other_serials(self):
        """Serials not used by jobs: CPE in stores and vans (a few lost), tools in the
        kits, network equipment in the stores, spares in stores and vans."""
        rng, plan, world = self.rng, self.plan, self.world
        last = self.weeks - 1
        techs = len(world.techs)
        cpe_total = round(plan.serials * 0.90)
        extra = max(0, cpe_total - len(self.lots))
        for _n in range(extra):
            product = self.pick(world.products["cpe"])
            roll = rng.random()
            tech = rng.randrange(techs)
            branch = world.techs[tech].branch
            if roll < 0.60:
                self.new_lot(product, rng.randint(max(0, last - 30), last), branch)
                continue
            issue_week = rng.randint(max(0, last - 20), last - 1 if roll < 0.95 else last)
            lot = self.new_lot(product, max(0, issue_week - rng.randint(0, 4)), branch)
            self.issues[(tech, issue_week)].append((product, 1, lot))
            if roll >= 0.95 and issue_week < last:
                self.losses.append((tech, issue_week, product, 1, lot))
        share = {"network": 0.03, "tool": 0.03, "spare": 0.04}
        for item_class, part in share.items():
            for _n in range(round(plan.serials * part)):
                product = self.pick(world.products[item_class], 0.6)
                tech = rng.randrange(techs)
                branch = world.techs[tech].branch
                week = rng.randint(0, last)
                lot = self.new_lot(product, week, branch)
                out_week = min(last, week + rng.randint(0, 2))
                if item_class == "tool" and rng.random() < 0.9:
                    self.kit_issues[(tech, out_week)].append((product, 1, lot))
                elif item_class == "spare" and rng.random() < 0.4:
                    self.issues[(tech, out_week)].append((product, 1, lot))

    def consumables(self):
        """Weekly van top-ups, monthly counts and weekly store receipts."""
        rng, world = self.rng, self.world
        consumables = world.products["consumable"]
        store_need = defaultdict(lambda: defaultdict(float))  # (branch, week) -> {p: qty}
        for tech_index, tech in enumerate(world.techs):
            balance = defaultdict(float)
            for week in range(self.weeks):
                need = self.usage.get((tech_index, week), {})
                for product, qty in need.items():
                    top_up = max(0, qty + VAN_BUFFER - balance[product])
                    if top_up:
                        self.issues[(tech_index, week)].append((product, top_up, None))
                        store_need[(tech.branch, week)][product] += top_up
                    balance[product] += top_up - qty
                month_end = self.monday(week + 1).month != self.monday(week).month
                if month_end and week < self.weeks - 1:
                    held = [p for p in consumables if balance[p] > 0]
                    for product in rng.sample(held, min(2, len(held))):
                        qty = -min(balance[product], rng.randint(1, 2))
                        if rng.random() < 0.1:
                            qty = 1
                        self.counts.append((tech_index, week, product, qty))
                        balance[product] += qty
        for branch_index in range(len(world.branches)):
            balance = defaultdict(float)
            for week in range(self.weeks):
                for product, qty in store_need.get((branch_index, week), {}).items():
                    if balance[product] < qty:
                        receipt = qty + STORE_BUFFER - balance[product]
                        self.receipts[(branch_index, product.vendor, week)].append(
                            (product, receipt, None)
                        )
                        balance[product] += receipt
                    balance[product] -= qty
