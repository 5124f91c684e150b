from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _run_scheduler_tasks(self, use_new_cursor=False, company_id=False):
        """After the scheduler, tell storekeepers what is still below its minimum."""
        result = super()._run_scheduler_tasks(use_new_cursor=use_new_cursor, company_id=company_id)
        self.env["stock.warehouse.orderpoint"]._isp_alert_below_minimum()
        return result
