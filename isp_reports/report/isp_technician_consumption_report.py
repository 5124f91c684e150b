from odoo import fields, models
from odoo.addons.isp_inventory.models.product_category import ISP_ITEM_CLASSES
from odoo.tools import SQL


class IspTechnicianConsumptionReport(models.Model):
    """What technicians used: done moves out of a van or kit to a customer (installed
    or used on a job) or to a consumption location (virtual locations of usage
    inventory or production), valued at the move's stock value. Losses (the branch
    Losses location) and inventory adjustments are in the loss and variance report."""

    _name = "isp.technician.consumption.report"
    _description = "ISP Technician Consumption"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "date desc, id desc"
    _isp_period_field = "date"
    _isp_export_fields = (
        "date",
        "technician_id",
        "product_id",
        "item_class",
        "usage",
        "task_id",
        "job_type_id",
        "partner_id",
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
            "picking_id",
            "product_id",
            "product_uom",
            "quantity",
            "state",
            "value",
        ],
        "stock.picking": ["isp_task_id", "partner_id"],
        "stock.location": ["isp_role", "isp_technician_id", "usage"],
        "isp.technician": ["user_id", "warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "project.task": ["isp_job_type_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id", "isp_item_class", "uom_id"],
        "uom.uom": ["factor"],
    }

    date = fields.Datetime(readonly=True)
    technician_id = fields.Many2one("isp.technician", readonly=True)
    technician_user_id = fields.Many2one("res.users", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    location_id = fields.Many2one("stock.location", string="From", readonly=True)
    usage = fields.Selection(
        [("customer", "At Customer"), ("consumed", "Consumed")],
        string="Used As",
        readonly=True,
        help="At Customer: installed or used at a customer's premises; Consumed: moved to "
        "a consumption location.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    item_class = fields.Selection(ISP_ITEM_CLASSES, string="ISP Item Class", readonly=True)
    task_id = fields.Many2one("project.task", string="Job", readonly=True)
    job_type_id = fields.Many2one("isp.job.type", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    quantity = fields.Float(readonly=True, aggregator="sum")
    value = fields.Monetary(readonly=True, aggregator="sum", currency_field="currency_id")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT m.id AS id,
                   m.date AS date,
                   src.isp_technician_id AS technician_id,
                   t.user_id AS technician_user_id,
                   t.warehouse_id AS warehouse_id,
                   w.isp_region_id AS region_id,
                   m.location_id AS location_id,
                   CASE WHEN dest.usage = 'customer' THEN 'customer' ELSE 'consumed' END
                       AS usage,
                   m.product_id AS product_id,
                   pt.categ_id AS categ_id,
                   pt.isp_item_class AS item_class,
                   p.isp_task_id AS task_id,
                   task.isp_job_type_id AS job_type_id,
                   p.partner_id AS partner_id,
                   m.picking_id AS picking_id,
                   %(quantity)s AS quantity,
                   COALESCE(m.value, 0) AS value,
                   m.company_id AS company_id
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
              JOIN isp_technician t ON t.id = src.isp_technician_id
              LEFT JOIN stock_warehouse w ON w.id = t.warehouse_id
              LEFT JOIN stock_picking p ON p.id = m.picking_id
              LEFT JOIN project_task task ON task.id = p.isp_task_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE m.state = 'done'
               AND dest.usage IN ('customer', 'inventory', 'production')
               AND dest.isp_role IS DISTINCT FROM 'loss'
               AND NOT COALESCE(m.is_inventory, FALSE)
            """,
            quantity=self._isp_product_qty(
                SQL("m.quantity"), SQL("m.product_uom"), SQL("pt.uom_id")
            ),
        )
