from odoo import api, fields, models


class IspKpiWizard(models.TransientModel):
    """The KPIs of `isp.kpi.get_kpis` for a chosen period, on screen and as a PDF."""

    _name = "isp.kpi.wizard"
    _description = "ISP Inventory KPIs"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    stock_value = fields.Monetary(compute="_compute_kpis")
    technician_stock_value = fields.Monetary(compute="_compute_kpis", string="Held by Technicians")
    loss_value = fields.Monetary(compute="_compute_kpis", string="Losses")
    loss_count = fields.Integer(compute="_compute_kpis", string="Loss Reports")
    count_variance_value = fields.Monetary(compute="_compute_kpis", string="Count Variances")
    jobs_completed = fields.Integer(compute="_compute_kpis")
    average_material_cost = fields.Monetary(
        compute="_compute_kpis", string="Average Material Cost per Job"
    )
    serials_installed = fields.Integer(compute="_compute_kpis")
    quarantine_quantity = fields.Float(compute="_compute_kpis", string="Items in Quarantine")
    quarantine_value = fields.Monetary(compute="_compute_kpis")
    counts_done = fields.Integer(compute="_compute_kpis", string="Counts Applied")
    count_accuracy = fields.Float(
        compute="_compute_kpis", string="Stock Accuracy (%)", digits=(5, 1)
    )
    issue_fill_rate = fields.Float(
        compute="_compute_kpis", string="Issue Fill Rate (%)", digits=(5, 1)
    )
    region_summary = fields.Text(compute="_compute_kpis", string="Stock Value by Region")

    @api.depends("date_from", "date_to")
    def _compute_kpis(self):
        for wizard in self:
            kpis = wizard._isp_kpis()
            for name in (
                "stock_value",
                "technician_stock_value",
                "loss_value",
                "loss_count",
                "count_variance_value",
                "jobs_completed",
                "average_material_cost",
                "serials_installed",
                "quarantine_quantity",
                "quarantine_value",
                "counts_done",
                "count_accuracy",
                "issue_fill_rate",
            ):
                wizard[name] = kpis[name]
            wizard.region_summary = "\n".join(
                f"{line['region']}: {wizard.currency_id.format(line['value'])}"
                for line in kpis["stock_value_by_region"]
            )

    def _isp_kpis(self):
        self.ensure_one()
        return self.env["isp.kpi"].get_kpis(self.date_from, self.date_to)

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref("isp_reports.isp_kpi_report_action").report_action(self)
