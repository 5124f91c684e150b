from odoo import fields, models
from odoo.addons.isp_inventory.models.product_category import ISP_ITEM_CLASSES
from odoo.tools import SQL


class IspStockMonthReport(models.Model):
    """Stock value flows: one row per side of a done move that touches an internal
    location (the source side takes value out, the destination side brings it in), at
    the product's current standard cost like the other reports. The sum of
    ``stock_value`` up to an instant is the stock value at that instant, so the stock at
    any month start or end is reconstructed from done moves; ``consumed_value`` is the
    cost of what left stores, vans and kits to a customer or a consumption location
    (installed or used; losses and inventory adjustments excluded). Grouped by month
    it gives the inventory turnover trend."""

    _name = "isp.stock.month.report"
    _description = "ISP Stock Value Flows"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "date desc, id desc"
    _isp_period_field = "date"
    _isp_export_fields = (
        "date",
        "region_id",
        "warehouse_id",
        "location_id",
        "product_id",
        "item_class",
        "consumed",
        "quantity",
        "stock_value",
        "consumed_value",
    )
    _depends = {
        "stock.move": [
            "company_id",
            "date",
            "is_inventory",
            "location_dest_id",
            "location_id",
            "product_id",
            "product_uom",
            "quantity",
            "state",
        ],
        "stock.location": ["isp_role", "usage", "warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "product.product": ["product_tmpl_id", "standard_price"],
        "product.template": ["isp_item_class", "uom_id"],
        "uom.uom": ["factor"],
    }

    date = fields.Datetime(readonly=True)
    move_id = fields.Many2one("stock.move", readonly=True)
    location_id = fields.Many2one("stock.location", string="Internal Location", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    item_class = fields.Selection(ISP_ITEM_CLASSES, string="ISP Item Class", readonly=True)
    consumed = fields.Boolean(
        string="Consumed or Installed",
        readonly=True,
        help="The move took the goods to a customer or a consumption location.",
    )
    quantity = fields.Float(string="Stock Change", readonly=True, aggregator="sum")
    stock_value = fields.Monetary(
        string="Stock Value Change", readonly=True, aggregator="sum", currency_field="currency_id"
    )
    consumed_value = fields.Monetary(readonly=True, aggregator="sum", currency_field="currency_id")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    def _isp_side_query(self, side, factors):
        """The rows of one side of the moves: ``out`` (source internal, negative) or
        ``in`` (destination internal, positive); ``factors``: `_isp_uom_factors`."""
        outgoing = side == "out"
        consumed = SQL(
            "dest.usage IN ('customer', 'inventory', 'production')"
            " AND dest.isp_role IS DISTINCT FROM 'loss'"
            " AND NOT COALESCE(m.is_inventory, FALSE)"
        )
        return SQL(
            """
            SELECT m.id * 2 + %(offset)s AS id,
                   m.date AS date,
                   m.id AS move_id,
                   %(internal)s.id AS location_id,
                   %(internal)s.warehouse_id AS warehouse_id,
                   w.isp_region_id AS region_id,
                   m.product_id AS product_id,
                   pt.isp_item_class AS item_class,
                   %(consumed)s AS consumed,
                   %(sign)s * qty.qty AS quantity,
                   %(sign)s * qty.qty * qty.cost AS stock_value,
                   CASE WHEN %(consumed)s THEN qty.qty * qty.cost ELSE 0 END AS consumed_value,
                   m.company_id AS company_id
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
              LEFT JOIN stock_warehouse w ON w.id = %(internal)s.warehouse_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              CROSS JOIN LATERAL (
                  SELECT %(qty)s AS qty,
                         COALESCE((pp.standard_price ->> m.company_id::text)::numeric, 0) AS cost
              ) qty
             WHERE m.state = 'done' AND %(internal)s.usage = 'internal'
               AND m.location_id != m.location_dest_id
            """,
            offset=0 if outgoing else 1,
            consumed=consumed if outgoing else SQL("FALSE"),
            sign=-1 if outgoing else 1,
            # the internal side: the source location (out) or the destination (in)
            internal=SQL("src") if outgoing else SQL("dest"),
            qty=self._isp_product_qty(
                SQL("m.quantity"), SQL("m.product_uom"), SQL("pt.uom_id"), factors
            ),
        )

    @property
    def _table_query(self):
        factors = self._isp_uom_factors()
        return SQL(
            "%s UNION ALL %s",
            self._isp_side_query("out", factors),
            self._isp_side_query("in", factors),
        )
