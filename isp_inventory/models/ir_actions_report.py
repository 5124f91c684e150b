from odoo import models
from odoo.addons.base.models.ir_actions_report import _wkhtml


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        """`isp_header_in_body`: the ISP documents print the company in their page
        (template `isp_inventory.isp_page_company_header`) when the layout's header
        would be lost.

        Odoo prints the layout's header and footer through wkhtmltopdf's
        ``--header-html``, which only a wkhtmltopdf built with patched Qt honours;
        Debian's build ignores it, and every PDF came out without the company header.
        On screen (HTML) and with a patched build, the layout's header is there."""
        data = super()._get_rendering_context(report, docids, data)
        data["isp_header_in_body"] = (
            data.get("report_type") == "pdf" and not _wkhtml().is_patched_qt
        )
        return data
