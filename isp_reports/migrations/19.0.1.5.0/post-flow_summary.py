"""Monthly stock flows (19.0.1.5.0): the new report's summary tables are created by the
model's init; this sums the done moves of every month into the summary once, so the
dashboard of an upgraded database reads it at once instead of at the cron's first run."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["isp.stock.flow.month.report"]._isp_refresh_flow_summary(full=True)
