"""The structure, by batched ORM creates (see common.py for why): regions, branches,
vendors and products, technicians with their vans and kits, customers."""

import random

from odoo.fields import Command

from .common import Ids, Progress, copy_rows, log
from .plan import PRODUCTS

REGIONS = [  # code, name, main town
    ("NBO", "Nairobi", "Nairobi"),
    ("MBA", "Coast", "Mombasa"),
    ("KSM", "Western", "Kisumu"),
    ("NKR", "Rift Valley", "Nakuru"),
    ("NYR", "Central", "Nyeri"),
]
TOWNS = {
    "NBO": ["Westlands", "Kilimani", "Karen", "Embakasi", "Kasarani", "Ruaka", "Rongai"],
    "MBA": ["Nyali", "Bamburi", "Likoni", "Diani", "Kilifi"],
    "KSM": ["Milimani", "Kakamega", "Bungoma", "Kisii", "Busia"],
    "NKR": ["Naivasha", "Eldoret", "Kericho", "Nanyuki", "Gilgil"],
    "NYR": ["Thika", "Muranga", "Karatina", "Embu", "Meru"],
}
# item class -> (xml id of its category, product name stems, cost range in KES)
CATALOGUE = {
    "cpe": (
        "product_category_cpe",
        ["ONT GPON", "Wi-Fi Router"],
        (2500, 9000),
    ),
    "network": (
        "product_category_network",
        ["OLT Line Card", "SFP Module", "Aggregation Switch", "Splitter 1:8", "ODF Panel"],
        (4000, 250000),
    ),
    "tool": (
        "product_category_tool",
        ["Fusion Splicer", "OTDR", "Power Meter", "Cleaver", "Ladder", "Crimping Tool"],
        (1500, 450000),
    ),
    "spare": (
        "product_category_spare",
        ["ONT Power Adapter", "Router PSU", "Splicer Electrode", "Battery Pack", "Fan Tray"],
        (300, 12000),
    ),
    "consumable": (
        "product_category_consumable",
        [
            "Drop Cable",
            "Fast Connector",
            "Patch Cord",
            "Splice Protector",
            "Cable Tie",
            "Wall Box",
            "Drop Clamp",
            "Cable Clip",
            "Duct Tape",
            "Cleaning Wipe",
        ],
        (5, 400),
    ),
}
VENDORS = [
    "Huawei Kenya",
    "ZTE East Africa",
    "TP-Link Distribution",
    "Fiberhome EA",
    "Corning Optical",
    "Fujikura Africa",
    "Mikrotik Solutions",
    "Nokia Networks",
    "Sumitomo Electric",
    "Cisco Kenya",
    "Kamtech Supplies",
    "Coast Cable Ltd",
]


def admin_env(env):
    return env(user=env.ref("base.user_admin").id)


