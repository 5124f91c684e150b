from odoo import fields, models
from odoo.addons.isp_inventory.models.isp_loss_report import LOSS_TYPES
from odoo.addons.isp_inventory.models.product_category import ISP_ITEM_CLASSES
from odoo.tools import SQL


class IspLossVarianceReport(models.Model):
    """Stock that left or appeared in technicians' custody other than by use: approved
    loss reports (scrapped from a van or kit into the branch Losses location), count
    variances (the inventory adjustments applied by a technician stock count) and other
    inventory adjustments of a van or kit (`stock.move.is_inventory` outside a count,
    e.g. corrections in Odoo's Physical Inventory).

    Opening balances are neither losses nor variances and are left out: the inventory
    adjustments that load a van or kit before its first transfer (no done move other
    than an inventory adjustment into or out of it until then), as when the stock
    technicians already hold is recorded on the day the ISP starts with Odoo.

    `quantity` and `value` are signed as the change in the technician's stock: a loss
    or a shortfall found at a count is negative, a surplus found at a count positive."""

    _name = "isp.loss.variance.report"
    _description = "ISP Loss and Variance"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "date desc, id desc"
    _isp_period_field = "date"
    _isp_export_fields = (
        "date",
        "technician_id",
        "kind",
        "product_id",
        "item_class",
        "location_id",
        "loss_report_id",
        "loss_type",
        "count_id",
        "warehouse_id",
        "quantity",
        "value",
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
            "scrap_id",
            "state",
            "value",
        ],
        "stock.scrap": ["isp_loss_report_id", "scrap_reason_tag_ids"],
        "stock.scrap.reason.tag": ["isp_loss_free"],
        "isp.stock.count": ["move_ids"],
        "isp.loss.report": ["loss_type"],
        "stock.location": ["isp_role", "isp_technician_id"],
        "isp.technician": ["user_id", "warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id", "isp_item_class", "uom_id"],
        "uom.uom": ["factor"],
    }

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(
        [
            ("loss", "Loss"),
            ("count_variance", "Count Variance"),
            ("adjustment", "Other Adjustment"),
        ],
        readonly=True,
    )
    count_id = fields.Many2one("isp.stock.count", string="Stock Count", readonly=True)
    technician_id = fields.Many2one("isp.technician", readonly=True)
    technician_user_id = fields.Many2one("res.users", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    location_id = fields.Many2one("stock.location", string="Technician Location", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    item_class = fields.Selection(ISP_ITEM_CLASSES, string="ISP Item Class", readonly=True)
    loss_report_id = fields.Many2one("isp.loss.report", readonly=True)
    loss_type = fields.Selection(LOSS_TYPES, readonly=True)
    quantity = fields.Float(
        readonly=True, aggregator="sum", help="Signed: negative when stock left."
    )
    value = fields.Monetary(
        readonly=True,
        aggregator="sum",
        currency_field="currency_id",
        help="Stock value of the move, signed like the quantity.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        tags = self.env["stock.scrap"]._fields["scrap_reason_tag_ids"]
        return SQL(
            """
            SELECT m.id AS id,
                   m.date AS date,
                   CASE WHEN dest.isp_role = 'loss' AND NOT COALESCE(m.is_inventory, FALSE)
                        THEN 'loss'
                        WHEN counted.count_id IS NOT NULL THEN 'count_variance'
                        ELSE 'adjustment' END AS kind,
                   counted.count_id AS count_id,
                   tech_loc.isp_technician_id AS technician_id,
                   t.user_id AS technician_user_id,
                   t.warehouse_id AS warehouse_id,
                   w.isp_region_id AS region_id,
                   tech_loc.id AS location_id,
                   m.product_id AS product_id,
                   pt.categ_id AS categ_id,
                   pt.isp_item_class AS item_class,
                   scrap.isp_loss_report_id AS loss_report_id,
                   lr.loss_type AS loss_type,
                   sign.factor * %(quantity)s AS quantity,
                   sign.factor * COALESCE(m.value, 0) AS value,
                   m.company_id AS company_id
              FROM (
                   -- the candidates, each read by an index (a few in a hundred moves):
                   -- inventory adjustments, and moves into a Losses location
                   SELECT cand.* FROM stock_move cand
                    WHERE cand.is_inventory AND cand.state = 'done'
                   UNION ALL
                   SELECT cand.* FROM stock_move cand
                    WHERE cand.location_dest_id = ANY(ARRAY(
                              SELECT id FROM stock_location WHERE isp_role = 'loss'))
                      AND cand.state = 'done' AND cand.is_inventory IS NOT TRUE
                   ) m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN src.isp_technician_id IS NOT NULL THEN -1 ELSE 1 END
                          AS factor
             ) sign
              JOIN stock_location tech_loc
                ON tech_loc.id = CASE WHEN sign.factor = -1 THEN src.id ELSE dest.id END
              JOIN isp_technician t ON t.id = tech_loc.isp_technician_id
              LEFT JOIN stock_warehouse w ON w.id = t.warehouse_id
              LEFT JOIN (
                   SELECT rel.stock_move_id, MIN(rel.isp_stock_count_id) AS count_id
                     FROM isp_stock_count_stock_move_rel rel
                    GROUP BY rel.stock_move_id
             ) counted ON counted.stock_move_id = m.id
              LEFT JOIN stock_scrap scrap ON scrap.id = m.scrap_id
              LEFT JOIN isp_loss_report lr ON lr.id = scrap.isp_loss_report_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE m.state = 'done'
               AND (src.isp_technician_id IS NOT NULL OR dest.isp_technician_id IS NOT NULL)
               AND (
                    (COALESCE(m.is_inventory, FALSE)
                     AND (src.isp_technician_id IS NULL OR dest.isp_technician_id IS NULL))
                    OR (src.isp_technician_id IS NOT NULL AND dest.isp_role = 'loss')
               )
               -- not a loss-free scrap (a cable offcut): normal waste, not a loss
               AND NOT EXISTS (
                    SELECT 1
                      FROM %(tag_rel)s scrap_tag
                      JOIN stock_scrap_reason_tag tag ON tag.id = scrap_tag.%(tag_col)s
                     WHERE scrap_tag.%(scrap_col)s = m.scrap_id
                       AND tag.isp_loss_free
               )
               -- not an opening balance: an adjustment outside a count made before the
               -- location's first done move that is not an inventory adjustment. Two
               -- EXISTS, not one with an OR: each walks its location index and stops
               -- at the first earlier move (an OR made PostgreSQL scan every move of
               -- the database once per adjustment: minutes at a million moves).
               AND NOT (
                    COALESCE(m.is_inventory, FALSE)
                    AND counted.count_id IS NULL
                    AND NOT EXISTS (
                        SELECT 1
                          FROM stock_move prior
                         WHERE prior.location_id = tech_loc.id
                           AND prior.state = 'done'
                           AND NOT COALESCE(prior.is_inventory, FALSE)
                           AND (prior.date, prior.id) < (m.date, m.id)
                    )
                    AND NOT EXISTS (
                        SELECT 1
                          FROM stock_move prior
                         WHERE prior.location_dest_id = tech_loc.id
                           AND prior.state = 'done'
                           AND NOT COALESCE(prior.is_inventory, FALSE)
                           AND (prior.date, prior.id) < (m.date, m.id)
                    )
               )
            """,
            tag_rel=SQL.identifier(tags.relation),
            tag_col=SQL.identifier(tags.column2),
            scrap_col=SQL.identifier(tags.column1),
            quantity=self._isp_product_qty(
                SQL("m.quantity"), SQL("m.product_uom"), SQL("pt.uom_id")
            ),
        )
