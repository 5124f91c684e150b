from odoo import fields, models
from odoo.addons.isp_inventory.models.product_category import ISP_ITEM_CLASSES
from odoo.tools import SQL


class IspProductMovementReport(models.Model):
    """What branch stores issue: done moves out of a store's internal location (not a
    van, kit or quarantine) to a technician's van or kit or to a customer. Grouped by
    product over a period it ranks fast and slow movers. Valued at current cost (moves
    to a van are internal and carry no stock value of their own)."""

    _name = "isp.product.movement.report"
    _description = "ISP Fast and Slow Movers"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "quantity desc, id desc"
    _isp_period_field = "date"
    _isp_export_fields = (
        "date",
        "product_id",
        "item_class",
        "warehouse_id",
        "destination",
        "technician_id",
        "quantity",
        "value",
    )
    _depends = {
        "stock.move": [
            "company_id",
            "date",
            "location_dest_id",
            "location_id",
            "product_id",
            "product_uom",
            "quantity",
            "state",
        ],
        "stock.location": ["isp_role", "isp_technician_id", "usage", "warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "product.product": ["product_tmpl_id", "standard_price"],
        "product.template": ["categ_id", "isp_item_class", "uom_id"],
        "uom.uom": ["factor"],
    }

    date = fields.Datetime(readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    item_class = fields.Selection(ISP_ITEM_CLASSES, string="ISP Item Class", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    location_id = fields.Many2one("stock.location", string="From", readonly=True)
    destination = fields.Selection(
        [("technician", "Technician"), ("customer", "Customer")], readonly=True
    )
    technician_id = fields.Many2one("isp.technician", readonly=True)
    quantity = fields.Float(string="Quantity Issued", readonly=True, aggregator="sum")
    value = fields.Monetary(
        readonly=True, aggregator="sum", currency_field="currency_id", help="At current cost."
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT m.id AS id,
                   m.date AS date,
                   m.product_id AS product_id,
                   pt.categ_id AS categ_id,
                   pt.isp_item_class AS item_class,
                   src.warehouse_id AS warehouse_id,
                   w.isp_region_id AS region_id,
                   m.location_id AS location_id,
                   CASE WHEN dest.isp_technician_id IS NOT NULL THEN 'technician'
                        ELSE 'customer' END AS destination,
                   dest.isp_technician_id AS technician_id,
                   qty.product_qty AS quantity,
                   qty.product_qty
                       * COALESCE((pp.standard_price ->> m.company_id::text)::numeric, 0)
                       AS value,
                   m.company_id AS company_id
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
              LEFT JOIN stock_warehouse w ON w.id = src.warehouse_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             CROSS JOIN LATERAL (SELECT %(quantity)s AS product_qty) qty
             WHERE m.state = 'done'
               AND src.usage = 'internal'
               AND src.isp_technician_id IS NULL
               AND src.isp_role IS NULL
               AND (dest.isp_technician_id IS NOT NULL OR dest.usage = 'customer')
            """,
            quantity=self._isp_product_qty(
                SQL("m.quantity"), SQL("m.product_uom"), SQL("pt.uom_id")
            ),
        )