def phase_branches(env, plan):
    """Regions and their branch warehouses (a warehouse builds its locations, types,
    routes and sequences in `create`), plus each branch's technicians, quarantine and
    losses locations."""
    env = admin_env(env)
    Region = env["isp.region"]
    regions = Region.search([("code", "=like", "S-%")], order="code")
    if not regions:
        regions = Region.create(
            [{"name": name, "code": f"S-{code}"} for code, name, _town in REGIONS[: plan.regions]]
        )
    progress = Progress("branches", plan.branches)
    Warehouse = env["stock.warehouse"]
    for n in range(plan.branches):
        code = f"SB{n:02d}"
        branch = Warehouse.search([("code", "=", code)])
        if not branch:
            region = regions[n % len(regions)]
            town = TOWNS[region.code[2:]][n // len(regions) % len(TOWNS[region.code[2:]])]
            branch = Warehouse.create(
                {"name": f"{town} Branch", "code": code, "isp_region_id": region.id}
            )
        branch._isp_get_technicians_location()
        branch._isp_get_quarantine_location()
        branch._isp_get_loss_location()
        progress.tick(n + 1)
    return len(regions) + plan.branches


def phase_products(env, plan):
    """Vendors and about 300 products over the five item classes, each with a vendor
    price (product.supplierinfo)."""
    env = admin_env(env)
    rng = random.Random(f"{plan.seed}-products")
    Partner = env["res.partner"]
    vendors = Partner.search([("ref", "=like", "SV%")], order="ref")
    if not vendors:
        vendors = Partner.create(
            [
                {
                    "name": name,
                    "ref": f"SV{i:02d}",
                    "is_company": True,
                    "supplier_rank": 1,
                    "city": "Nairobi",
                }
                for i, name in enumerate(VENDORS[: plan.vendors])
            ]
        )
    if env["product.product"].search_count([("default_code", "=like", "SEED-%")]):
        return 0
    vals = []
    for item_class in PRODUCTS:
        xmlid, stems, (low, high) = CATALOGUE[item_class]
        categ = env.ref(f"isp_inventory.{xmlid}")
        for i in range(plan.products(item_class)):
            stem = stems[i % len(stems)]
            cost = round(rng.uniform(low, high), 2)
            vendor = vendors[rng.randrange(len(vendors))]
            vals.append(
                {
                    "name": f"{stem} {chr(65 + i // len(stems) % 26)}{i // len(stems) // 26 or ''}",
                    "default_code": f"SEED-{item_class[:3].upper()}-{i:03d}",
                    "categ_id": categ.id,
                    "standard_price": cost,
                    "list_price": round(cost * 1.3, 2),
                    "seller_ids": [
                        Command.create({"partner_id": vendor.id, "price": cost, "delay": 14})
                    ],
                    **({"isp_warranty_months": 12} if item_class in ("cpe", "network") else {}),
                }
            )
    env["product.product"].create(vals)
    log(f"  [products] {len(vals)} products, {len(vendors)} vendors")
    return len(vals) + len(vendors)


def phase_technicians(env, plan):
    """Technicians (users in the Technician group) spread over the branches; creating
    an isp.technician builds its van and kit locations and the van's route rule."""
    env = admin_env(env)
    group = env.ref("isp_inventory.group_isp_technician")
    branches = env["stock.warehouse"].search([("code", "=like", "SB%")], order="code")
    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
    existing = set(Users.search([("login", "=like", "seed_tech_%")]).mapped("login"))
    rng = random.Random(f"{plan.seed}-technicians")
    first = [
        "Brian",
        "Faith",
        "Kevin",
        "Mercy",
        "Dennis",
        "Joy",
        "Collins",
        "Esther",
        "Victor",
        "Grace",
        "Allan",
        "Naomi",
        "Felix",
        "Ivy",
        "Samuel",
        "Purity",
    ]
    last = [
        "Otieno",
        "Wanjiru",
        "Kiprop",
        "Achieng",
        "Mwangi",
        "Njeri",
        "Kamau",
        "Chebet",
        "Omondi",
        "Mutua",
        "Wekesa",
        "Nyambura",
        "Barasa",
        "Koech",
    ]
    names = [f"{rng.choice(first)} {rng.choice(last)}" for _n in range(plan.technicians)]
    todo = [n for n in range(plan.technicians) if f"seed_tech_{n:04d}" not in existing]
    progress = Progress("technicians", plan.technicians)
    done = plan.technicians - len(todo)
    for start in range(0, len(todo), 50):
        chunk = todo[start : start + 50]
        users = Users.create(
            [
                {
                    "name": f"{names[n]} ({n:04d})",
                    "login": f"seed_tech_{n:04d}",
                    "group_ids": [Command.link(group.id)],
                }
                for n in chunk
            ]
        )
        env["isp.technician"].create(
            [
                {"user_id": user.id, "warehouse_id": branches[n % len(branches)].id}
                for n, user in zip(chunk, users, strict=True)
            ]
        )
        env.cr.commit()
        done += len(chunk)
        progress.tick(done)
    return plan.technicians


def phase_customers(env, plan):
    """One customer per install job (an ONT and a router each). The first is created by
    the ORM; the others (tens of thousands: about ten minutes through `create` on two
    busy cores) are COPY'd as that row with their own id (the table's sequence),
    name, reference, address and phone, so every column Odoo fills on create (ranks,
    company-dependent properties, commercial partner, sanitized phone) is as the ORM
    wrote it for the first one."""
    env = admin_env(env)
    Partner = env["res.partner"].with_context(
        mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
    )
    rng = random.Random(f"{plan.seed}-customers")
    first = [
        "Wanjiku",
        "Otieno",
        "Akinyi",
        "Kamau",
        "Njoroge",
        "Atieno",
        "Mutiso",
        "Chepkoech",
        "Ouma",
        "Wairimu",
        "Kiplagat",
        "Nduta",
        "Mwende",
        "Odhiambo",
        "Jeptoo",
        "Karanja",
    ]
    towns = [t for code, _n, _t in REGIONS for t in TOWNS[code]]

    def values(n, name, town):
        return {
            "name": name,
            "ref": f"SC{n:06d}",
            "city": town,
            "street": f"House {n % 400 + 1}, Road {n % 97 + 1}",
            "phone": f"+2547{n % 100000000:08d}",
            "customer_rank": 1,
        }

    people = [
        (f"{rng.choice(first)} {rng.choice(first)}", rng.choice(towns))
        for _n in range(plan.customers)
    ]
    template = Partner.create(values(0, *people[0]))
    env.flush_all()
    cr = env.cr
    cr.execute("SELECT * FROM res_partner WHERE id = %s", [template.id])
    row = cr.dictfetchone()
    columns = list(row)
    ids = Ids(cr, "res_partner")
    progress = Progress("customers", plan.customers)
    for start in range(1, plan.customers, 10_000):
        rows = []
        for n in range(start, min(start + 10_000, plan.customers)):
            new = dict(row, **values(n, *people[n]))
            new["id"] = new["commercial_partner_id"] = ids.next()
            new["complete_name"] = new["name"]
            new["phone_sanitized"] = new["phone"]
            rows.append([new[c] for c in columns])
        copy_rows(cr, "res_partner", columns, rows)
        progress.tick(start + len(rows))
    return plan.customers
