from odoo import fields, models
from odoo.tools import SQL


class IspCpeUtilisationReport(models.Model):
    """CPE serials now: installed at a customer, in a store or with a technician (from
    the serial's lifecycle state). Utilisation is installed ÷ all three; faulty,
    in-repair, returned and disposed units are not counted. The branch is the
    serial's location's branch, or for installed units the branch of the technician
    who installed it."""

    _name = "isp.cpe.utilisation.report"
    _description = "ISP CPE Utilisation"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "product_id, status, lot_id"
    _isp_period_field = False
    _isp_export_fields = ("product_id", "lot_id", "status", "warehouse_id", "region_id")
    _depends = {
        "stock.lot": [
            "company_id",
            "isp_installed_by_id",
            "isp_state",
            "location_id",
            "product_id",
        ],
        "stock.location": ["company_id", "warehouse_id"],
        "isp.technician": ["company_id", "warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["isp_item_class"],
    }

    lot_id = fields.Many2one("stock.lot", string="Serial", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    status = fields.Selection(
        [
            ("installed", "Installed"),
            ("in_stock", "In Stock"),
            ("with_technician", "With Technician"),
        ],
        readonly=True,
    )
    installed = fields.Integer(readonly=True, aggregator="sum")
    serial_count = fields.Integer(string="Serials", readonly=True, aggregator="sum")
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        """One row per serial; with ``isp_cpe_grouped`` in the context, one row per
        group of serials of the same product, status, location, installer and company
        (``serial_count`` of them, ``lot_id`` empty), for sums only: the dashboard's
        utilisation groups the groups, which reads 200k serials in about half the time
        (docs/benchmarks-scale.md). Both rows have the same columns, so a domain and
        the record rules apply to either."""
        states = ("installed", "in_stock", "with_technician")
        if self.env.context.get("isp_cpe_grouped"):
            lots = SQL(
                """
                SELECT MIN(id) AS id, NULL::integer AS lot_id, product_id, isp_state,
                       location_id, isp_installed_by_id, company_id, COUNT(*) AS serial_count
                  FROM stock_lot
                 WHERE isp_state IN %s
                 GROUP BY product_id, isp_state, location_id, isp_installed_by_id, company_id
                """,
                states,
            )
        else:
            lots = SQL(
                """
                SELECT id, id AS lot_id, product_id, isp_state, location_id,
                       isp_installed_by_id, company_id, 1 AS serial_count
                  FROM stock_lot
                 WHERE isp_state IN %s
                """,
                states,
            )
        return SQL(
            """
            SELECT lot.id AS id,
                   lot.lot_id AS lot_id,
                   lot.product_id AS product_id,
                   lot.isp_state AS status,
                   CASE WHEN lot.isp_state = 'installed' THEN lot.serial_count ELSE 0 END
                       AS installed,
                   lot.serial_count AS serial_count,
                   COALESCE(loc.warehouse_id, tech.warehouse_id) AS warehouse_id,
                   w.isp_region_id AS region_id,
                   COALESCE(lot.company_id, loc.company_id, tech.company_id) AS company_id
              FROM (%s) lot
              JOIN product_product pp ON pp.id = lot.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN stock_location loc ON loc.id = lot.location_id
              LEFT JOIN isp_technician tech ON tech.id = lot.isp_installed_by_id
              LEFT JOIN stock_warehouse w ON w.id = COALESCE(loc.warehouse_id, tech.warehouse_id)
             WHERE pt.isp_item_class = 'cpe'
            """,
            lots,
        )
