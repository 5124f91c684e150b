from odoo import fields, models
from odoo.addons.isp_inventory.models.product_category import ISP_ITEM_CLASSES
from odoo.tools import SQL

HOLDERS = [
    ("store", "Store"),
    ("vehicle", "Technician Vehicle"),
    ("kit", "Technician Kit"),
    ("quarantine", "Quarantine"),
    ("refurbishment", "Refurbishment"),
]
# Who holds a quant, from its location's ISP role: every other internal location is a
# store shelf. Shared by the on-hand reports (aging, inventory by region).
HOLDER_SQL = SQL(
    "CASE WHEN l.isp_role IN ('vehicle', 'kit', 'quarantine', 'refurbishment') THEN l.isp_role"
    " ELSE 'store' END"
)
AGE_BUCKETS = [
    ("0_30", "0–30 days"),
    ("31_90", "31–90 days"),
    ("91_180", "91–180 days"),
    ("over_180", "Over 180 days"),
]


class IspStockAgingReport(models.Model):
    """On-hand stock in internal locations with its age: days since it came in
    (`stock.quant.in_date`, the date FIFO removal also uses), in buckets, valued at cost.
    Days are counted in the user's time zone (the day it came in, today).
    One row per quant; slow stock in a van shows as old rows held by a technician."""

    _name = "isp.stock.aging.report"
    _description = "ISP Stock Aging"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "age_days desc, id"
    _isp_period_field = False
    _isp_export_fields = (
        "product_id",
        "item_class",
        "lot_id",
        "location_id",
        "holder",
        "technician_id",
        "warehouse_id",
        "region_id",
        "in_date",
        "age_days",
        "age_bucket",
        "quantity",
        "value",
    )
    _depends = {
        "stock.quant": ["company_id", "in_date", "location_id", "lot_id", "product_id", "quantity"],
        "stock.location": ["isp_role", "isp_technician_id", "usage", "warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "product.product": ["product_tmpl_id", "standard_price"],
        "product.template": ["categ_id", "isp_item_class"],
    }

    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    item_class = fields.Selection(ISP_ITEM_CLASSES, string="ISP Item Class", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial / Lot", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    holder = fields.Selection(HOLDERS, readonly=True)
    technician_id = fields.Many2one("isp.technician", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    in_date = fields.Datetime(string="Incoming Date", readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="max")
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    quantity = fields.Float(readonly=True, aggregator="sum")
    value = fields.Monetary(readonly=True, aggregator="sum", currency_field="currency_id")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT q.id AS id,
                   q.product_id AS product_id,
                   pt.categ_id AS categ_id,
                   pt.isp_item_class AS item_class,
                   q.lot_id AS lot_id,
                   q.location_id AS location_id,
                   %(holder)s AS holder,
                   l.isp_technician_id AS technician_id,
                   l.warehouse_id AS warehouse_id,
                   w.isp_region_id AS region_id,
                   q.in_date AS in_date,
                   age.days AS age_days,
                   CASE WHEN age.days <= 30 THEN '0_30'
                        WHEN age.days <= 90 THEN '31_90'
                        WHEN age.days <= 180 THEN '91_180'
                        ELSE 'over_180' END AS age_bucket,
                   q.quantity AS quantity,
                   q.quantity * COALESCE((pp.standard_price ->> q.company_id::text)::numeric, 0)
                       AS value,
                   q.company_id AS company_id
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
              LEFT JOIN stock_warehouse w ON w.id = l.warehouse_id
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             CROSS JOIN LATERAL (
                   -- the day it came in and today, both in the user's time zone
                   SELECT GREATEST(
                       %(today)s::date - timezone(%(tz)s, timezone('UTC', q.in_date))::date,
                       0
                   ) AS days
             ) age
             WHERE l.usage = 'internal' AND q.quantity != 0
            """,
            today=fields.Date.context_today(self),
            tz=self.env.tz.zone,
            holder=HOLDER_SQL,
        )
