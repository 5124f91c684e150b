from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_analytic_distribution(self):
        """Materials a field job consumes at the customer cost the job's project, whatever
        the delivery type's `analytic_costs` setting (like project_mrp_account does for
        manufacturing orders)."""
        task = self.picking_id.isp_task_id
        if task and self.location_dest_id.usage == "customer":
            distribution = task.project_id._get_analytic_distribution()
            if distribution:
                return distribution
        return super()._get_analytic_distribution()
