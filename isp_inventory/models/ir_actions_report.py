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

    def report_action(self, docids, data=None, config=True):
        """The ISP reports' print actions are also called over XML-RPC (docs/API.md),
        which cannot carry None (Odoo's action holds ``data: None`` without data): the
        keys without a value are left out of the action, which the web client reads
        the same way."""
        action = super().report_action(docids, data=data, config=config)
        if isinstance(action, dict) and self.model.startswith("isp."):
            action = {key: value for key, value in action.items() if value is not None}
            if isinstance(action.get("context"), dict):
                action["context"] = {
                    key: value for key, value in action["context"].items() if value is not None
                }
        return action
