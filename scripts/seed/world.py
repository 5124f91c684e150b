"""What the history is written against: the structure's ids, read back by natural keys
(so a resumed run finds what an earlier run created)."""

from dataclasses import dataclass, field


@dataclass
class Branch:
    id: int
    code: str
    stock: int
    quarantine: int
    loss: int
    in_type: int
    int_type: int
    out_type: int


@dataclass
class Tech:
    id: int
    user_id: int
    branch: int  # index in World.branches
    van: int
    kit: int


@dataclass(frozen=True)
class Product:
    id: int
    tmpl: int
    uom: int
    cost: float
    vendor: int
    item_class: str
    code: str
    name: str = ""


@dataclass
class World:
    company: int
    admin: int
    branches: list
    techs: list
    products: dict  # item class -> [Product]
    vendors: list
    customers: list
    supplier: int
    customer_loc: int
    inventory: int
    project: int
    stage_done: int
    job_types: dict
    currency: int = 0
    picking_types: dict = field(default_factory=dict)  # id -> stock.picking.type

    @classmethod
    def load(cls, env):
        company = env.company
        warehouses = env["stock.warehouse"].search([("code", "=like", "SB%")], order="code")
        branches = [
            Branch(
                w.id,
                w.code,
                w.lot_stock_id.id,
                w._isp_get_quarantine_location().id,
                w._isp_get_loss_location().id,
                w.in_type_id.id,
                w.int_type_id.id,
                w.out_type_id.id,
            )
            for w in warehouses
        ]
        index = {b.id: i for i, b in enumerate(branches)}
        technicians = (
            env["isp.technician"]
            .search([("user_id.login", "=like", "seed_tech_%")])
            .sorted(lambda t: t.user_id.login)
        )
        techs = [
            Tech(
                t.id,
                t.user_id.id,
                index[t.warehouse_id.id],
                t.vehicle_location_id.id,
                t.kit_location_id.id,
            )
            for t in technicians
        ]
        products = {}
        for product in env["product.product"].search(
            [("default_code", "=like", "SEED-%")], order="default_code"
        ):
            products.setdefault(product.categ_id.isp_item_class, []).append(
                Product(
                    product.id,
                    product.product_tmpl_id.id,
                    product.uom_id.id,
                    product.standard_price,
                    product.seller_ids[:1].partner_id.id,
                    product.categ_id.isp_item_class,
                    product.default_code,
                    product.display_name,
                )
            )
        env.cr.execute("SELECT id FROM res_partner WHERE ref LIKE 'SC%%' ORDER BY ref")
        customers = [row[0] for row in env.cr.fetchall()]
        vendors = env["res.partner"].search([("ref", "=like", "SV%")], order="ref").ids
        some_product = env["product.product"].browse(products["consumable"][0].id)
        types = env["stock.picking.type"].browse(
            [i for b in branches for i in (b.in_type, b.int_type, b.out_type)]
        )
        ref = env.ref
        return cls(
            company=company.id,
            currency=company.currency_id.id,
            admin=ref("base.user_admin").id,
            branches=branches,
            techs=techs,
            products=products,
            vendors=vendors,
            customers=customers,
            supplier=ref("stock.stock_location_suppliers").id,
            customer_loc=ref("stock.stock_location_customers").id,
            inventory=some_product.with_company(company).property_stock_inventory.id,
            project=ref("isp_field_service.project_field_jobs").id,
            stage_done=ref("isp_field_service.task_type_done").id,
            job_types={
                "install": ref("isp_field_service.job_type_ftth_installation").id,
                "repair": ref("isp_field_service.job_type_repair").id,
                "disconnection": ref("isp_field_service.job_type_disconnection").id,
            },
            picking_types={t.id: t for t in types},
        )
