from odoo import fields, models
from odoo.tools import SQL


class IspRefurbishmentReport(models.Model):
    """Refurbishment yield: one row per graded unit (isp.refurbishment done), read by
    product, branch and month of grading in the pivot: units graded, A, B, C, scrap.
    The yield is the share of units graded A or B (reissued): each row's yield is 100 or
    0, so its average over any group is exactly (A + B) ÷ graded. The value recovered is
    the A/B units at the product's current cost, against the cost of buying new every
    unit graded."""

    _name = "isp.refurbishment.report"
    _description = "ISP Refurbishment Yield"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "date desc, id desc"
    _isp_period_field = "date"
    _isp_export_fields = (
        "date",
        "product_id",
        "warehouse_id",
        "graded_count",
        "grade_a_count",
        "grade_b_count",
        "grade_c_count",
        "scrap_count",
        "yield_percent",
        "value_recovered",
        "value_new",
    )
    _depends = {
        "isp.refurbishment": [
            "company_id",
            "date_graded",
            "grade",
            "lot_id",
            "product_id",
            "state",
            "warehouse_id",
        ],
        "stock.warehouse": ["isp_region_id"],
        "product.product": ["product_tmpl_id", "standard_price"],
    }

    refurbishment_id = fields.Many2one("isp.refurbishment", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", readonly=True)
    date = fields.Datetime(string="Graded On", readonly=True)
    grade = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C"), ("scrap", "Scrap")], readonly=True
    )
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    graded_count = fields.Integer(string="Graded", readonly=True, aggregator="sum")
    grade_a_count = fields.Integer(string="A", readonly=True, aggregator="sum")
    grade_b_count = fields.Integer(string="B", readonly=True, aggregator="sum")
    grade_c_count = fields.Integer(string="C", readonly=True, aggregator="sum")
    scrap_count = fields.Integer(string="Scrap", readonly=True, aggregator="sum")
    reissued_count = fields.Integer(string="Reissued (A+B)", readonly=True, aggregator="sum")
    yield_percent = fields.Float(
        string="Yield %",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="(A + B) ÷ graded, × 100 (the average of the rows' 100 or 0).",
    )
    value_recovered = fields.Monetary(
        readonly=True,
        aggregator="sum",
        currency_field="currency_id",
        help="Units graded A or B at the product's cost: what reissuing them saved.",
    )
    value_new = fields.Monetary(
        string="Cost if Bought New",
        readonly=True,
        aggregator="sum",
        currency_field="currency_id",
        help="Every unit graded, at the product's cost.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT r.id AS id,
                   r.id AS refurbishment_id,
                   r.lot_id AS lot_id,
                   r.date_graded AS date,
                   r.product_id AS product_id,
                   pp.product_tmpl_id AS product_tmpl_id,
                   r.warehouse_id AS warehouse_id,
                   w.isp_region_id AS region_id,
                   r.company_id AS company_id,
                   r.grade AS grade,
                   1 AS graded_count,
                   (r.grade = 'a')::int AS grade_a_count,
                   (r.grade = 'b')::int AS grade_b_count,
                   (r.grade = 'c')::int AS grade_c_count,
                   (r.grade = 'scrap')::int AS scrap_count,
                   (r.grade IN ('a', 'b'))::int AS reissued_count,
                   CASE WHEN r.grade IN ('a', 'b') THEN 100.0 ELSE 0.0 END AS yield_percent,
                   CASE WHEN r.grade IN ('a', 'b') THEN cost.value ELSE 0 END
                       AS value_recovered,
                   cost.value AS value_new
              FROM isp_refurbishment r
              JOIN product_product pp ON pp.id = r.product_id
              LEFT JOIN stock_warehouse w ON w.id = r.warehouse_id
              CROSS JOIN LATERAL (
                   SELECT COALESCE((pp.standard_price ->> r.company_id::text)::numeric, 0)
                          AS value
              ) cost
             WHERE r.state = 'done'
               AND r.date_graded IS NOT NULL
            """
        )
