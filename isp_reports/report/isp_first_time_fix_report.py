from odoo import fields, models
from odoo.tools import SQL


class IspFirstTimeFixReport(models.Model):
    """One row per completed field job: was it fixed the first time? A job is a repeat
    visit when another (not cancelled) field job for the same customer is scheduled
    (or, without a schedule, created) after its completion and within the company's
    first-time fix window (``res.company.isp_first_time_fix_days``, 14 days by
    default); ``followup_task_id`` is the first such job."""

    _name = "isp.first.time.fix.report"
    _description = "ISP First-Time Fix"
    _inherit = ["isp.report.mixin"]
    _auto = False
    _order = "date desc, id desc"
    _isp_period_field = "date"
    _isp_export_fields = (
        "date",
        "task_id",
        "partner_id",
        "technician_id",
        "job_type_id",
        "warehouse_id",
        "first_time_fix",
        "followup_task_id",
        "followup_date",
    )
    _depends = {
        "project.task": [
            "company_id",
            "create_date",
            "isp_completed_date",
            "isp_job_type_id",
            "isp_scheduled_date",
            "isp_technician_id",
            "partner_id",
            "project_id",
            "state",
        ],
        "project.project": ["isp_is_field_service"],
        "isp.technician": ["warehouse_id"],
        "stock.warehouse": ["isp_region_id"],
        "res.company": ["isp_first_time_fix_days"],
    }

    date = fields.Datetime(string="Completed On", readonly=True)
    task_id = fields.Many2one("project.task", string="Job", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    technician_id = fields.Many2one("isp.technician", readonly=True)
    job_type_id = fields.Many2one("isp.job.type", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", readonly=True)
    region_id = fields.Many2one("isp.region", readonly=True)
    first_time_fix = fields.Boolean(string="Fixed First Time", readonly=True)
    first_time_fix_count = fields.Integer(
        string="Fixed First Time (count)", readonly=True, aggregator="sum"
    )
    followup_task_id = fields.Many2one("project.task", string="Follow-up Job", readonly=True)
    followup_date = fields.Datetime(string="Follow-up On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.isp_completed_date AS date,
                   t.id AS task_id,
                   t.partner_id AS partner_id,
                   t.isp_technician_id AS technician_id,
                   t.isp_job_type_id AS job_type_id,
                   tech.warehouse_id AS warehouse_id,
                   w.isp_region_id AS region_id,
                   followup.id IS NULL AS first_time_fix,
                   CASE WHEN followup.id IS NULL THEN 1 ELSE 0 END AS first_time_fix_count,
                   followup.id AS followup_task_id,
                   followup.day AS followup_date,
                   t.company_id AS company_id
              FROM project_task t
              JOIN project_project pr ON pr.id = t.project_id AND pr.isp_is_field_service
              JOIN res_company c ON c.id = t.company_id
              LEFT JOIN isp_technician tech ON tech.id = t.isp_technician_id
              LEFT JOIN stock_warehouse w ON w.id = tech.warehouse_id
              LEFT JOIN LATERAL (
                  SELECT f.id, COALESCE(f.isp_scheduled_date, f.create_date) AS day
                    FROM project_task f
                    JOIN project_project fp ON fp.id = f.project_id AND fp.isp_is_field_service
                   WHERE f.partner_id = t.partner_id
                     AND f.id != t.id
                     AND f.state != '1_canceled'
                     AND COALESCE(f.isp_scheduled_date, f.create_date) > t.isp_completed_date
                     AND COALESCE(f.isp_scheduled_date, f.create_date)
                         <= t.isp_completed_date
                            + make_interval(days => COALESCE(c.isp_first_time_fix_days, 14))
                   ORDER BY 2, 1
                   LIMIT 1
              ) followup ON TRUE
             WHERE t.state = '1_done'
               AND t.isp_completed_date IS NOT NULL
               AND t.partner_id IS NOT NULL
            """
        )
