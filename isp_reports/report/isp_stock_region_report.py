from odoo import fields, models
from odoo.addons.isp_inventory.models.product_category import ISP_ITEM_CLASSES
from odoo.tools import SQL

from .isp_stock_aging_report import HOLDER_SQL, HOLDERS


class IspStockRegionReport(models.Model):
    """On-hand stock by region, branch and holder (store, van, kit, quarantine,
    refurbishment), with its value at current cost: where the company's stock sits, for
    pivot and XLSX export."""

    _name = "isp.stock.region.report"
    _description = "ISP Inventory by Region and Branch"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "region_id, warehouse_id, location_id"
    # what the query reads: the ORM flushes these before searching the report
    _isp_period_field = False
    _isp_export_fields = (
        "region_id",
        "warehouse_id",
        "location_id",
        "holder",
        "technician_id",
        "product_id",
        "item_class",
        "lot_id",
        "quantity",
        "value",
    )
    _depends = {
        "stock.quant": ["company_id", "location_id", "lot_id", "product_id", "quantity"],
        "stock.location": ["isp_role", "isp_technician_id", "usage", "warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "product.product": ["product_tmpl_id", "standard_price"],
        "product.template": ["categ_id", "isp_item_class"],
    }

    region_id = fields.Many2one("isp.region", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    holder = fields.Selection(HOLDERS, readonly=True)
    technician_id = fields.Many2one("isp.technician", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    item_class = fields.Selection(ISP_ITEM_CLASSES, string="ISP Item Class", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial / Lot", readonly=True)
    quantity = fields.Float(readonly=True, aggregator="sum")
    value = fields.Monetary(readonly=True, aggregator="sum", currency_field="currency_id")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT q.id AS id,
                   w.isp_region_id AS region_id,
                   l.warehouse_id AS warehouse_id,
                   q.location_id AS location_id,
                   %(holder)s AS holder,
                   l.isp_technician_id AS technician_id,
                   q.product_id AS product_id,
                   pt.categ_id AS categ_id,
                   pt.isp_item_class AS item_class,
                   q.lot_id AS lot_id,
                   q.quantity AS quantity,
                   q.quantity * COALESCE((pp.standard_price ->> q.company_id::text)::numeric, 0)
                       AS value,
                   q.company_id AS company_id
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
              LEFT JOIN stock_warehouse w ON w.id = l.warehouse_id
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE l.usage = 'internal' AND q.quantity != 0
            """,
            holder=HOLDER_SQL,
        )
