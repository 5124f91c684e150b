from odoo import fields, models
from odoo.tools import SQL


class IspInstallationCostReport(models.Model):
    """One row per completed field job card: its job type, technician, customer, the
    stock value of the materials it consumed at the customer (as the job card's
    `isp_material_cost`) and the serials it installed. The pivot averages by job type."""

    _name = "isp.installation.cost.report"
    _description = "ISP Cost per Installation"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "date desc, id desc"
    _isp_period_field = "date"
    _isp_export_fields = (
        "date",
        "task_id",
        "job_type_id",
        "technician_id",
        "partner_id",
        "warehouse_id",
        "material_cost",
        "cpe_count",
        "serial_count",
    )
    _depends = {
        "project.task": [
            "company_id",
            "isp_completed_date",
            "isp_job_state",
            "isp_job_type_id",
            "isp_technician_id",
            "partner_id",
            "project_id",
        ],
        "project.project": ["isp_is_field_service"],
        "isp.technician": ["company_id", "user_id", "warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "stock.picking": ["isp_task_id"],
        "stock.move": ["location_dest_id", "picking_id", "state", "value"],
        "stock.location": ["usage"],
        "stock.lot": ["isp_task_id", "product_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["isp_item_class"],
    }

    task_id = fields.Many2one("project.task", string="Job", readonly=True)
    job_type_id = fields.Many2one("isp.job.type", readonly=True)
    technician_id = fields.Many2one("isp.technician", readonly=True)
    technician_user_id = fields.Many2one("res.users", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    date = fields.Datetime(string="Completed On", readonly=True)
    material_cost = fields.Monetary(readonly=True, aggregator="sum", currency_field="currency_id")
    avg_material_cost = fields.Monetary(
        string="Average Material Cost",
        readonly=True,
        aggregator="avg",
        currency_field="currency_id",
    )
    cpe_count = fields.Integer(string="CPE Installed", readonly=True, aggregator="sum")
    serial_count = fields.Integer(string="Serials Installed", readonly=True, aggregator="sum")
    job_count = fields.Integer(string="Jobs", readonly=True, aggregator="sum")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT task.id AS id,
                   task.id AS task_id,
                   task.isp_job_type_id AS job_type_id,
                   task.isp_technician_id AS technician_id,
                   t.user_id AS technician_user_id,
                   t.warehouse_id AS warehouse_id,
                   w.isp_region_id AS region_id,
                   task.partner_id AS partner_id,
                   task.project_id AS project_id,
                   task.isp_completed_date AS date,
                   COALESCE(cost.value, 0) AS material_cost,
                   COALESCE(cost.value, 0) AS avg_material_cost,
                   COALESCE(lots.cpe, 0) AS cpe_count,
                   COALESCE(lots.serials, 0) AS serial_count,
                   1 AS job_count,
                   COALESCE(task.company_id, t.company_id) AS company_id
              FROM project_task task
              JOIN project_project project ON project.id = task.project_id
              LEFT JOIN isp_technician t ON t.id = task.isp_technician_id
              LEFT JOIN stock_warehouse w ON w.id = t.warehouse_id
              -- per job, index lookups only: its transfers' moves and its serials;
              -- the customer locations and CPE products are read once (ARRAY
              -- sub-selects), not joined for each move
              LEFT JOIN LATERAL (
                   SELECT SUM(m.value) AS value
                     FROM stock_picking p
                     JOIN stock_move m ON m.picking_id = p.id
                    WHERE p.isp_task_id = task.id
                      AND m.state = 'done'
                      AND m.location_dest_id = ANY(ARRAY(
                          SELECT id FROM stock_location WHERE usage = 'customer'))
              ) cost ON TRUE
              LEFT JOIN LATERAL (
                   SELECT COUNT(*) FILTER (WHERE lot.product_id = ANY(ARRAY(
                              SELECT pp.id
                                FROM product_product pp
                                JOIN product_template pt ON pt.id = pp.product_tmpl_id
                               WHERE pt.isp_item_class = 'cpe'))) AS cpe,
                          COUNT(*) AS serials
                     FROM stock_lot lot
                    WHERE lot.isp_task_id = task.id
              ) lots ON TRUE
             WHERE project.isp_is_field_service
               AND task.isp_job_state = 'done'
            """
        )
