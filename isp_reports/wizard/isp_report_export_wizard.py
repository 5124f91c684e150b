import base64

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

# report key -> report model
EXPORT_REPORTS = {
    "aging": "isp.stock.aging.report",
    "consumption": "isp.technician.consumption.report",
    "loss_variance": "isp.loss.variance.report",
    "movement": "isp.product.movement.report",
    "installation_cost": "isp.installation.cost.report",
    "region": "isp.stock.region.report",
}
# reports with a QWeb PDF
PDF_REPORTS = {
    "aging": "isp_reports.isp_stock_aging_pdf_report_action",
    "loss_variance": "isp_reports.isp_loss_variance_pdf_report_action",
}


class IspReportExportWizard(models.TransientModel):
    """Choose a report, a period, a branch or region: get the formatted XLSX (or the PDF
    of aging and loss and variance) of its rows for the management pack."""

    _name = "isp.report.export.wizard"
    _description = "ISP Report Export"
    _check_company_auto = True

    report = fields.Selection(
        [
            ("aging", "Stock Aging"),
            ("consumption", "Technician Consumption"),
            ("loss_variance", "Loss and Variance"),
            ("movement", "Fast and Slow Movers"),
            ("installation_cost", "Cost per Installation"),
            ("region", "Inventory by Region"),
        ],
        required=True,
        default="aging",
    )
    date_from = fields.Date(
        string="From",
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="Not used by the stock on hand reports (aging, inventory by region).",
    )
    date_to = fields.Date(string="To", default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    warehouse_id = fields.Many2one("stock.warehouse", string="Branch", check_company=True)
    region_id = fields.Many2one("isp.region", check_company=True)
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _isp_report_model(self):
        self.ensure_one()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(self.env._("The period starts after it ends."))
        return self.env[EXPORT_REPORTS[self.report]]

    def _isp_domain(self):
        """The rows of the wizard's company (totals in one currency) that the period,
        branch and region select; the record rules still apply."""
        domain = self._isp_report_model()._isp_export_domain(
            self.date_from, self.date_to, self.warehouse_id, self.region_id
        )
        return [("company_id", "=", self.company_id.id), *domain]

    def _isp_subtitle(self):
        parts = []
        if self._isp_report_model()._isp_period_field:
            parts.append(
                f"{format_date(self.env, self.date_from) or '…'}"
                f" – {format_date(self.env, self.date_to) or '…'}"
            )
        else:
            parts.append(
                self.env._(
                    "On hand %(date)s",
                    date=format_date(self.env, fields.Date.context_today(self)),
                )
            )
        parts += [record.display_name for record in (self.warehouse_id, self.region_id) if record]
        return " · ".join(parts)

    def action_export_xlsx(self):
        """Build the XLSX and offer it for download."""
        self.ensure_one()
        model = self._isp_report_model()
        content = model._isp_export_xlsx(self._isp_domain(), self._isp_subtitle())
        self.write(
            {
                "file_data": base64.b64encode(content),
                "file_name": f"{self.report}_{fields.Date.context_today(self)}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/{self.file_name}"
            "?download=true",
            "target": "self",
        }

    def action_print_pdf(self):
        """The PDF of the chosen rows (aging and loss and variance)."""
        self.ensure_one()
        if self.report not in PDF_REPORTS:
            raise UserError(
                self.env._("A PDF exists for Stock Aging and Loss and Variance; export XLSX.")
            )
        records = self._isp_report_model().search(self._isp_domain())
        if not records:
            raise UserError(self.env._("Nothing to print for this period, branch and region."))
        return self.env.ref(PDF_REPORTS[self.report]).report_action(records)
