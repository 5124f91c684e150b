from odoo import fields, models
from odoo.addons.isp_inventory.models.product_category import ISP_ITEM_CLASSES
from odoo.tools import SQL


class IspStockOutReport(models.Model):
    """Stock-out lines: planned materials of field jobs that stock did not cover.

    - ``short``: a completed job used less of a planned material than planned (its
      material move was done short, or cancelled) while the van held less than the
      planned quantity before the completion (``held_qty``: the van's quantity now,
      plus what left it and less what came in since the completion):
      the job was completed short for lack of stock, not because less was needed;
    - ``waiting``: an open job past its scheduled time whose material is still waiting
      for stock (not fully reserved in the van), so it could not be completed.

    The date is the completion (short) or the scheduled time (waiting). A job counts
    once as a stock-out incident whatever its number of lines."""

    _name = "isp.stock.out.report"
    _description = "ISP Stock-Out Incidents"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "date desc, id desc"
    _isp_period_field = "date"
    _isp_export_fields = (
        "date",
        "kind",
        "task_id",
        "partner_id",
        "technician_id",
        "warehouse_id",
        "product_id",
        "planned_qty",
        "used_qty",
        "held_qty",
        "missing_qty",
        "missing_value",
    )
    _depends = {
        "stock.move": [
            "company_id",
            "isp_task_id",
            "product_id",
            "product_uom",
            "product_uom_qty",
            "date",
            "location_dest_id",
            "location_id",
            "picking_id",
            "quantity",
            "state",
        ],
        "project.task": [
            "isp_completed_date",
            "isp_scheduled_date",
            "isp_technician_id",
            "partner_id",
            "state",
        ],
        "stock.quant": ["location_id", "product_id", "quantity"],
        "isp.technician": ["warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "product.product": ["product_tmpl_id", "standard_price"],
        "product.template": ["isp_item_class", "uom_id"],
        "uom.uom": ["factor"],
    }

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(
        [("short", "Completed Short"), ("waiting", "Not Completed: Waiting for Stock")],
        readonly=True,
    )
    move_id = fields.Many2one("stock.move", string="Material", readonly=True)
    task_id = fields.Many2one("project.task", string="Job", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    technician_id = fields.Many2one("isp.technician", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    item_class = fields.Selection(ISP_ITEM_CLASSES, string="ISP Item Class", readonly=True)
    planned_qty = fields.Float(string="Planned", readonly=True, aggregator="sum")
    used_qty = fields.Float(string="Used", readonly=True, aggregator="sum")
    held_qty = fields.Float(
        string="In Van Before",
        readonly=True,
        aggregator="sum",
        help="What the van held of the product before the job was completed (short lines).",
    )
    missing_qty = fields.Float(string="Missing", readonly=True, aggregator="sum")
    missing_value = fields.Monetary(readonly=True, aggregator="sum", currency_field="currency_id")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        factors = self._isp_uom_factors()
        return SQL(
            """
            SELECT m.id AS id,
                   CASE WHEN t.state = '1_done' THEN t.isp_completed_date
                        ELSE t.isp_scheduled_date END AS date,
                   CASE WHEN t.state = '1_done' THEN 'short' ELSE 'waiting' END AS kind,
                   m.id AS move_id,
                   t.id AS task_id,
                   t.partner_id AS partner_id,
                   t.isp_technician_id AS technician_id,
                   tech.warehouse_id AS warehouse_id,
                   w.isp_region_id AS region_id,
                   m.product_id AS product_id,
                   pt.isp_item_class AS item_class,
                   qty.planned AS planned_qty,
                   qty.used AS used_qty,
                   van.held AS held_qty,
                   qty.planned - qty.used AS missing_qty,
                   (qty.planned - qty.used)
                       * COALESCE((pp.standard_price ->> m.company_id::text)::numeric, 0)
                       AS missing_value,
                   m.company_id AS company_id
              FROM stock_move m
              JOIN project_task t ON t.id = m.isp_task_id
              LEFT JOIN isp_technician tech ON tech.id = t.isp_technician_id
              LEFT JOIN stock_warehouse w ON w.id = tech.warehouse_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              CROSS JOIN LATERAL (
                  SELECT %(planned)s AS planned,
                         CASE WHEN m.state = 'done' THEN %(used)s ELSE 0 END AS used
              ) qty
              LEFT JOIN LATERAL (
                  -- what the van held before the completion: its quantity now, plus what
                  -- left it and less what came in since (the job's own operation
                  -- included), so stock that arrived without a move counts too
                  SELECT (
                      SELECT COALESCE(SUM(q.quantity), 0)
                        FROM stock_quant q
                       WHERE q.location_id = m.location_id AND q.product_id = m.product_id
                  ) + (
                      SELECT COALESCE(SUM(
                                 CASE WHEN v.location_id = m.location_id THEN 1 ELSE -1 END
                                 * %(v_qty)s), 0)
                        FROM stock_move v
                       WHERE v.state = 'done'
                         AND v.product_id = m.product_id
                         AND (v.location_id = m.location_id
                              OR v.location_dest_id = m.location_id)
                         AND v.location_id != v.location_dest_id
                         AND (v.picking_id = m.picking_id OR v.date > t.isp_completed_date)
                  ) AS held
                   -- only for lines used short (the subqueries run for those alone)
                   WHERE t.state = '1_done'
                     AND (m.state = 'cancel'
                          OR (m.state = 'done' AND m.quantity < m.product_uom_qty))
                   -- OFFSET 0 keeps this a subquery: pulled up into the outer
                   -- filter, the two sums ran for every job line (10 min at 1M lines)
                  OFFSET 0
              ) van ON TRUE
             WHERE m.product_uom_qty > 0
               -- the predicate of the partial index stock_move_isp_task_short_idx
               AND m.isp_task_id IS NOT NULL
               AND (m.state IN ('cancel', 'confirmed', 'partially_available', 'waiting')
                    OR (m.state = 'done' AND m.quantity < m.product_uom_qty))
               AND (
                    (t.state = '1_done' AND t.isp_completed_date IS NOT NULL
                     AND (m.state = 'cancel'
                          OR (m.state = 'done' AND m.quantity < m.product_uom_qty))
                     AND van.held < qty.planned)
                 OR (t.state NOT IN ('1_done', '1_canceled')
                     AND t.isp_scheduled_date < %(now)s
                     AND m.state IN ('confirmed', 'partially_available', 'waiting'))
               )
            """,
            now=fields.Datetime.now(),
            planned=self._isp_product_qty(
                SQL("m.product_uom_qty"), SQL("m.product_uom"), SQL("pt.uom_id"), factors
            ),
            used=self._isp_product_qty(
                SQL("m.quantity"), SQL("m.product_uom"), SQL("pt.uom_id"), factors
            ),
            v_qty=self._isp_product_qty(
                SQL("v.quantity"), SQL("v.product_uom"), SQL("pt.uom_id"), factors
            ),
        )
